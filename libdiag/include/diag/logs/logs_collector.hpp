#pragma once

#include <diag/core/report.hpp>
#include <diag/core/root.hpp>

#include <chrono>

namespace diag::logs {

/// diag-report's logs collector: reads this box's default logs for the last `span`, and
/// reports the incidents found there (check "logs.incident") with the events-by-rule metrics.
/// Single classified events outside incidents are left to diag-logs.
Report collect_recent_incidents(const Root& root, std::chrono::hours span = std::chrono::hours(24));

}  // namespace diag::logs
