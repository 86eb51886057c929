#pragma once

#include <diag/core/severity.hpp>
#include <diag/logs/classifier.hpp>
#include <diag/logs/log_record.hpp>

#include <cstdint>
#include <optional>
#include <regex>
#include <string>
#include <vector>

namespace diag::logs {

/// One record on the merged timeline, with the rules it matched.
struct TimelineEntry {
    LogRecord record;
    std::vector<RuleMatch> matches;
    /// Position of its source in the order sources were read, and of the record in its source:
    /// together they keep the merge stable.
    std::size_t source_index = 0;
    std::uint64_t sequence = 0;
    /// The time the entry sorts by: its own, or for a record without time that of the record
    /// before it in the same source.
    std::optional<UtcTime> sort_time;
    /// A classified kernel message that an earlier source already gave (dmesg and kern.log
    /// both carry it, with the same seconds since boot): shown, but not counted twice.
    bool echo = false;
};

/// The worst severity among an entry's matches; nullopt when it matched none.
std::optional<Severity> entry_severity(const TimelineEntry& entry, const std::vector<Rule>& rules);

/// What the user narrowed the timeline to. Empty members do not filter.
struct TimelineFilter {
    std::optional<UtcTime> since;
    std::optional<UtcTime> until;
    /// Keep records whose source path contains one of these.
    std::vector<std::string> sources;
    /// Keep records at least this severe: their own level, or for records without one the
    /// severity of the rules they matched (critical as critical, warning as warning, info as
    /// info). Records with neither are dropped under a level filter.
    std::optional<LogLevel> level;
    /// Keep records whose message, program or host matches (ECMAScript regular expression).
    std::optional<std::regex> grep;
    /// Keep only classified records.
    bool classified_only = false;
};

/// True when the entry passes every filter that is set. Records without time pass --since and
/// --until only through their sort_time; with neither they are kept.
bool passes(const TimelineEntry& entry, const TimelineFilter& filter,
            const std::vector<Rule>& rules);

/// Sorts entries by time, stable on ties (source order, then file order); a record without time
/// stays behind the record before it in its source.
void merge_timeline(std::vector<TimelineEntry>& entries);

}  // namespace diag::logs
