#pragma once

#include <diag/core/finding.hpp>
#include <diag/core/issue.hpp>
#include <diag/core/metric.hpp>
#include <diag/core/perfdata.hpp>

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace diag {

/// Everything one collector or one whole tool run produced: findings, the Issues met on the way,
/// metrics for Prometheus and perfdata for Nagios. Partial data is normal on a failing box.
struct Report {
    std::vector<Finding> findings;
    std::vector<Issue> issues;
    std::vector<Metric> metrics;
    std::vector<Perfdata> perfdata;
    /// How many checks had data to judge; zero means nothing could be assessed (exit 3).
    std::size_t assessed_count = 0;

    /// Appends everything from other.
    void merge(Report other);
    /// The worst severity among the findings; ok when there are none.
    [[nodiscard]] Severity worst() const;
};

/// The exit status for a report: 0 nothing at warning or above, 1 warning, 2 critical,
/// 3 nothing could be assessed.
int exit_status(const Report& report);

/// Exit status for a command-line usage error (3 under --nagios, as the plugin contract wants).
inline constexpr int kExitUsage = 64;
inline constexpr int kExitUnknown = 3;

/// Findings sorted worst first, then by check and subject, stable otherwise.
std::vector<Finding> ranked(std::vector<Finding> findings);

/// The positions of the findings in ranked order, for a renderer that reads them in place.
std::vector<std::size_t> ranked_order(const std::vector<Finding>& findings);

}  // namespace diag
