#pragma once

#include <expected>
#include <string>
#include <string_view>

namespace diag {

/// A monitoring-plugins threshold range, "[@]start:end": an alert fires when the value lies
/// outside start..end (inclusive), or inside it when the range starts with '@'.
/// "10" is 0..10, "10:" is 10..infinity, "~:10" is -infinity..10.
/// Source: Monitoring Plugins Development Guidelines, "Threshold and ranges".
struct ThresholdRange {
    double start = 0.0;
    double end = 0.0;
    bool start_infinite = false;
    bool end_infinite = false;
    bool inside = false;
    /// The text it was parsed from, echoed in perfdata.
    std::string text;

    /// True when a value at v should raise the alert this range belongs to.
    [[nodiscard]] bool alerts(double v) const;
};

/// Parses "[@][start:][end]" with "~" for negative infinity; the error names the text and why.
std::expected<ThresholdRange, std::string> parse_threshold_range(std::string_view text);

}  // namespace diag
