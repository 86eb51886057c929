#include "diag/render/json.hpp"

#include "diag/core/units.hpp"
#include "diag/version.hpp"

namespace diag {

namespace {

using Json = nlohmann::ordered_json;

Json value_to_json(const Value& value) {
    return std::visit([](const auto& v) { return Json(v); }, value);
}

Json finding_to_json(const Finding& finding) {
    Json evidence = Json::object();
    for (const auto& item : finding.evidence) {
        evidence[item.key] = value_to_json(item.value);
    }
    Json out = {{"severity", to_string(finding.severity)},
                {"check", finding.check},
                {"subject", finding.subject},
                {"summary", finding.summary},
                {"evidence", std::move(evidence)}};
    out["time"] = finding.time ? Json(format_iso8601(*finding.time)) : Json(nullptr);
    out["source"] = finding.source;
    return out;
}

Json issue_to_json(const Issue& issue) {
    return {{"level", issue.level == IssueLevel::info ? "info" : "error"},
            {"operation", issue.operation},
            {"subject", issue.subject},
            {"reason", issue.reason},
            {"hint", issue.hint},
            {"message", describe(issue)}};
}

Json metric_to_json(const Metric& metric) {
    Json labels = Json::object();
    for (const auto& label : metric.labels) {
        labels[label.name] = label.value;
    }
    return {{"name", metric.name},
            {"type", metric.type == MetricType::counter ? "counter" : "gauge"},
            {"labels", std::move(labels)},
            {"value", metric.value}};
}

}  // namespace

Json to_json(const Report& report, const RunInfo& run, int exit_status) {
    Json out;
    out["json_format_version"] = {kJsonFormatMajor, kJsonFormatMinor};
    out["diag"] = {{"version", std::string(kVersion)},
                   {"tool", run.tool},
                   {"argv", run.argv},
                   {"exit_status", exit_status},
                   {"complete", report.issues.empty()},
                   {"started_at", format_iso8601(run.started)},
                   {"duration_ms", run.duration.count()},
                   {"root", run.root}};
    out["host"] = {{"hostname", run.hostname}, {"kernel_release", run.kernel_release}};
    out["worst_severity"] = to_string(report.worst());
    out["assessed_checks_count"] = report.assessed_count;

    Json findings = Json::array();
    for (const auto& finding : ranked(report.findings)) {
        findings.push_back(finding_to_json(finding));
    }
    out["findings"] = std::move(findings);

    Json issues = Json::array();
    for (const auto& issue : report.issues) {
        issues.push_back(issue_to_json(issue));
    }
    out["issues"] = std::move(issues);

    Json metrics = Json::array();
    for (const auto& metric : report.metrics) {
        metrics.push_back(metric_to_json(metric));
    }
    out["metrics"] = std::move(metrics);
    return out;
}

std::string render_json(const Report& report, const RunInfo& run, int exit_status) {
    // replace: a device name or log text with invalid UTF-8 must not make the dump throw.
    return to_json(report, run, exit_status).dump(2, ' ', false, Json::error_handler_t::replace) +
           "\n";
}

}  // namespace diag
