#pragma once

// Small helpers the line parsers share: reading numbers and tokens off the front of a line.

#include <diag/logs/civil_time.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string_view>

namespace diag::logs::detail {

/// Removes `prefix` from the front of text; false (text unchanged) when it is not there.
inline bool consume(std::string_view& text, std::string_view prefix) {
    if (!text.starts_with(prefix)) {
        return false;
    }
    text.remove_prefix(prefix.size());
    return true;
}

/// Removes leading spaces; returns how many.
inline std::size_t skip_spaces(std::string_view& text) {
    std::size_t count = 0;
    while (count < text.size() && text[count] == ' ') {
        ++count;
    }
    text.remove_prefix(count);
    return count;
}

/// Reads an unsigned decimal of 1 to max_digits digits off the front.
inline std::optional<std::uint64_t> consume_number(std::string_view& text,
                                                   std::size_t max_digits = 19) {
    std::uint64_t value = 0;
    std::size_t count = 0;
    while (count < text.size() && count < max_digits && text[count] >= '0' && text[count] <= '9') {
        value = value * 10 + static_cast<std::uint64_t>(text[count] - '0');
        ++count;
    }
    if (count == 0) {
        return std::nullopt;
    }
    text.remove_prefix(count);
    return value;
}

/// Reads up to the next space (or the end); empty when text starts with a space.
inline std::string_view consume_token(std::string_view& text) {
    const auto end = std::min(text.find(' '), text.size());
    const auto token = text.substr(0, end);
    text.remove_prefix(end);
    return token;
}

/// Drops trailing spaces, tabs and CRs: they carry nothing and writers differ on them.
inline std::string_view trim_right(std::string_view text) {
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
        text.remove_suffix(1);
    }
    return text;
}

/// True when month and day could be a date (1..12, 1..31); the day of the month is checked
/// against the month when the time is normalised.
inline bool plausible_date(unsigned month, unsigned day) {
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/// Reads "HH:MM:SS" into civil; false when it is not there.
inline bool consume_clock(std::string_view& text, CivilTime& civil) {
    const auto hour = read_digits(text, 0, 2);
    const auto minute = read_digits(text, 3, 2);
    const auto second = read_digits(text, 6, 2);
    if (!hour || !minute || !second || text[2] != ':' || text[5] != ':' || *hour > 23 ||
        *minute > 59 || *second > 60) {
        return false;
    }
    civil.hour = *hour;
    civil.minute = *minute;
    civil.second = *second;
    text.remove_prefix(8);
    return true;
}

/// Reads ".ffffff" (1 to 9 digits, kept to microseconds) when present.
inline void consume_fraction(std::string_view& text, CivilTime& civil) {
    if (text.size() < 2 || text[0] != '.' || text[1] < '0' || text[1] > '9') {
        return;
    }
    text.remove_prefix(1);
    std::uint32_t micro = 0;
    std::size_t digits = 0;
    while (!text.empty() && text[0] >= '0' && text[0] <= '9') {
        if (digits < 6) {
            micro = micro * 10 + static_cast<std::uint32_t>(text[0] - '0');
        }
        ++digits;
        text.remove_prefix(1);
    }
    for (; digits < 6; ++digits) {
        micro *= 10;
    }
    civil.microsecond = micro;
}

/// Reads an RFC 3339 stamp "YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM)" (RFC 3339 section 5.6); the
/// zone may be missing when zone_optional. False when the stamp is not there.
bool consume_rfc3339(std::string_view& text, CivilTime& civil, bool zone_optional);

/// Reads "tag[pid]: " or "tag: " (the tag may hold one space, as in "syslogd 1.4.1:"); fills
/// program and pid and returns true, or leaves text alone and returns false.
bool consume_syslog_tag(std::string_view& text, std::string& program,
                        std::optional<std::int64_t>& pid);

/// Reads "[   12.345678] " (the kernel's printk time, seconds since boot); nullopt when absent.
std::optional<double> consume_printk_time(std::string_view& text);

}  // namespace diag::logs::detail
