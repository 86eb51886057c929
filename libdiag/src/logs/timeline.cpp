#include "diag/logs/timeline.hpp"

#include <algorithm>

namespace diag::logs {

namespace {

LogLevel level_of_severity(Severity severity) {
    switch (severity) {
        case Severity::critical:
            return LogLevel::critical;
        case Severity::warning:
            return LogLevel::warning;
        case Severity::info:
        case Severity::ok:
            break;
    }
    return LogLevel::info;
}

bool source_selected(const std::string& source, const std::vector<std::string>& wanted) {
    if (wanted.empty()) {
        return true;
    }
    return std::any_of(wanted.begin(), wanted.end(), [&](const std::string& part) {
        return source.find(part) != std::string::npos;
    });
}

}  // namespace

std::optional<Severity> entry_severity(const TimelineEntry& entry, const std::vector<Rule>& rules) {
    std::optional<Severity> worst;
    for (const auto& match : entry.matches) {
        const Severity severity = rules.at(match.rule_index).severity;
        if (!worst || severity > *worst) {
            worst = severity;
        }
    }
    return worst;
}

bool passes(const TimelineEntry& entry, const TimelineFilter& filter,
            const std::vector<Rule>& rules) {
    const auto& time = entry.sort_time;
    if (filter.since && (!time || *time < *filter.since)) {
        return false;
    }
    if (filter.until && (!time || *time > *filter.until)) {
        return false;
    }
    if (filter.classified_only && entry.matches.empty()) {
        return false;
    }
    if (!source_selected(entry.record.source, filter.sources)) {
        return false;
    }
    if (filter.level) {
        std::optional<LogLevel> level = entry.record.level;
        if (const auto severity = entry_severity(entry, rules)) {
            const LogLevel from_rule = level_of_severity(*severity);
            level = level ? std::min(*level, from_rule) : from_rule;
        }
        // LogLevel is ordered most severe first.
        if (!level || *level > *filter.level) {
            return false;
        }
    }
    if (filter.grep) {
        const auto& record = entry.record;
        if (!std::regex_search(record.message, *filter.grep) &&
            !std::regex_search(record.program, *filter.grep) &&
            !std::regex_search(record.host, *filter.grep)) {
            return false;
        }
    }
    return true;
}

void merge_timeline(std::vector<TimelineEntry>& entries) {
    // Entries with no time at all (a source without any stamp) go first, in source order.
    std::stable_sort(entries.begin(), entries.end(),
                     [](const TimelineEntry& a, const TimelineEntry& b) {
                         if (a.sort_time != b.sort_time) {
                             return a.sort_time < b.sort_time;
                         }
                         if (a.source_index != b.source_index) {
                             return a.source_index < b.source_index;
                         }
                         return a.sequence < b.sequence;
                     });
}

}  // namespace diag::logs
