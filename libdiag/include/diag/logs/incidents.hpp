#pragma once

#include <diag/core/severity.hpp>
#include <diag/logs/timeline.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace diag::logs {

/// How classified events are grouped into incidents.
struct IncidentSettings {
    /// Events closer than this to the previous one belong to the same incident.
    std::chrono::seconds gap{300};
    /// Events below this severity are left out of incidents.
    Severity min_severity = Severity::warning;
};

/// A subject (a device, a pid, a program) that several events of an incident name.
struct SharedSubject {
    /// "device", "pid", "process", "interface", "program".
    std::string kind;
    std::string value;
    /// How many of the incident's events name it.
    std::size_t event_count = 0;
};

/// A burst of classified events close together in time.
struct Incident {
    UtcTime start;
    UtcTime end;
    /// Indexes into the timeline, in time order.
    std::vector<std::size_t> events;
    /// The first domino: the earliest event of the incident's worst severity.
    std::size_t first_domino = 0;
    Severity severity = Severity::warning;
    /// Sources that took part, in order of their first event.
    std::vector<std::string> sources;
    /// Subjects named by two or more events, most named first.
    std::vector<SharedSubject> shared_subjects;
};

/// Groups the timeline's classified events (with a time, at or above the minimum severity) into
/// incidents: a new incident starts when an event comes more than `gap` after the last one.
/// The timeline must be merged (sorted) already.
std::vector<Incident> find_incidents(const std::vector<TimelineEntry>& timeline,
                                     const std::vector<Rule>& rules,
                                     const IncidentSettings& settings);

}  // namespace diag::logs
