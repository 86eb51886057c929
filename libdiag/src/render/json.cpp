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

Json format_version_json() {
    return {kJsonFormatMajor, kJsonFormatMinor};
}

Json run_to_json(const Report& report, const RunInfo& run, int exit_status) {
    return {{"version", std::string(kVersion)},
            {"tool", run.tool},
            {"argv", run.argv},
            {"exit_status", exit_status},
            {"complete", report.issues.empty()},
            {"started_at", format_iso8601(run.started)},
            {"duration_ms", run.duration.count()},
            {"root", run.root}};
}

Json host_to_json(const RunInfo& run) {
    return {{"hostname", run.hostname}, {"kernel_release", run.kernel_release}};
}

}  // namespace

Json to_json(const Report& report, const RunInfo& run, int exit_status) {
    Json out;
    out["json_format_version"] = format_version_json();
    out["diag"] = run_to_json(report, run, exit_status);
    out["host"] = host_to_json(run);
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

namespace {

// Writes the document key by key with nlohmann's own serializer, so the text is the one
// to_json(...).dump(2) gives, without building the whole tree first: on a box with hundreds of
// interfaces the tree of findings and metrics costs more than the collection.
class StreamWriter {
public:
    explicit StreamWriter(std::string& text)
        : text_(text),
          serializer_(nlohmann::detail::output_adapter<char, std::string>(text), ' ',
                      Json::error_handler_t::replace) {}

    void value(const Json& value, unsigned indent) {
        constexpr unsigned kIndentStep = 2;
        serializer_.dump(value, true, false, kIndentStep, indent);
    }

    void key(std::string_view key, bool first) {
        text_ += first ? "\n  \"" : ",\n  \"";
        text_ += key;  // the keys below are plain ASCII
        text_ += "\": ";
    }

    template <class Range, class Convert>
    void array(std::string_view name, const Range& items, Convert convert) {
        key(name, false);
        if (items.empty()) {
            text_ += "[]";
            return;
        }
        text_ += '[';
        bool first = true;
        for (const auto& item : items) {
            text_ += first ? "\n    " : ",\n    ";
            first = false;
            constexpr unsigned kItemIndent = 4;
            value(convert(item), kItemIndent);
        }
        text_ += "\n  ]";
    }

private:
    std::string& text_;
    nlohmann::detail::serializer<Json> serializer_;
};

}  // namespace

std::string render_json(const Report& report, const RunInfo& run, int exit_status) {
    // Roughly what a finding or a metric takes, so the text grows without copies.
    constexpr std::size_t kBytesPerItem = 512;
    std::string text;
    text.reserve(kBytesPerItem * (report.findings.size() + report.metrics.size() + 4));
    StreamWriter writer(text);
    constexpr unsigned kTopIndent = 2;
    text += '{';
    writer.key("json_format_version", true);
    writer.value(format_version_json(), kTopIndent);
    writer.key("diag", false);
    writer.value(run_to_json(report, run, exit_status), kTopIndent);
    writer.key("host", false);
    writer.value(host_to_json(run), kTopIndent);
    writer.key("worst_severity", false);
    writer.value(to_string(report.worst()), kTopIndent);
    writer.key("assessed_checks_count", false);
    writer.value(report.assessed_count, kTopIndent);

    const auto order = ranked_order(report.findings);
    std::vector<const Finding*> findings;
    findings.reserve(order.size());
    for (const std::size_t i : order) {
        findings.push_back(&report.findings[i]);
    }
    writer.array("findings", findings, [](const Finding* f) { return finding_to_json(*f); });
    writer.array("issues", report.issues, issue_to_json);
    writer.array("metrics", report.metrics, metric_to_json);
    text += "\n}\n";
    return text;
}

}  // namespace diag
