#pragma once

#include <diag/core/report.hpp>
#include <diag/logs/incidents.hpp>
#include <diag/logs/logs_collect.hpp>

#include <cstddef>
#include <vector>

namespace diag::logs {

/// How the timeline becomes findings.
struct AssessOptions {
    /// One finding per classified event (for JSON); otherwise one per rule with a count.
    bool event_findings = false;
    /// Cap on per-event findings; the rest are counted in an info finding.
    std::size_t max_event_findings = 10000;
};

/// Findings for the classified events (check "logs.RULE_ID", the rule's severity) and the
/// incidents (check "logs.incident"), metrics diag_log_events_total by rule and
/// diag_log_records_total by source, and perfdata. An ok finding "logs.events" when nothing
/// was classified. Nothing assessed (exit 3) when no source could be read.
Report assess_logs(const Timeline& timeline, const std::vector<Incident>& incidents,
                   const std::vector<Rule>& rules, const AssessOptions& options);

}  // namespace diag::logs
