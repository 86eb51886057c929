#include "diag/render/prometheus.hpp"

#include "diag/render/escape.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <set>
#include <utility>

#include <fmt/format.h>

namespace diag {

namespace {

struct Family {
    std::string help;
    MetricType type = MetricType::gauge;
    std::vector<const Metric*> samples;
};

std::string escape_help(std::string_view help) {
    std::string out;
    for (char c : sanitize_utf8(help)) {
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out;
}

std::string format_value(double value) {
    if (std::isnan(value)) {
        return "NaN";
    }
    if (std::isinf(value)) {
        return value > 0 ? "+Inf" : "-Inf";
    }
    return fmt::format("{}", value);
}

std::string sample_line(const Metric& metric) {
    std::string line = metric.name;
    if (!metric.labels.empty()) {
        std::vector<std::string> pairs;
        for (const auto& label : metric.labels) {
            pairs.push_back(fmt::format("{}=\"{}\"", label.name, escape_label_value(label.value)));
        }
        line += fmt::format("{{{}}}", fmt::join(pairs, ","));
    }
    return line + " " + format_value(metric.value) + "\n";
}

void add_run_metrics(const Report& report, const RunInfo& run, std::vector<Metric>& out) {
    const Label tool{"tool", run.tool};
    // One series per check and subject: two findings on the same pair (a -w and a -c breach
    // of one perfdata label) would be a duplicate series that node_exporter rejects, so the
    // worst of them stands for the pair. ranked() puts it first.
    std::set<std::pair<std::string_view, std::string_view>> seen;
    const auto findings = ranked(report.findings);
    for (const auto& finding : findings) {
        if (!seen.emplace(finding.check, finding.subject).second) {
            continue;
        }
        out.push_back({"diag_finding_severity",
                       "Severity of each finding: 0 ok, 1 info, 2 warning, 3 critical.",
                       MetricType::gauge,
                       {tool, {"check", finding.check}, {"subject", finding.subject}},
                       static_cast<double>(finding.severity)});
    }
    std::array<std::size_t, 4> counts{};
    for (const auto& finding : report.findings) {
        ++counts.at(static_cast<std::size_t>(finding.severity));
    }
    for (auto severity : {Severity::ok, Severity::info, Severity::warning, Severity::critical}) {
        out.push_back({"diag_findings",
                       "Number of findings of each severity in the last run.",
                       MetricType::gauge,
                       {tool, {"severity", std::string(to_string(severity))}},
                       static_cast<double>(counts.at(static_cast<std::size_t>(severity)))});
    }
    out.push_back({"diag_collection_issues",
                   "Number of things the last run could not read or check.",
                   MetricType::gauge,
                   {tool},
                   static_cast<double>(report.issues.size())});
    out.push_back({"diag_run_complete",
                   "1 when the last run read everything it tried to.",
                   MetricType::gauge,
                   {tool},
                   report.issues.empty() ? 1.0 : 0.0});
    const auto started = std::chrono::duration<double>(run.started.time_since_epoch()).count();
    out.push_back({"diag_run_timestamp_seconds",
                   "Unix time the last run started.",
                   MetricType::gauge,
                   {tool},
                   started});
    out.push_back({"diag_run_duration_seconds",
                   "Wall time of the last run.",
                   MetricType::gauge,
                   {tool},
                   std::chrono::duration<double>(run.duration).count()});
}

}  // namespace

std::string escape_label_value(std::string_view value) {
    std::string out;
    for (char c : sanitize_utf8(value)) {
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '"') {
            out += "\\\"";
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out;
}

std::string render_prometheus(const Report& report, const RunInfo& run) {
    std::vector<Metric> all = report.metrics;
    // Several tools write files into one textfile directory, and diag-report carries the same
    // metrics as diag-sys: without the tool label node_exporter sees duplicate series and
    // drops them with "collected before with the same name and label values".
    for (auto& metric : all) {
        const bool labelled = std::any_of(metric.labels.begin(), metric.labels.end(),
                                          [](const Label& label) { return label.name == "tool"; });
        if (!labelled) {
            metric.labels.insert(metric.labels.begin(), Label{"tool", run.tool});
        }
    }
    add_run_metrics(report, run, all);

    // A family's samples must be contiguous, under one HELP and TYPE; keep first-seen order.
    std::vector<std::string> order;
    std::map<std::string, Family> families;
    for (const auto& metric : all) {
        auto [it, inserted] = families.try_emplace(metric.name);
        if (inserted) {
            order.push_back(metric.name);
            it->second.help = metric.help;
            it->second.type = metric.type;
        }
        it->second.samples.push_back(&metric);
    }
    std::string out;
    for (const auto& name : order) {
        const auto& family = families.at(name);
        out += fmt::format("# HELP {} {}\n", name, escape_help(family.help));
        out += fmt::format("# TYPE {} {}\n", name,
                           family.type == MetricType::counter ? "counter" : "gauge");
        for (const Metric* sample : family.samples) {
            out += sample_line(*sample);
        }
    }
    return out;
}

}  // namespace diag
