#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace diag::logs {

/// A point on the UTC timeline with microsecond resolution (the finest any log stamp we read
/// carries: rsyslog's high-precision format and /dev/kmsg both stop at microseconds).
using UtcTime = std::chrono::sys_time<std::chrono::microseconds>;

/// A wall-clock reading as written in a log line, before any zone or year is applied.
struct CivilTime {
    /// Absent when the stamp has no year (RFC 3164).
    std::optional<int> year;
    unsigned month = 1;
    unsigned day = 1;
    unsigned hour = 0;
    unsigned minute = 0;
    unsigned second = 0;
    std::uint32_t microsecond = 0;
    /// Offset east of UTC written in the stamp ("+01:00", "Z"); absent for local time.
    std::optional<std::int32_t> utc_offset_seconds;
};

/// The UTC time of a civil reading taken as UTC plus nothing: year must be set. Returns nullopt
/// when the date does not exist (February 30th) or a field is out of range.
std::optional<UtcTime> civil_as_utc(const CivilTime& civil);

/// The civil fields of a UTC time (offset set to zero).
CivilTime utc_to_civil(UtcTime time);

/// 1 for "Jan" ... 12 for "Dec" (exact case as every log writer prints it); nullopt otherwise.
std::optional<unsigned> month_from_abbreviation(std::string_view name);

/// Reads exactly `width` decimal digits at text[pos]; nullopt when one is not a digit.
std::optional<unsigned> read_digits(std::string_view text, std::size_t pos, std::size_t width);

/// Parses a relative or absolute time as the command line takes it: "-2h", "-30m", "-1d",
/// "-45s" relative to now; "2024-01-02", "2024-01-02 03:04", "2024-01-02T03:04:05",
/// with an optional "Z" or "+01:00" (absent: UTC). nullopt when it is neither.
std::optional<UtcTime> parse_time_argument(std::string_view text, UtcTime now);

/// Parses a duration such as "5m", "90s", "2h", "1d"; nullopt otherwise.
std::optional<std::chrono::seconds> parse_duration(std::string_view text);

}  // namespace diag::logs
