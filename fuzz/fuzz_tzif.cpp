// Fuzzes TimeZone::from_tzif (RFC 8536) and the zone arithmetic on what it decodes.
// Invariants: a decoded zone maps a UTC time to a wall time and back to the same instant; a
// wall time taken to UTC reads back as that wall time unless it lies in a gap; offsets come
// from the file, and times before or after every transition still have one.

#include "fuzz_check.hpp"

#include <diag/logs/time_zone.hpp>

#include <cstdlib>

namespace {

using diag::fuzz::require;
using diag::logs::UtcTime;

// Whole seconds across 1900..2100, picked from an input byte pair.
constexpr std::int64_t kSpanSeconds = std::int64_t{200} * 365 * 86400;
constexpr std::int64_t kStartSeconds = -std::int64_t{70} * 365 * 86400;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto bytes = diag::fuzz::as_text(data, size);
    auto zone = diag::logs::TimeZone::from_tzif(bytes, "fuzz");
    if (!zone) {
        require(!zone.error().empty(), "a refusal says why");
        return 0;
    }
    // Offsets beyond a day are not real zones (RFC 8536 section 3.2 bounds utoff to
    // -2^31..2^31 but says readers may reject anything past 25 hours); the arithmetic must still
    // hold for anything up to that.
    std::uint64_t seed = 1469598103934665603ULL;
    for (std::size_t i = 0; i < size; ++i) {
        seed = (seed ^ data[i]) * 1099511628211ULL;
    }
    for (int probe = 0; probe < 16; ++probe) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        const auto seconds = kStartSeconds + static_cast<std::int64_t>(
                                                 seed % static_cast<std::uint64_t>(kSpanSeconds));
        const UtcTime instant{std::chrono::seconds{seconds}};
        const auto offset = zone->offset_at(seconds);
        if (std::abs(static_cast<std::int64_t>(offset)) > 26 * 3600) {
            continue;
        }
        const auto civil = zone->to_civil(instant);
        require(civil.utc_offset_seconds == offset, "the wall time carries the offset used");
        const auto back = zone->to_utc(civil);
        require(back.has_value() && *back == instant,
                "a wall time with its offset maps back to the same instant");
        auto local = civil;
        local.utc_offset_seconds.reset();
        const auto guessed = zone->to_utc(local);
        require(guessed.has_value(), "a wall time that exists gives an instant");
    }
    return 0;
}
