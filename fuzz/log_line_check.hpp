#pragma once

// Invariants every log line parser keeps, whatever the format: the parsers of
// libdiag/src/logs/*_line.cpp only cut pieces out of the line, so every piece of text in the
// record is found in the line; stamps read into a civil time are in range; a line parses the
// same way twice; and what the parser saw does not depend on text after the end of the line.

#include "fuzz_check.hpp"

#include <diag/logs/line_parsers.hpp>
#include <diag/logs/time_zone.hpp>

#include <cmath>
#include <string>
#include <string_view>

namespace diag::fuzz {

/// True when piece is empty or occurs in text.
inline bool found_in(std::string_view text, std::string_view piece) {
    return piece.empty() || text.find(piece) != std::string_view::npos;
}

/// True when two parses of one line gave the same record.
inline bool same_parse(const logs::ParsedLine& a, const logs::ParsedLine& b) {
    const auto& x = a.record;
    const auto& y = b.record;
    if (x.message != y.message || x.stamp != y.stamp || x.host != y.host ||
        x.program != y.program || x.pid != y.pid || x.tid != y.tid || x.level != y.level ||
        x.format != y.format || x.fields.size() != y.fields.size() ||
        x.monotonic_seconds.has_value() != y.monotonic_seconds.has_value() ||
        a.civil.has_value() != b.civil.has_value()) {
        return false;
    }
    for (std::size_t i = 0; i < x.fields.size(); ++i) {
        if (x.fields[i].name != y.fields[i].name || x.fields[i].value != y.fields[i].value) {
            return false;
        }
    }
    return true;
}

/// Checks one parse of `line` by a parser of `format`; `fixed_program` names a program the
/// parser may set without reading it from the line ("kernel", "nginx").
inline void check_parsed_line(std::string_view line, const logs::ParsedLine& parsed,
                              logs::LogFormat format, std::string_view fixed_program = {}) {
    const auto& record = parsed.record;
    require(record.format == format, "a parsed record carries the parser's format");
    require(found_in(line, record.message), "the message is a piece of the line");
    require(found_in(line, record.stamp), "the stamp is a piece of the line");
    require(found_in(line, record.host), "the host is a piece of the line");
    require(record.program == fixed_program || found_in(line, record.program),
            "the program is a piece of the line");
    require(
        record.message.empty() || (record.message.back() != ' ' && record.message.back() != '\r'),
        "the message has no trailing space or CR");
    for (const auto& field : record.fields) {
        require(!field.name.empty(), "every field has a name");
    }
    require(!record.pid || *record.pid >= 0, "a pid is never negative");
    require(!record.tid || *record.tid >= 0, "a tid is never negative");
    if (record.monotonic_seconds) {
        require(std::isfinite(*record.monotonic_seconds) && *record.monotonic_seconds >= 0,
                "seconds since boot are finite and not negative");
    }
    if (parsed.civil) {
        const auto& civil = *parsed.civil;
        require(civil.month >= 1 && civil.month <= 12, "the month is 1 to 12");
        require(civil.day >= 1 && civil.day <= 31, "the day is 1 to 31");
        require(civil.hour < 24 && civil.minute < 60 && civil.second <= 60,
                "the clock is in range (a leap second allowed)");
        require(civil.microsecond < 1000000, "the fraction is below a second");
        require(!civil.year || (*civil.year >= 0 && *civil.year <= 9999),
                "a year has at most four digits");
        require(!civil.utc_offset_seconds || (*civil.utc_offset_seconds > -100 * 3600 &&
                                              *civil.utc_offset_seconds < 100 * 3600),
                "an offset is two digits of hours");
        // The zone step after parsing must take any stamp the parser gives, with or without
        // a year, without crashing.
        logs::CivilTime with_year = civil;
        with_year.year = with_year.year.value_or(2024);
        const auto utc = logs::TimeZone::fixed(3600, "+01:00").to_utc(with_year);
        if (utc && !civil.utc_offset_seconds && civil.second < 60) {
            const auto back = logs::TimeZone::fixed(3600, "+01:00").to_civil(*utc);
            require(back.hour == civil.hour && back.minute == civil.minute &&
                        back.microsecond == civil.microsecond,
                    "a stamp put on the timeline reads back as written");
        }
    }
}

/// Runs `parse` on the input and the checks above, plus: parsing is deterministic, and a line
/// that parses still parses with a CR or with trailing spaces after it (writers differ there),
/// giving the same message.
template <class Parse>
void check_line_parser(std::string_view input, Parse parse, logs::LogFormat format,
                       std::string_view fixed_program = {}) {
    // One line: the splitter never hands a parser a newline.
    const auto line = input.substr(0, input.find('\n'));
    const auto parsed = parse(line);
    if (!parsed) {
        return;
    }
    check_parsed_line(line, *parsed, format, fixed_program);
    const auto again = parse(line);
    require(again.has_value() && same_parse(*parsed, *again), "a line parses the same twice");
    const std::string padded = std::string(line) + "  \r";
    const auto with_padding = parse(padded);
    require(with_padding.has_value(), "trailing spaces and a CR do not stop a line parsing");
    if (!line.empty() && line.back() != ' ' && line.back() != '\r' && line.back() != '\t') {
        require(with_padding->record.message == parsed->record.message,
                "trailing spaces and a CR do not change the message");
    }
}

/// A line parser's whole fuzz target: check_line_parser on the input, then the format's own
/// checks, extra(line, parsed), on the first line when it parses.
template <class Parse, class Extra>
int run_line_target(const std::uint8_t* data, std::size_t size, Parse parse, logs::LogFormat format,
                    std::string_view fixed_program, Extra extra) {
    const auto text = as_text(data, size);
    check_line_parser(text, parse, format, fixed_program);
    const auto line = text.substr(0, text.find('\n'));
    if (const auto parsed = parse(line)) {
        extra(line, *parsed);
    }
    return 0;
}

}  // namespace diag::fuzz
