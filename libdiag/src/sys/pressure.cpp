#include "diag/sys/pressure.hpp"

#include "diag/sys/text_fields.hpp"

namespace diag::sys {

namespace {

std::optional<PressureLine> parse_line(const std::vector<std::string_view>& fields) {
    PressureLine line;
    // Each of the four keys must be there; counting fields instead let a repeated avg300 stand
    // in for a missing total, which then read as 0 (found by fuzz/fuzz_pressure).
    bool have_avg10 = false;
    bool have_avg60 = false;
    bool have_avg300 = false;
    bool have_total = false;
    for (std::size_t i = 1; i < fields.size(); ++i) {
        const auto eq = fields[i].find('=');
        if (eq == std::string_view::npos) {
            return std::nullopt;
        }
        const auto key = fields[i].substr(0, eq);
        const auto value = fields[i].substr(eq + 1);
        if (key == "total") {
            auto total = parse_uint(value);
            if (!total) {
                return std::nullopt;
            }
            line.total_us = *total;
            have_total = true;
            continue;
        }
        // The averages are shares of wall time in percent (psi.rst); anything outside 0 to 100
        // is not a pressure line (found by fuzz/fuzz_pressure: "avg60=125.0" was accepted).
        constexpr double kMaxPct = 100.0;
        auto number = parse_double(value);
        if (!number || !(*number >= 0.0 && *number <= kMaxPct)) {
            return std::nullopt;
        }
        if (key == "avg10") {
            line.avg10_pct = *number;
            have_avg10 = true;
        } else if (key == "avg60") {
            line.avg60_pct = *number;
            have_avg60 = true;
        } else if (key == "avg300") {
            line.avg300_pct = *number;
            have_avg300 = true;
        }
    }
    if (!have_avg10 || !have_avg60 || !have_avg300 || !have_total) {
        return std::nullopt;
    }
    return line;
}

}  // namespace

Pressure parse_pressure(std::string_view text) {
    Pressure pressure;
    for (auto line : split_lines(text)) {
        const auto fields = split_fields(line);
        if (fields.empty()) {
            continue;
        }
        if (fields[0] == "some") {
            pressure.some = parse_line(fields);
        } else if (fields[0] == "full") {
            pressure.full = parse_line(fields);
        }
    }
    return pressure;
}

}  // namespace diag::sys
