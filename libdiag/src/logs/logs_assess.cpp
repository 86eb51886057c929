#include "diag/logs/logs_assess.hpp"

#include "diag/core/units.hpp"

#include <algorithm>
#include <array>
#include <map>

#include <fmt/format.h>

namespace diag::logs {

namespace {

constexpr std::size_t kSummaryBytes = 200;

std::string first_line_of(const std::string& message) {
    std::string line = message.substr(0, message.find('\n'));
    if (line.size() > kSummaryBytes) {
        line.resize(kSummaryBytes);
        line += "...";
    }
    return line;
}

std::string subject_for(const TimelineEntry& entry, const RuleMatch& match) {
    auto subject = subject_of(match.fields);
    if (subject.empty()) {
        subject = entry.record.field("upstream");
    }
    if (subject.empty()) {
        subject = entry.record.program.empty() ? entry.record.source : entry.record.program;
    }
    return subject;
}

std::chrono::system_clock::time_point to_system(UtcTime time) {
    return std::chrono::time_point_cast<std::chrono::system_clock::duration>(time);
}

Finding event_finding(const TimelineEntry& entry, const RuleMatch& match, const Rule& rule) {
    Finding finding;
    finding.severity = rule.severity;
    finding.check = "logs." + rule.id;
    finding.subject = subject_for(entry, match);
    finding.summary = first_line_of(entry.record.message);
    if (entry.record.time) {
        finding.time = to_system(*entry.record.time);
    }
    finding.source = rule.source;
    auto& evidence = finding.evidence;
    evidence.push_back({"meaning", rule.meaning});
    evidence.push_back({"category", rule.category});
    evidence.push_back({"log_source", entry.record.source});
    if (entry.record.line_number > 0) {
        evidence.push_back({"line", entry.record.line_number});
    }
    evidence.push_back({"time_confidence", std::string(to_string(entry.record.time_confidence))});
    if (!entry.record.program.empty()) {
        evidence.push_back({"program", entry.record.program});
    }
    if (entry.record.pid) {
        evidence.push_back({"pid", *entry.record.pid});
    }
    for (const auto& field : match.fields) {
        evidence.push_back({field.name, field.value});
    }
    return finding;
}

struct RuleTally {
    std::uint64_t count = 0;
    const TimelineEntry* first = nullptr;
    const TimelineEntry* last = nullptr;
    std::map<std::string, std::uint64_t> subjects;
};

Finding rule_finding(const Rule& rule, const RuleTally& tally) {
    Finding finding;
    finding.severity = rule.severity;
    finding.check = "logs." + rule.id;
    const auto top =
        std::max_element(tally.subjects.begin(), tally.subjects.end(),
                         [](const auto& a, const auto& b) { return a.second < b.second; });
    finding.subject = tally.subjects.size() == 1
                          ? top->first
                          : fmt::format("{} ({} subjects)", top->first, tally.subjects.size());
    finding.summary =
        fmt::format("{} event{}: {}", tally.count, tally.count == 1 ? "" : "s", rule.meaning);
    finding.source = rule.source;
    if (tally.last->record.time) {
        finding.time = to_system(*tally.last->record.time);
    }
    finding.evidence.push_back({"events_count", tally.count});
    if (tally.first->record.time) {
        finding.evidence.push_back({"first", format_iso8601(to_system(*tally.first->record.time))});
    }
    if (tally.last->record.time) {
        finding.evidence.push_back({"last", format_iso8601(to_system(*tally.last->record.time))});
    }
    finding.evidence.push_back({"last_message", first_line_of(tally.last->record.message)});
    finding.evidence.push_back({"log_source", tally.last->record.source});
    return finding;
}

Finding incident_finding(const Timeline& timeline, const Incident& incident,
                         const std::vector<Rule>& rules, std::size_t number) {
    const auto& domino = timeline.entries.at(incident.first_domino);
    const auto& domino_match = *std::max_element(
        domino.matches.begin(), domino.matches.end(), [&](const auto& a, const auto& b) {
            return rules.at(a.rule_index).severity < rules.at(b.rule_index).severity;
        });
    const Rule& domino_rule = rules.at(domino_match.rule_index);
    Finding finding;
    finding.severity = incident.severity;
    finding.check = "logs.incident";
    finding.subject = subject_for(domino, domino_match);
    finding.summary = fmt::format(
        "incident {}: {} events from {} sources in {}, first domino {} ({})", number,
        incident.events.size(), incident.sources.size(),
        format_duration(
            std::chrono::duration_cast<std::chrono::seconds>(incident.end - incident.start)),
        domino_rule.id, first_line_of(domino.record.message));
    finding.time = to_system(incident.start);
    finding.source = "diag-logs: events less than the gap apart form one incident";
    auto& evidence = finding.evidence;
    evidence.push_back({"start", format_iso8601(to_system(incident.start))});
    evidence.push_back({"end", format_iso8601(to_system(incident.end))});
    evidence.push_back({"events_count", static_cast<std::uint64_t>(incident.events.size())});
    evidence.push_back({"first_domino_rule", domino_rule.id});
    evidence.push_back({"first_domino_source", domino.record.source});
    std::string sources;
    for (const auto& source : incident.sources) {
        sources += (sources.empty() ? "" : ", ") + source;
    }
    evidence.push_back({"sources", sources});
    std::string shared;
    for (const auto& subject : incident.shared_subjects) {
        shared += fmt::format("{}{} {} ({})", shared.empty() ? "" : ", ", subject.kind,
                              subject.value, subject.event_count);
    }
    if (!shared.empty()) {
        evidence.push_back({"shared_subjects", shared});
    }
    std::string rules_seen;
    for (const auto index : incident.events) {
        for (const auto& match : timeline.entries.at(index).matches) {
            const auto& id = rules.at(match.rule_index).id;
            if (rules_seen.find(id) == std::string::npos) {
                rules_seen += (rules_seen.empty() ? "" : ", ") + id;
            }
        }
    }
    evidence.push_back({"rules", rules_seen});
    return finding;
}

void add_metrics(Report& report, const Timeline& timeline, const std::vector<Rule>& rules,
                 std::size_t incident_count) {
    for (const auto& [id, count] : timeline.events_by_rule) {
        const auto rule =
            std::find_if(rules.begin(), rules.end(), [&](const Rule& r) { return r.id == id; });
        report.metrics.push_back({"diag_log_events_total",
                                  "Classified log events in the time range read, by rule",
                                  MetricType::counter,
                                  {{"rule", id},
                                   {"category", rule->category},
                                   {"severity", std::string(to_string(rule->severity))}},
                                  static_cast<double>(count)});
    }
    for (const auto& source : timeline.sources) {
        report.metrics.push_back(
            {"diag_log_records_total",
             "Log records read, by source",
             MetricType::counter,
             {{"source", source.path}, {"format", std::string(to_string(source.format))}},
             static_cast<double>(source.stats.records)});
    }
    report.metrics.push_back({"diag_log_incidents",
                              "Incidents found in the time range read",
                              MetricType::gauge,
                              {},
                              static_cast<double>(incident_count)});
}

}  // namespace

Report assess_logs(const Timeline& timeline, const std::vector<Incident>& incidents,
                   const std::vector<Rule>& rules, const AssessOptions& options) {
    Report report;
    std::map<std::size_t, RuleTally> tallies;
    std::size_t event_findings = 0;
    std::uint64_t events_left_out = 0;
    std::array<std::uint64_t, 4> by_severity{};
    for (const auto& entry : timeline.entries) {
        if (entry.echo) {
            continue;
        }
        for (const auto& match : entry.matches) {
            const Rule& rule = rules.at(match.rule_index);
            ++by_severity.at(static_cast<std::size_t>(rule.severity));
            auto& tally = tallies[match.rule_index];
            ++tally.count;
            tally.first = tally.first == nullptr ? &entry : tally.first;
            tally.last = &entry;
            ++tally.subjects[subject_for(entry, match)];
            if (!options.event_findings) {
                continue;
            }
            if (event_findings < options.max_event_findings) {
                report.findings.push_back(event_finding(entry, match, rule));
                ++event_findings;
            } else {
                ++events_left_out;
            }
        }
    }
    if (!options.event_findings) {
        for (const auto& [index, tally] : tallies) {
            report.findings.push_back(rule_finding(rules.at(index), tally));
        }
    }
    for (std::size_t n = 0; n < incidents.size(); ++n) {
        report.findings.push_back(incident_finding(timeline, incidents[n], rules, n + 1));
    }
    if (events_left_out > 0) {
        report.findings.push_back(
            {Severity::info,
             "logs.events_left_out",
             "timeline",
             fmt::format("{} more classified events are not listed", events_left_out),
             {{"events_count", events_left_out}},
             std::nullopt,
             ""});
    }
    const auto opened_count = static_cast<std::size_t>(
        std::count_if(timeline.sources.begin(), timeline.sources.end(),
                      [](const SourceSummary& source) { return source.opened; }));
    // "No events" is only a finding when some log was read; with none it is unknown, and the
    // Issues say why.
    if (tallies.empty() && opened_count > 0) {
        report.findings.push_back(
            {Severity::ok,
             "logs.events",
             "logs",
             fmt::format("no classified events among {} records from {} "
                         "sources",
                         timeline.entries.size(), timeline.sources.size()),
             {{"records_count", static_cast<std::uint64_t>(timeline.entries.size())}},
             std::nullopt,
             ""});
    }
    add_metrics(report, timeline, rules, incidents.size());
    report.perfdata.push_back(
        {"critical_events", static_cast<double>(by_severity[3]), "", {}, {}, 0.0, {}});
    report.perfdata.push_back(
        {"warning_events", static_cast<double>(by_severity[2]), "", {}, {}, 0.0, {}});
    report.perfdata.push_back(
        {"incidents", static_cast<double>(incidents.size()), "", {}, {}, 0.0, {}});
    report.perfdata.push_back(
        {"records", static_cast<double>(timeline.entries.size()), "c", {}, {}, 0.0, {}});
    report.assessed_count = opened_count;
    return report;
}

}  // namespace diag::logs
