#include "diag/logs/incidents.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

namespace diag::logs {

namespace {

// "sda1" is on "sda", "nvme0n1p2" on "nvme0n1", "mmcblk0p1" on "mmcblk0": events about a
// partition and about its disk share the disk.
std::string parent_disk(const std::string& device) {
    if (device.starts_with("nvme") || device.starts_with("mmcblk")) {
        const auto p = device.rfind('p');
        if (p != std::string::npos && p + 1 < device.size() && p > 4 &&
            std::all_of(device.begin() + static_cast<std::ptrdiff_t>(p + 1), device.end(),
                        [](char c) { return c >= '0' && c <= '9'; })) {
            return device.substr(0, p);
        }
        return device;
    }
    if (device.starts_with("sd") || device.starts_with("vd") || device.starts_with("xvd")) {
        const auto digits = device.find_first_of("0123456789");
        return digits == std::string::npos ? device : device.substr(0, digits);
    }
    return device;
}

// The subjects an event names, each once.
std::set<std::pair<std::string, std::string>> subjects_of(const TimelineEntry& entry) {
    std::set<std::pair<std::string, std::string>> subjects;
    for (const auto& match : entry.matches) {
        for (const auto& field : match.fields) {
            if (field.name == "device") {
                subjects.insert({"device", parent_disk(field.value)});
            } else if (field.name == "pid" || field.name == "process" ||
                       field.name == "interface") {
                subjects.insert({field.name, field.value});
            }
        }
    }
    if (!entry.record.program.empty() && entry.record.program != "kernel") {
        subjects.insert({"program", entry.record.program});
    }
    if (entry.record.pid) {
        subjects.insert({"pid", std::to_string(*entry.record.pid)});
    }
    return subjects;
}

Incident close_incident(const std::vector<TimelineEntry>& timeline, const std::vector<Rule>& rules,
                        std::vector<std::size_t> events) {
    Incident incident;
    // find_incidents only takes entries with a time and a match.
    incident.start = timeline[events.front()].sort_time.value_or(UtcTime{});
    incident.end = timeline[events.back()].sort_time.value_or(UtcTime{});
    const auto severity_of = [&](std::size_t index) {
        return entry_severity(timeline[index], rules).value_or(Severity::info);
    };
    incident.severity = Severity::info;
    for (const auto index : events) {
        incident.severity = std::max(incident.severity, severity_of(index));
    }
    std::map<std::pair<std::string, std::string>, std::size_t> counts;
    for (const auto index : events) {
        const auto& entry = timeline[index];
        if (std::find(incident.sources.begin(), incident.sources.end(), entry.record.source) ==
            incident.sources.end()) {
            incident.sources.push_back(entry.record.source);
        }
        for (const auto& subject : subjects_of(entry)) {
            ++counts[subject];
        }
    }
    for (const auto index : events) {
        if (severity_of(index) == incident.severity) {
            incident.first_domino = index;
            break;
        }
    }
    for (const auto& [subject, count] : counts) {
        if (count >= 2) {
            incident.shared_subjects.push_back({subject.first, subject.second, count});
        }
    }
    std::stable_sort(incident.shared_subjects.begin(), incident.shared_subjects.end(),
                     [](const SharedSubject& a, const SharedSubject& b) {
                         return a.event_count > b.event_count;
                     });
    incident.events = std::move(events);
    return incident;
}

}  // namespace

std::vector<Incident> find_incidents(const std::vector<TimelineEntry>& timeline,
                                     const std::vector<Rule>& rules,
                                     const IncidentSettings& settings) {
    std::vector<Incident> incidents;
    std::vector<std::size_t> current;
    std::optional<UtcTime> last;
    for (std::size_t i = 0; i < timeline.size(); ++i) {
        const auto& entry = timeline[i];
        const auto severity = entry_severity(entry, rules);
        if (!severity || *severity < settings.min_severity || !entry.sort_time || entry.echo) {
            continue;
        }
        if (last && *entry.sort_time - *last > settings.gap && !current.empty()) {
            incidents.push_back(close_incident(timeline, rules, std::move(current)));
            current.clear();
        }
        current.push_back(i);
        last = entry.sort_time;
    }
    if (!current.empty()) {
        incidents.push_back(close_incident(timeline, rules, std::move(current)));
    }
    return incidents;
}

}  // namespace diag::logs
