#pragma once

// Other tools ask the log classifier about one subject: diag-smart for a disk's I/O errors and
// resets, diag-mem for EDAC and machine-check lines.

#include <diag/core/collected.hpp>
#include <diag/core/root.hpp>
#include <diag/core/severity.hpp>
#include <diag/logs/civil_time.hpp>
#include <diag/logs/log_record.hpp>
#include <diag/logs/rule.hpp>
#include <diag/logs/timeline.hpp>

#include <optional>
#include <string>
#include <vector>

namespace diag::logs {

/// Which classified events a tool wants. Empty members do not narrow.
struct SubjectQuery {
    /// The rule field that names the subject: "device", "pid", "process", "interface", "pci".
    std::string field;
    /// The subject as the kernel names it: "sda", "nvme0n1", "eth0". For the "device" field a
    /// whole disk also matches its partitions (sda1, nvme0n1p2).
    std::string value;
    /// Only rules whose id starts with this: "mem.edac", "disk.".
    std::string rule_prefix;
    /// Only events at or after this time (events without a time are left out then).
    std::optional<UtcTime> since;
};

/// One classified event about the subject.
struct SubjectEvent {
    /// The rule's id, "disk.io_error".
    std::string rule_id;
    Severity severity = Severity::warning;
    std::optional<UtcTime> time;
    /// Where it was read: "/var/log/kern.log", "journal", "/dev/kmsg".
    std::string source;
    /// The message's first line, as logged.
    std::string message;
    /// The fields the rule extracted (device, sector, pid...).
    std::vector<RecordField> fields;
};

/// True when the subject a rule extracted is the subject asked for: equal, or for devices a
/// partition of the disk asked for ("sda" takes "sda1", "nvme0n1" takes "nvme0n1p2", but "sda"
/// does not take "sdaa").
bool same_subject(std::string_view field, std::string_view extracted, std::string_view asked);

/// The events among a timeline's entries that answer the query, oldest first; a record that
/// two rules matched gives two events. Echoes (a kernel line that dmesg and kern.log both hold)
/// are given once. Pure: no I/O.
std::vector<SubjectEvent> select_events(const std::vector<TimelineEntry>& entries,
                                        const std::vector<Rule>& rules, const SubjectQuery& query);

/// Reads this box's kernel messages under the root (kern.log, syslog, messages and dmesg with
/// their rotations, the journal, and on the live box /dev/kmsg; not the web servers' logs),
/// classifies them with the built-in rules and gives the events that answer the query. A
/// source that cannot be read is an Issue; the others still answer.
Collected<std::vector<SubjectEvent>> events_about(const Root& root, const SubjectQuery& query);

}  // namespace diag::logs
