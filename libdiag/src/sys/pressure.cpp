#include "diag/sys/pressure.hpp"

#include "diag/sys/text_fields.hpp"

namespace diag::sys {

namespace {

std::optional<PressureLine> parse_line(const std::vector<std::string_view>& fields) {
    PressureLine line;
    int seen = 0;
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
            ++seen;
            continue;
        }
        auto number = parse_double(value);
        if (!number) {
            return std::nullopt;
        }
        if (key == "avg10") {
            line.avg10_pct = *number;
        } else if (key == "avg60") {
            line.avg60_pct = *number;
        } else if (key == "avg300") {
            line.avg300_pct = *number;
        } else {
            continue;
        }
        ++seen;
    }
    constexpr int kFields = 4;
    return seen == kFields ? std::optional(line) : std::nullopt;
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
