#pragma once

#include <diag/core/report.hpp>
#include <diag/tui/subjects.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace diag::tui {

/// Where one domain's collector stands.
enum class DomainStatus {
    /// Started, no result yet.
    waiting,
    /// The last run answered within its deadline.
    fresh,
    /// The run in flight is past its deadline: the report shown is the last one that came, if
    /// any.
    stale,
};

/// One domain (a registered collector) as the screens show it.
struct DomainState {
    /// "sys", "disk", ...
    std::string name;
    std::string description;
    DomainStatus status = DomainStatus::waiting;
    /// The last report that came; absent until the first answer.
    std::optional<Report> report;
    /// How long the run in flight has been going, for a stale domain.
    std::chrono::milliseconds running_for{0};
    /// The deadline of one run.
    std::chrono::milliseconds limit{0};
};

/// Everything the screens draw, copied out of the model at one moment: views read nothing else.
struct Snapshot {
    std::string host;
    std::string kernel;
    /// Seconds since boot from /proc/uptime; absent when unreadable.
    std::optional<double> uptime_seconds;
    /// The wall clock shown in the header.
    std::chrono::system_clock::time_point now;
    /// True on the live machine; false for a captured tree (--root).
    bool live = true;
    /// The root as given, for the offline header.
    std::string root;
    /// Refresh interval of live mode.
    std::chrono::seconds interval{5};
    /// True while refreshing is paused (z).
    bool paused = false;
    std::vector<DomainState> domains;
    /// While the whole logs are read for the timeline: bytes read so far and in all.
    std::optional<std::pair<std::uint64_t, std::uint64_t>> logs_progress;
    /// The net collector's counters per interface over the last refreshes.
    NetHistory net_history;
};

/// The worst severity among the domains that answered; nullopt when none has.
std::optional<Severity> worst_severity(const Snapshot& snapshot);

/// Findings of one severity in a report.
std::size_t count_findings(const Report& report, Severity severity);

}  // namespace diag::tui
