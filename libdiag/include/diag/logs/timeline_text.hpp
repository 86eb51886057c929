#pragma once

#include <diag/logs/incidents.hpp>
#include <diag/logs/logs_collect.hpp>
#include <diag/logs/time_zone.hpp>

#include <optional>
#include <string>
#include <vector>

namespace diag::logs {

/// How timeline lines look.
struct TimelineStyle {
    /// ANSI colours for classified lines; the caller decides (TTY, --color, NO_COLOR).
    bool color = false;
    /// Zone the times are printed in (the machine's, or UTC with --utc).
    TimeZone display_zone;
};

/// "2024-03-10 14:02:11.123456" in the zone.
std::string format_local_time(UtcTime time, const TimeZone& zone);

/// One entry for a terminal: time, a mark for how the time was found, source, host,
/// program[pid], message (continuation lines indented below), and the rules it matched.
/// Every piece of log text goes through escape_for_terminal. Ends with a newline.
std::string format_timeline_entry(const TimelineEntry& entry, const std::vector<Rule>& rules,
                                  const TimelineStyle& style);

/// A few lines naming each source read: format, compression, records, and for sources with
/// seconds since boot the boot time they were mapped from.
std::string format_sources(const Timeline& timeline, std::optional<UtcTime> boot_time,
                           const TimelineStyle& style);

/// The incidents for a terminal: span, severity, the first domino, every event, shared
/// subjects.
std::string format_incidents(const Timeline& timeline, const std::vector<Incident>& incidents,
                             const std::vector<Rule>& rules, const TimelineStyle& style);

}  // namespace diag::logs
