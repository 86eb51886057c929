#include "diag/mem/kernel_memory_log.hpp"

#include "diag/logs/classifier.hpp"
#include "diag/logs/kmsg_reader.hpp"
#include "diag/logs/log_files.hpp"
#include "diag/logs/rule.hpp"

#include <fmt/format.h>

namespace diag::mem {

namespace {

// The rules of diag-logs' catalogue about memory hardware errors: EDAC corrected and
// uncorrected lines, machine checks and memory failure (hwpoison). The catalogue's other
// memory rules are about running out of memory (OOM), not about faulty memory.
bool hardware_error_rule(const logs::Rule& rule) {
    return rule.category == "memory" &&
           (rule.id.starts_with("mem.edac_") || rule.id.starts_with("mem.machine_check") ||
            rule.id == "mem.memory_failure");
}

std::vector<logs::Rule> memory_rules() {
    std::vector<logs::Rule> rules;
    for (auto& rule : logs::builtin_rules()) {
        if (hardware_error_rule(rule)) {
            rules.push_back(std::move(rule));
        }
    }
    return rules;
}

std::string first_line(const std::string& message) {
    return message.substr(0, message.find('\n'));
}

}  // namespace

std::expected<KernelMemoryCounter, std::string> KernelMemoryCounter::make() {
    auto classifier = logs::Classifier::build(memory_rules());
    if (!classifier) {
        return std::unexpected(classifier.error());
    }
    return KernelMemoryCounter(std::move(*classifier));
}

KernelMemoryCounter::KernelMemoryCounter(logs::Classifier classifier)
    : classifier_(std::move(classifier)), by_rule_(classifier_.rules().size()) {
    for (std::size_t i = 0; i < by_rule_.size(); ++i) {
        const auto& rule = classifier_.rules()[i];
        by_rule_[i].rule_id = rule.id;
        by_rule_[i].severity = rule.severity;
        by_rule_[i].meaning = rule.meaning;
        by_rule_[i].source = rule.source;
    }
}

void KernelMemoryCounter::add(const logs::LogRecord& record) {
    for (const auto& match : classifier_.classify(record)) {
        auto& events = by_rule_[match.rule_index];
        const auto message = first_line(record.message);
        if (events.count++ == 0) {
            events.first_message = message;
            events.first_stamp = record.stamp;
        }
        events.last_message = message;
        events.last_stamp = record.stamp;
    }
}

std::vector<KernelMemoryEvents> KernelMemoryCounter::events() const {
    std::vector<KernelMemoryEvents> matched;
    for (const auto& events : by_rule_) {
        if (events.count > 0) {
            matched.push_back(events);
        }
    }
    return matched;
}

Collected<std::optional<std::vector<KernelMemoryEvents>>> read_kernel_memory_events(
    const Root& root) {
    Collected<std::optional<std::vector<KernelMemoryEvents>>> out;
    auto counter = KernelMemoryCounter::make();
    if (!counter) {
        out.add_issue(Issue{IssueLevel::error, "classify", "kernel log", counter.error(),
                            "please report this as a bug in diag"});
        return out;
    }
    auto read = logs::read_kmsg(root, logs::read_boot_time(root), root.deadline(),
                                [&](logs::LogRecord&& record) { counter->add(record); });
    for (auto& issue : read.issues) {
        out.add_issue(std::move(issue));
    }
    // A ring that could not be opened, or failed before giving a record, is no data rather
    // than "no errors".
    if (!read.data.opened || (!out.issues.empty() && read.data.stats.records == 0)) {
        return out;
    }
    out.data = counter->events();
    return out;
}

Report assess_kernel_memory_events(const std::vector<KernelMemoryEvents>& events) {
    Report report;
    ++report.assessed_count;
    for (const auto& event : events) {
        std::vector<Evidence> evidence{{"rule", event.rule_id},
                                       {"messages", event.count},
                                       {"first_message", event.first_message},
                                       {"first_stamp", event.first_stamp}};
        if (event.count > 1) {
            evidence.push_back({"last_message", event.last_message});
            evidence.push_back({"last_stamp", event.last_stamp});
        }
        report.findings.push_back(
            Finding{event.severity, "mem.kernel_log", event.rule_id,
                    fmt::format("{} kernel message{} since boot: {}", event.count,
                                event.count == 1 ? "" : "s", event.meaning),
                    std::move(evidence), std::nullopt, event.source});
    }
    if (events.empty()) {
        report.findings.push_back(
            Finding{Severity::ok,
                    "mem.kernel_log",
                    "kernel log",
                    "no machine check or EDAC error in the kernel's ring buffer",
                    {},
                    std::nullopt,
                    "diag-logs rule catalogue, category memory"});
    }
    return report;
}

}  // namespace diag::mem
