#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace diag::sys {

/// One line of a pressure file: the share of wall time in percent that tasks were stalled,
/// averaged over 10 s, 60 s and 300 s, and the total stall time in microseconds.
struct PressureLine {
    double avg10_pct = 0.0;
    double avg60_pct = 0.0;
    double avg300_pct = 0.0;
    std::uint64_t total_us = 0;
};

/// /proc/pressure/{cpu,memory,io}: "some" (at least one task stalled) and "full" (all non-idle
/// tasks stalled). "full" is absent in the cpu file before Linux 5.13.
/// Format: Documentation/accounting/psi.rst.
struct Pressure {
    std::optional<PressureLine> some;
    std::optional<PressureLine> full;
};

/// Parses one pressure file; lines that do not parse are left absent.
Pressure parse_pressure(std::string_view text);

}  // namespace diag::sys
