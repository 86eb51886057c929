#include "diag/core/units.hpp"

#include <array>
#include <ctime>

#include <fmt/chrono.h>
#include <fmt/format.h>

namespace diag {

std::string format_bytes(std::uint64_t bytes) {
    constexpr std::array<const char*, 7> kUnits{"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    if (bytes < 1024) {
        return fmt::format("{} B", bytes);
    }
    auto value = static_cast<double>(bytes);
    std::size_t unit = 0;
    while (value >= 1024.0 && unit + 1 < kUnits.size()) {
        value /= 1024.0;
        ++unit;
    }
    return fmt::format("{:.1f} {}", value, kUnits.at(unit));
}

std::string format_duration(std::chrono::seconds duration) {
    const auto total = duration.count();
    if (total < 60) {
        return fmt::format("{}s", total);
    }
    if (total < 3600) {
        return fmt::format("{}m {:02}s", total / 60, total % 60);
    }
    if (total < 86400) {
        return fmt::format("{}h {:02}m", total / 3600, (total % 3600) / 60);
    }
    return fmt::format("{}d {:02}h", total / 86400, (total % 86400) / 3600);
}

namespace {

// fmt 9 (Debian 12) formats a system_clock time_point in the local time zone, so break the
// time down in UTC ourselves.
std::tm utc_fields(std::chrono::system_clock::time_point time) {
    return fmt::gmtime(std::chrono::system_clock::to_time_t(time));
}

}  // namespace

std::string format_utc(std::chrono::system_clock::time_point time) {
    return fmt::format("{:%Y-%m-%d %H:%M:%S} UTC",
                       utc_fields(std::chrono::floor<std::chrono::seconds>(time)));
}

std::string format_iso8601(std::chrono::system_clock::time_point time) {
    const auto millis = std::chrono::floor<std::chrono::milliseconds>(time);
    const auto seconds = std::chrono::floor<std::chrono::seconds>(millis);
    return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03}Z", utc_fields(seconds),
                       (millis - seconds).count());
}

}  // namespace diag
