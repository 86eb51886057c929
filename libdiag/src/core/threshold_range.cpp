#include "diag/core/threshold_range.hpp"

#include <charconv>
#include <cmath>
#include <optional>

#include <fmt/format.h>

namespace diag {

namespace {

std::optional<double> parse_number(std::string_view text) {
    double value = 0.0;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    // "nan" parses, but a NaN bound makes every comparison false, so "nan:5" alerted on every
    // value and "@nan" never (found by fuzz/fuzz_threshold_range). Infinities are fine.
    if (ec != std::errc{} || ptr != end || std::isnan(value)) {
        return std::nullopt;
    }
    return value;
}

}  // namespace

bool ThresholdRange::alerts(double v) const {
    const bool within = (start_infinite || v >= start) && (end_infinite || v <= end);
    return inside ? within : !within;
}

std::expected<ThresholdRange, std::string> parse_threshold_range(std::string_view text) {
    ThresholdRange range;
    range.text = std::string(text);
    auto fail = [&](std::string_view why) {
        return std::unexpected(fmt::format("invalid range '{}': {}", range.text, why));
    };
    if (text.empty()) {
        return fail("empty");
    }
    if (text.front() == '@') {
        range.inside = true;
        text.remove_prefix(1);
        if (text.empty()) {
            return fail("'@' needs a range after it");
        }
    }
    std::string_view start_text;
    std::string_view end_text = text;
    if (const auto colon = text.find(':'); colon != std::string_view::npos) {
        start_text = text.substr(0, colon);
        end_text = text.substr(colon + 1);
        if (start_text.empty()) {
            return fail("a colon needs a start before it (use ~ for minus infinity)");
        }
    }
    if (start_text == "~") {
        range.start_infinite = true;
    } else if (!start_text.empty()) {
        auto start = parse_number(start_text);
        if (!start) {
            return fail(fmt::format("'{}' is not a number", start_text));
        }
        range.start = *start;
    }
    if (end_text.empty()) {
        range.end_infinite = true;
    } else {
        auto end = parse_number(end_text);
        if (!end) {
            return fail(fmt::format("'{}' is not a number", end_text));
        }
        range.end = *end;
    }
    if (!range.start_infinite && !range.end_infinite && range.start > range.end) {
        return fail("start is greater than end");
    }
    return range;
}

}  // namespace diag
