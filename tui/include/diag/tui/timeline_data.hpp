#pragma once

#include <diag/core/issue.hpp>
#include <diag/logs/incidents.hpp>
#include <diag/logs/logs_collect.hpp>
#include <diag/logs/rule.hpp>
#include <diag/logs/time_zone.hpp>

#include <optional>
#include <string>
#include <vector>

namespace diag::tui {

/// The merged logs of the box for the Timeline and Incidents screens, read once in the
/// background.
struct TimelineData {
    /// False until a read has finished.
    bool ready = false;
    /// False for the first look (the head of each source) shown while the whole is read.
    bool complete = true;
    logs::Timeline timeline;
    std::vector<logs::Rule> rules;
    std::vector<logs::Incident> incidents;
    /// Zone the times are shown in (the machine's).
    logs::TimeZone zone;
    std::vector<Issue> issues;
};

/// How loud a timeline entry is, for highlighting and for e/E and w/W.
enum class Tone { plain, info, warning, error };

/// The entry's tone: the worst of the rules it matched and of its own level (err and above
/// are errors, warning is a warning, notice and info are info).
Tone tone_of(const logs::TimelineEntry& entry, const std::vector<logs::Rule>& rules);

/// Index of the next entry (after `from` going forwards, before it going backwards) whose tone
/// is at least `tone`; nullopt when there is none.
std::optional<std::size_t> find_tone(const std::vector<logs::TimelineEntry>& entries,
                                     const std::vector<logs::Rule>& rules, std::size_t from,
                                     Tone tone, bool forwards);

/// Index of the next entry whose message, program or host contains `needle` (case-insensitive),
/// searching from `from` as find_tone does; nullopt when there is none.
std::optional<std::size_t> find_text(const std::vector<logs::TimelineEntry>& entries,
                                     std::size_t from, const std::string& needle, bool forwards);

/// Indexes of the entries whose message, program or host contains `needle` (case-insensitive).
std::vector<std::size_t> matching_entries(const std::vector<logs::TimelineEntry>& entries,
                                          const std::string& needle);

/// Entries of every source within `window` of the entry at `index`, by index: what the box
/// said around one event.
std::vector<std::size_t> entries_around(const std::vector<logs::TimelineEntry>& entries,
                                        std::size_t index, std::chrono::seconds window);

}  // namespace diag::tui
