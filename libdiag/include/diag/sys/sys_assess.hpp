#pragma once

#include <diag/core/report.hpp>
#include <diag/sys/sys_snapshot.hpp>

namespace diag::sys {

/// Judges a snapshot: memory, pressure, load, CPU iowait and steal, kernel taint, filesystems,
/// TCP, clock and uptime. Each check with data adds a finding (ok included) and counts as
/// assessed; a check without data adds nothing (its Issue came from the probe). Thresholds
/// and their reasons are in diag-sys(1).
Report assess_sys(const SysSnapshot& snapshot);

}  // namespace diag::sys
