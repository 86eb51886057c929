#pragma once

#include <diag/core/report.hpp>
#include <diag/core/root.hpp>
#include <diag/crash/core_discovery.hpp>

#include <chrono>
#include <expected>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace diag::crash {

/// diag-report's crash collector: cores found by discover_cores within `window` before now,
/// each a warning naming the executable, signal and path; ok when there are none. The cores
/// are listed, not unwound (diag-core does that).
Report collect_recent_crashes(const Root& root, std::chrono::hours window = std::chrono::hours(24));

/// The file under a state directory where diag-core --list --nagios keeps its last run.
inline constexpr const char* kCoreStateFile = "core-state.json";

/// How far before the last run a core's time may lie and still be new, when that run did not
/// see it: a file's time comes from the kernel's coarse clock (a tick behind), and
/// systemd-coredump renames a core into view only after writing it, which can take minutes.
inline constexpr std::chrono::minutes kNewCrashSlack{10};

/// What one --list --nagios run leaves for the next: when it ran, and the cores it saw whose
/// time lies within kNewCrashSlack of that run (the only ones the next run could count again).
/// `known` is nullopt in a state file written before the set was kept.
struct CoreState {
    std::chrono::system_clock::time_point last_run;
    std::optional<std::set<std::string>> known;
};

/// The name a core is known by between runs: its path and its time to the microsecond.
std::string core_key(const FoundCore& core);

/// The cores that are new since `last` (the previous diag-core --list --nagios): not seen by
/// it, timed after last_run minus kNewCrashSlack and not after `now`. With a state file that
/// lacks the set, a core is new when its time is after last_run. Each new core is a warning
/// "crash.new" naming executable, signal and path; none gives one ok finding; the count is
/// Nagios perfdata `new_crashes`. Without a last run (the first one), an info finding says how
/// many cores are known and that counting starts now. Cores without a time are never new. Pure.
Report assess_new_crashes(const std::vector<FoundCore>& cores, const std::optional<CoreState>& last,
                          std::chrono::system_clock::time_point now);

/// The state this run leaves: `now`, and the keys of the cores timed within kNewCrashSlack
/// before it. A core timed after `now` is left out, so the next run counts it.
CoreState next_core_state(const std::vector<FoundCore>& cores,
                          std::chrono::system_clock::time_point now);

/// core-state.json's content; nullopt when the text is not such a file.
std::optional<CoreState> parse_core_state(std::string_view text);
std::string render_core_state(const CoreState& state);

}  // namespace diag::crash
