// Fuzzes parse_threshold_range, the monitoring-plugins "[@]start:end" syntax of -w and -c
// (Monitoring Plugins Development Guidelines, "Threshold and ranges").
// Invariants: a parsed range keeps its text, has no NaN bound, never starts after it ends,
// and alerts exactly outside its bounds (inside them with '@'); an error names the text.

#include "fuzz_check.hpp"

#include <diag/core/threshold_range.hpp>

#include <cmath>
#include <limits>

namespace {

using diag::fuzz::require;

void check_range(std::string_view text, const diag::ThresholdRange& range) {
    require(range.text == text, "the range keeps the text it came from");
    require(range.inside == text.starts_with('@'), "'@' and only '@' means alert inside");
    require(!std::isnan(range.start) && !std::isnan(range.end), "no bound is NaN");
    require(range.start_infinite || range.end_infinite || range.start <= range.end,
            "start is not greater than end");

    const bool alert_inside = range.inside;
    constexpr double kInfinity = std::numeric_limits<double>::infinity();
    const double low = range.start_infinite ? -kInfinity : range.start;
    const double high = range.end_infinite ? kInfinity : range.end;
    if (std::isfinite(low)) {
        require(range.alerts(low) == alert_inside, "the start belongs to the range");
        require(range.alerts(std::nextafter(low, -kInfinity)) == !alert_inside,
                "just below the start is outside the range");
    }
    if (std::isfinite(high)) {
        require(range.alerts(high) == alert_inside, "the end belongs to the range");
        require(range.alerts(std::nextafter(high, kInfinity)) == !alert_inside,
                "just above the end is outside the range");
    }
    constexpr double kLowest = std::numeric_limits<double>::lowest();
    if (range.start_infinite && high >= kLowest) {
        require(range.alerts(kLowest) == alert_inside, "~ reaches down to the lowest number");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto text = diag::fuzz::as_text(data, size);
    const auto range = diag::parse_threshold_range(text);
    if (range) {
        check_range(text, *range);
    } else {
        require(!range.error().empty() && range.error().find("invalid range") == 0,
                "an error says the range is invalid");
    }
    return 0;
}
