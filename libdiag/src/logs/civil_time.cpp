#include "diag/logs/civil_time.hpp"

#include <array>
#include <cctype>

namespace diag::logs {

namespace {

constexpr std::array<std::string_view, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

constexpr std::int64_t kSecondsPerDay = 86400;

}  // namespace

std::optional<UtcTime> civil_as_utc(const CivilTime& civil) {
    using namespace std::chrono;
    if (!civil.year || civil.hour > 23 || civil.minute > 59 || civil.second > 60 ||
        civil.microsecond > 999999) {
        return std::nullopt;
    }
    const year_month_day date{year{*civil.year}, month{civil.month}, day{civil.day}};
    if (!date.ok()) {
        return std::nullopt;
    }
    // A leap second (":60") is folded onto the next second, as POSIX time has no room for it.
    const auto seconds = sys_days{date}.time_since_epoch() + hours{civil.hour} +
                         minutes{civil.minute} + std::chrono::seconds{civil.second};
    return UtcTime{duration_cast<microseconds>(seconds) + microseconds{civil.microsecond}};
}

CivilTime utc_to_civil(UtcTime time) {
    using namespace std::chrono;
    const auto days = floor<std::chrono::days>(time);
    const year_month_day date{days};
    const auto in_day = time - days;
    const auto total_seconds = duration_cast<seconds>(in_day).count();
    CivilTime civil;
    civil.year = static_cast<int>(date.year());
    civil.month = static_cast<unsigned>(date.month());
    civil.day = static_cast<unsigned>(date.day());
    civil.hour = static_cast<unsigned>(total_seconds / 3600);
    civil.minute = static_cast<unsigned>((total_seconds % 3600) / 60);
    civil.second = static_cast<unsigned>(total_seconds % 60);
    civil.microsecond = static_cast<std::uint32_t>((in_day - seconds{total_seconds}).count());
    civil.utc_offset_seconds = 0;
    return civil;
}

std::optional<unsigned> month_from_abbreviation(std::string_view name) {
    for (std::size_t i = 0; i < kMonths.size(); ++i) {
        if (kMonths.at(i) == name) {
            return static_cast<unsigned>(i + 1);
        }
    }
    return std::nullopt;
}

std::optional<unsigned> read_digits(std::string_view text, std::size_t pos, std::size_t width) {
    if (pos + width > text.size()) {
        return std::nullopt;
    }
    unsigned value = 0;
    for (std::size_t i = pos; i < pos + width; ++i) {
        const char c = text[i];
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        value = value * 10 + static_cast<unsigned>(c - '0');
    }
    return value;
}

std::optional<std::chrono::seconds> parse_duration(std::string_view text) {
    if (text.size() < 2) {
        return std::nullopt;
    }
    std::int64_t value = 0;
    std::size_t i = 0;
    for (; i + 1 < text.size(); ++i) {
        if (text[i] < '0' || text[i] > '9' || value > 1'000'000'000) {
            return std::nullopt;
        }
        value = value * 10 + (text[i] - '0');
    }
    switch (text[i]) {
        case 's':
            return std::chrono::seconds{value};
        case 'm':
            return std::chrono::seconds{value * 60};
        case 'h':
            return std::chrono::seconds{value * 3600};
        case 'd':
            return std::chrono::seconds{value * kSecondsPerDay};
        default:
            return std::nullopt;
    }
}

std::optional<UtcTime> parse_time_argument(std::string_view text, UtcTime now) {
    if (text.starts_with('-')) {
        const auto ago = parse_duration(text.substr(1));
        if (!ago) {
            return std::nullopt;
        }
        return now - std::chrono::duration_cast<std::chrono::microseconds>(*ago);
    }
    // YYYY-MM-DD[( |T)HH:MM[:SS]][Z|+HH:MM]
    const auto year = read_digits(text, 0, 4);
    const auto month = read_digits(text, 5, 2);
    const auto day = read_digits(text, 8, 2);
    if (!year || !month || !day || text[4] != '-' || text[7] != '-') {
        return std::nullopt;
    }
    CivilTime civil{static_cast<int>(*year), *month, *day, 0, 0, 0, 0, std::nullopt};
    std::size_t pos = 10;
    if (pos < text.size() && (text[pos] == ' ' || text[pos] == 'T')) {
        const auto hour = read_digits(text, pos + 1, 2);
        const auto minute = read_digits(text, pos + 4, 2);
        if (!hour || !minute || text[pos + 3] != ':') {
            return std::nullopt;
        }
        civil.hour = *hour;
        civil.minute = *minute;
        pos += 6;
        if (pos < text.size() && text[pos] == ':') {
            const auto second = read_digits(text, pos + 1, 2);
            if (!second) {
                return std::nullopt;
            }
            civil.second = *second;
            pos += 3;
        }
    }
    auto utc = civil_as_utc(civil);
    if (!utc) {
        return std::nullopt;
    }
    const std::string_view zone = text.substr(pos);
    if (zone.empty() || zone == "Z") {
        return utc;
    }
    if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
        const auto zone_hours = read_digits(zone, 1, 2);
        const auto zone_minutes = read_digits(zone, 4, 2);
        if (!zone_hours || !zone_minutes) {
            return std::nullopt;
        }
        const auto offset = std::chrono::minutes{*zone_hours * 60 + *zone_minutes};
        return zone[0] == '+' ? *utc - offset : *utc + offset;
    }
    return std::nullopt;
}

}  // namespace diag::logs
