#pragma once

#include <optional>
#include <string_view>

namespace diag::sys {

/// /proc/loadavg: run-queue length averaged over 1, 5 and 15 minutes (tasks running or in
/// uninterruptible sleep), and runnable/total tasks. Format: proc(5).
struct LoadAverage {
    double load1 = 0.0;
    double load5 = 0.0;
    double load15 = 0.0;
    unsigned runnable = 0;
    unsigned tasks = 0;
};

/// Parses /proc/loadavg; nullopt when the three averages are not there.
std::optional<LoadAverage> parse_loadavg(std::string_view text);

/// /proc/uptime: seconds since boot (first field); nullopt when it does not parse.
std::optional<double> parse_uptime_seconds(std::string_view text);

}  // namespace diag::sys
