#pragma once

#include <diag/core/report.hpp>
#include <diag/tui/styled_line.hpp>

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace diag::tui {

/// One thing a domain's findings are about (a disk, an interface, a DIMM, a crashed program),
/// with the worst of them.
struct SubjectRow {
    std::string subject;
    Severity worst = Severity::ok;
    std::size_t finding_count = 0;
    /// The summary of its worst finding.
    std::string summary;
};

/// The subjects of a report's findings, worst first, then by name.
std::vector<SubjectRow> subjects_of(const Report& report);

/// The metrics with a label whose value is `subject` ("device" = "eth0" or "/dev/sda").
std::vector<const Metric*> metrics_about(const Report& report, const std::string& subject);

/// One reading of an interface's counters, taken from the net collector's metrics.
struct InterfaceSample {
    /// Seconds on a steady clock when the report came.
    double at_seconds = 0;
    std::optional<double> rx_bytes;
    std::optional<double> tx_bytes;
    /// Receive and transmit errors and drops added up.
    std::optional<double> errors;
    std::optional<double> carrier_changes;
    /// 1 when the carrier is up, 0 when down.
    std::optional<double> carrier;
};

/// Readings per interface, oldest first.
using NetHistory = std::map<std::string, std::vector<InterfaceSample>>;

/// Readings kept per interface.
inline constexpr std::size_t kNetHistoryLength = 30;

/// Adds one reading per interface named in the net report's metrics; keeps the last
/// kNetHistoryLength. A counter that is absent stays absent, never zero.
void add_net_sample(NetHistory& history, const Report& report, double at_seconds);

/// Per-second rate of a counter between the last two readings; nullopt with fewer than two,
/// when either lacks it, or when it went backwards (a counter reset).
std::optional<double> last_rate(const std::vector<InterfaceSample>& samples,
                                std::optional<double> InterfaceSample::*counter);

/// Increase of a counter between consecutive readings (absent pairs give 0 and are marked by
/// a gap in the sparkline), oldest first.
std::vector<std::optional<double>> increases(const std::vector<InterfaceSample>& samples,
                                             std::optional<double> InterfaceSample::*counter);

/// A sparkline of the values, one column each: UTF-8 blocks, or "_.:-=+*#" in ASCII. Zero is
/// the lowest mark, an absent value a space; the highest value takes the highest mark.
std::string sparkline(const std::vector<std::optional<double>>& values, const Glyphs& glyphs);

/// "1.2 MB/s", "340 B/s".
std::string format_rate(double bytes_per_second);

}  // namespace diag::tui
