#pragma once

#include <diag/core/report.hpp>
#include <diag/core/root.hpp>
#include <diag/crash/core_discovery.hpp>

#include <chrono>
#include <expected>
#include <optional>
#include <string>
#include <vector>

namespace diag::crash {

/// diag-report's crash collector: cores found by discover_cores within `window` before now,
/// each a warning naming the executable, signal and path; ok when there are none. The cores
/// are listed, not unwound (diag-core does that).
Report collect_recent_crashes(const Root& root, std::chrono::hours window = std::chrono::hours(24));

/// The file under a state directory where diag-core --list keeps the time of its last run.
inline constexpr const char* kCoreStateFile = "core-state.json";

/// The cores found after `last_run` (the previous diag-core --list with a state directory):
/// each a warning "crash.new" naming executable, signal and path, and one finding counting them
/// (ok when none) with the count as Nagios perfdata `new_crashes`. Without a last run (the
/// first one), an info finding says how many cores are known and that counting starts now.
/// Cores without a time are not counted as new. Pure.
Report assess_new_crashes(const std::vector<FoundCore>& cores,
                          std::optional<std::chrono::system_clock::time_point> last_run,
                          std::chrono::system_clock::time_point now);

/// core-state.json's last run time; nullopt when the text is not such a file.
std::optional<std::chrono::system_clock::time_point> parse_core_state(std::string_view text);
std::string render_core_state(std::chrono::system_clock::time_point last_run);

}  // namespace diag::crash
