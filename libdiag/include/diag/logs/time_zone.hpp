#pragma once

#include <diag/logs/civil_time.hpp>

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace diag::logs {

/// The rules of one time zone: a fixed offset, or the transitions of a TZif file. Used to turn
/// the zone-less stamps of syslog, Apache and nginx into UTC.
class TimeZone {
public:
    /// UTC.
    TimeZone() = default;

    /// A zone that is always `offset_seconds` east of UTC.
    static TimeZone fixed(std::int32_t offset_seconds, std::string name);

    /// Decodes a TZif file (RFC 8536): the 64-bit data of version 2 and later, else version 1.
    /// The error names what is wrong with the bytes.
    static std::expected<TimeZone, std::string> from_tzif(std::string_view bytes, std::string name);

    /// "UTC", "+02:00", "Europe/Berlin": as given.
    [[nodiscard]] const std::string& name() const { return name_; }

    /// Offset east of UTC in force at a UTC time, in seconds.
    [[nodiscard]] std::int32_t offset_at(std::int64_t utc_seconds) const;

    /// The UTC time of a wall-clock reading in this zone (the reading's own offset wins when it
    /// has one). In a gap (spring forward) the offset before the gap is used; in an overlap the
    /// earlier instant. nullopt when the civil time is invalid or has no year.
    [[nodiscard]] std::optional<UtcTime> to_utc(const CivilTime& civil) const;

    /// The wall-clock reading of a UTC time in this zone.
    [[nodiscard]] CivilTime to_civil(UtcTime time) const;

private:
    struct Transition {
        std::int64_t at_utc_seconds = 0;
        std::int32_t offset_seconds = 0;
    };
    std::string name_ = "UTC";
    std::int32_t base_offset_seconds_ = 0;
    /// Sorted by time; before the first, base_offset_seconds_ applies.
    std::vector<Transition> transitions_;
};

/// Parses "+02:00", "-0500", "+01", "UTC", "Z"; nullopt otherwise.
std::optional<std::int32_t> parse_utc_offset(std::string_view text);

}  // namespace diag::logs
