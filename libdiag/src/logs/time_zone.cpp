#include "diag/logs/time_zone.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace diag::logs {

namespace {

// TZif layout from RFC 8536 section 3: a 44-byte header of magic, version, 15 unused bytes
// and six 32-bit big-endian counts, then the data block.
constexpr std::size_t kHeaderBytes = 44;

struct TzifCounts {
    std::uint32_t isut = 0;
    std::uint32_t isstd = 0;
    std::uint32_t leap = 0;
    std::uint32_t time = 0;
    std::uint32_t type = 0;
    std::uint32_t chars = 0;
};

std::uint64_t read_big_endian(std::string_view bytes, std::size_t pos, std::size_t width) {
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < width; ++i) {
        value = (value << 8U) | static_cast<unsigned char>(bytes[pos + i]);
    }
    return value;
}

std::optional<TzifCounts> read_header(std::string_view bytes, std::size_t pos) {
    if (bytes.size() < pos + kHeaderBytes || bytes.substr(pos, 4) != "TZif") {
        return std::nullopt;
    }
    const auto count = [&](std::size_t index) {
        return static_cast<std::uint32_t>(read_big_endian(bytes, pos + 20 + index * 4, 4));
    };
    return TzifCounts{count(0), count(1), count(2), count(3), count(4), count(5)};
}

// Bytes of the data block after a header, for times of `time_bytes` (4 in v1, 8 in v2+).
std::uint64_t data_block_bytes(const TzifCounts& c, std::uint64_t time_bytes) {
    return std::uint64_t{c.time} * time_bytes + c.time + std::uint64_t{c.type} * 6 + c.chars +
           std::uint64_t{c.leap} * (time_bytes + 4) + c.isstd + c.isut;
}

}  // namespace

TimeZone TimeZone::fixed(std::int32_t offset_seconds, std::string name) {
    TimeZone zone;
    zone.name_ = std::move(name);
    zone.base_offset_seconds_ = offset_seconds;
    return zone;
}

std::expected<TimeZone, std::string> TimeZone::from_tzif(std::string_view bytes, std::string name) {
    auto counts = read_header(bytes, 0);
    if (!counts) {
        return std::unexpected("not a TZif file (no \"TZif\" magic)");
    }
    std::size_t pos = kHeaderBytes;
    std::uint64_t time_bytes = 4;
    const char version = bytes[4];
    if (version >= '2') {
        // Skip the version 1 block; the second header and 64-bit data follow.
        const std::uint64_t skip = data_block_bytes(*counts, 4);
        if (skip > bytes.size() - pos) {
            return std::unexpected("TZif version 1 block is cut short");
        }
        pos += static_cast<std::size_t>(skip);
        counts = read_header(bytes, pos);
        if (!counts) {
            return std::unexpected("TZif second header is missing");
        }
        pos += kHeaderBytes;
        time_bytes = 8;
    }
    if (counts->type == 0 || data_block_bytes(*counts, time_bytes) > bytes.size() - pos) {
        return std::unexpected("TZif data block is cut short or has no time types");
    }
    const std::size_t times_at = pos;
    const std::size_t indexes_at = times_at + counts->time * time_bytes;
    const std::size_t types_at = indexes_at + counts->time;
    const auto type_offset = [&](std::size_t type) {
        return static_cast<std::int32_t>(
            static_cast<std::uint32_t>(read_big_endian(bytes, types_at + type * 6, 4)));
    };

    TimeZone zone;
    zone.name_ = std::move(name);
    zone.base_offset_seconds_ = type_offset(0);
    zone.transitions_.reserve(counts->time);
    for (std::size_t i = 0; i < counts->time; ++i) {
        const std::uint64_t raw = read_big_endian(bytes, times_at + i * time_bytes, time_bytes);
        const std::int64_t at = time_bytes == 8
                                    ? static_cast<std::int64_t>(raw)
                                    : static_cast<std::int32_t>(static_cast<std::uint32_t>(raw));
        const auto type = static_cast<unsigned char>(bytes[indexes_at + i]);
        if (type >= counts->type) {
            return std::unexpected("TZif transition names a time type that does not exist");
        }
        zone.transitions_.push_back({at, type_offset(type)});
    }
    // TODO(#7): times after the last transition should follow the POSIX TZ string in the footer
    // (RFC 8536 section 3.3); Debian's "fat" files list transitions up to 2037, so until then
    // the last transition's offset is used.
    return zone;
}

std::int32_t TimeZone::offset_at(std::int64_t utc_seconds) const {
    const auto after = std::upper_bound(
        transitions_.begin(), transitions_.end(), utc_seconds,
        [](std::int64_t value, const Transition& t) { return value < t.at_utc_seconds; });
    if (after == transitions_.begin()) {
        return base_offset_seconds_;
    }
    return std::prev(after)->offset_seconds;
}

std::optional<UtcTime> TimeZone::to_utc(const CivilTime& civil) const {
    auto as_utc = civil_as_utc(civil);
    if (!as_utc) {
        return std::nullopt;
    }
    if (civil.utc_offset_seconds) {
        return *as_utc - std::chrono::seconds{*civil.utc_offset_seconds};
    }
    const auto wall = std::chrono::floor<std::chrono::seconds>(*as_utc).time_since_epoch().count();
    // The offsets in force a day either side cover any transition near this wall time. An offset
    // is right when the instant it gives maps back onto it. Two are right in an overlap (fall
    // back): the larger gives the earlier instant. None is in a gap (spring forward): the offset
    // from before the gap is used, as mktime(3) does.
    constexpr std::int64_t kDay = 86400;
    const std::int32_t before = offset_at(wall - kDay);
    const std::int32_t after = offset_at(wall + kDay);
    std::optional<std::int32_t> chosen;
    for (const std::int32_t candidate : {before, after}) {
        if (offset_at(wall - candidate) == candidate && (!chosen || candidate > *chosen)) {
            chosen = candidate;
        }
    }
    return *as_utc - std::chrono::seconds{chosen.value_or(before)};
}

CivilTime TimeZone::to_civil(UtcTime time) const {
    const auto seconds = std::chrono::floor<std::chrono::seconds>(time).time_since_epoch().count();
    const std::int32_t offset = offset_at(seconds);
    CivilTime civil = utc_to_civil(time + std::chrono::seconds{offset});
    civil.utc_offset_seconds = offset;
    return civil;
}

std::optional<std::int32_t> parse_utc_offset(std::string_view text) {
    if (text == "UTC" || text == "Z" || text == "GMT" || text == "utc") {
        return 0;
    }
    if (text.size() < 3 || (text[0] != '+' && text[0] != '-')) {
        return std::nullopt;
    }
    const auto hours = read_digits(text, 1, 2);
    std::optional<unsigned> minutes = 0;
    if (text.size() == 6 && text[3] == ':') {
        minutes = read_digits(text, 4, 2);
    } else if (text.size() == 5) {
        minutes = read_digits(text, 3, 2);
    } else if (text.size() != 3) {
        return std::nullopt;
    }
    if (!hours || !minutes || *hours > 14 || *minutes > 59) {
        return std::nullopt;
    }
    const auto total = static_cast<std::int32_t>(*hours * 3600 + *minutes * 60);
    return text[0] == '-' ? -total : total;
}

}  // namespace diag::logs
