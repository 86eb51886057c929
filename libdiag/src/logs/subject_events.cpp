#include "diag/logs/subject_events.hpp"

#include "diag/logs/classifier.hpp"
#include "diag/logs/log_files.hpp"
#include "diag/logs/logs_collect.hpp"

#include <cctype>

namespace diag::logs {

namespace {

bool is_digit(char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

// The rest after a disk's name is a partition number: "1" after sda, "p2" after nvme0n1 or
// mmcblk0, whose names end in a digit (Linux block/partitions/core.c, bdev_add_partition()
// names partitions "%s%d", with a 'p' when the disk's name ends in a digit).
bool is_partition_suffix(std::string_view disk, std::string_view rest) {
    if (rest.empty() || disk.empty()) {
        return false;
    }
    if (is_digit(disk.back())) {
        if (rest.front() != 'p') {
            return false;
        }
        rest.remove_prefix(1);
    }
    if (rest.empty()) {
        return false;
    }
    for (const char c : rest) {
        if (!is_digit(c)) {
            return false;
        }
    }
    return true;
}

bool answers(const RuleMatch& match, const Rule& rule, const TimelineEntry& entry,
             const SubjectQuery& query) {
    if (!query.rule_prefix.empty() && !rule.id.starts_with(query.rule_prefix)) {
        return false;
    }
    if (query.since && (!entry.record.time || *entry.record.time < *query.since)) {
        return false;
    }
    if (query.value.empty()) {
        return true;
    }
    for (const auto& field : match.fields) {
        if ((query.field.empty() || field.name == query.field) &&
            same_subject(field.name, field.value, query.value)) {
            return true;
        }
    }
    return false;
}

// The box's sources that carry kernel messages: the web servers' error logs say nothing about
// disks or memory.
std::vector<SourceSpec> kernel_sources(std::vector<SourceSpec> sources) {
    std::erase_if(sources, [](const SourceSpec& spec) {
        return spec.path.find("apache") != std::string::npos ||
               spec.path.find("httpd") != std::string::npos ||
               spec.path.find("nginx") != std::string::npos;
    });
    return sources;
}

}  // namespace

bool same_subject(std::string_view field, std::string_view extracted, std::string_view asked) {
    if (extracted == asked) {
        return true;
    }
    // Devices are also named by path in some messages ("/dev/sda" in smartd's lines).
    if (extracted.starts_with("/dev/")) {
        extracted.remove_prefix(5);
    }
    if (asked.starts_with("/dev/")) {
        asked.remove_prefix(5);
    }
    if (extracted == asked) {
        return true;
    }
    return field == "device" && extracted.starts_with(asked) &&
           is_partition_suffix(asked, extracted.substr(asked.size()));
}

std::vector<SubjectEvent> select_events(const std::vector<TimelineEntry>& entries,
                                        const std::vector<Rule>& rules, const SubjectQuery& query) {
    std::vector<SubjectEvent> events;
    for (const auto& entry : entries) {
        if (entry.echo) {
            continue;
        }
        for (const auto& match : entry.matches) {
            const Rule& rule = rules.at(match.rule_index);
            if (!answers(match, rule, entry, query)) {
                continue;
            }
            const auto& message = entry.record.message;
            events.push_back({rule.id, rule.severity, entry.record.time, entry.record.source,
                              message.substr(0, message.find('\n')), match.fields});
        }
    }
    return events;
}

Collected<std::vector<SubjectEvent>> events_about(const Root& root, const SubjectQuery& query) {
    Collected<std::vector<SubjectEvent>> result;
    auto classifier = Classifier::build(builtin_rules(), builtin_screen_database());
    if (!classifier) {
        result.add_issue(Issue{IssueLevel::error, "compile", "log rules", classifier.error(), ""});
        return result;
    }
    auto found = default_sources(root);
    result.issues.insert(result.issues.end(), found.issues.begin(), found.issues.end());
    CollectOptions options;
    options.sources = kernel_sources(std::move(found.data));
    if (options.sources.empty()) {
        result.add_issue(Issue{IssueLevel::info, "read", root.display("/var/log"),
                               "no kernel log (kern.log, syslog, messages, journal, /dev/kmsg)",
                               ""});
        return result;
    }
    options.read.boot_time = read_boot_time(root);
    options.read.deadline = root.deadline();
    auto zone = machine_zone(root);
    options.read.zone = zone.data;
    options.filter.since = query.since;
    options.filter.classified_only = true;
    auto timeline = collect_timeline(root, options, *classifier);
    result.issues.insert(result.issues.end(), timeline.issues.begin(), timeline.issues.end());
    result.data = select_events(timeline.data.entries, classifier->rules(), query);
    return result;
}

}  // namespace diag::logs
