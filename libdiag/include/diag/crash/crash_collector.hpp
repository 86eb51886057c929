#pragma once

#include <diag/core/report.hpp>
#include <diag/core/root.hpp>

#include <chrono>

namespace diag::crash {

/// diag-report's crash collector: cores found by discover_cores within `window` before now,
/// each a warning naming the executable, signal and path; ok when there are none. The cores
/// are listed, not unwound (diag-core does that).
Report collect_recent_crashes(const Root& root, std::chrono::hours window = std::chrono::hours(24));

}  // namespace diag::crash
