#include "diag/render/nagios.hpp"

#include "diag/render/escape.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include <fmt/format.h>

namespace diag {

namespace {

constexpr std::size_t kSummaryFindings = 3;

std::string_view status_word(int exit_status) {
    switch (exit_status) {
        case 0:
            return "OK";
        case 1:
            return "WARNING";
        case 2:
            return "CRITICAL";
        default:
            return "UNKNOWN";
    }
}

std::string upper(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return out;
}

// The status text must stay on one line and must not contain '|', which starts perfdata.
std::string one_line(std::string_view text) {
    std::string out = escape_for_terminal(text);
    std::replace(out.begin(), out.end(), '|', '/');
    return out;
}

std::string status_summary(const Report& report, const std::vector<Finding>& findings) {
    std::vector<std::string> parts;
    std::size_t bad = 0;
    for (const auto& finding : findings) {
        if (finding.severity < Severity::warning) {
            continue;
        }
        ++bad;
        if (parts.size() < kSummaryFindings) {
            parts.push_back(one_line(finding.subject + ": " + finding.summary));
        }
    }
    if (bad == 0) {
        if (report.assessed_count == 0) {
            return "nothing could be assessed";
        }
        return fmt::format("{} checks ok", report.assessed_count);
    }
    std::string text = fmt::format("{}", fmt::join(parts, "; "));
    if (bad > parts.size()) {
        text += fmt::format(" (+{} more)", bad - parts.size());
    }
    return text;
}

}  // namespace

std::string format_perfdata_number(double value) {
    if (!std::isfinite(value)) {
        return "U";
    }
    if (std::floor(value) == value && std::fabs(value) < 1e15) {
        return fmt::format("{}", static_cast<long long>(value));
    }
    std::string text = fmt::format("{:.6f}", value);
    while (text.back() == '0') {
        text.pop_back();
    }
    if (text.back() == '.') {
        text.pop_back();
    }
    return text;
}

std::string format_perfdata(const Perfdata& item) {
    std::string label = item.label;
    // Inside single quotes a quote is written twice; '=' is not allowed in a label.
    std::string quoted;
    for (char c : label) {
        quoted += c == '\'' ? std::string("''") : std::string(1, c == '=' ? '_' : c);
    }
    auto optional_number = [](const std::optional<double>& v) {
        return v ? format_perfdata_number(*v) : std::string();
    };
    std::string out =
        fmt::format("'{}'={}{};{};{};{};{}", quoted, format_perfdata_number(item.value), item.uom,
                    item.warn ? item.warn->text : "", item.crit ? item.crit->text : "",
                    optional_number(item.min), optional_number(item.max));
    while (out.back() == ';') {
        out.pop_back();
    }
    return out;
}

NagiosOutput render_nagios(const Report& report, const RunInfo& run) {
    const auto findings = ranked(report.findings);
    const int status = exit_status(report);
    std::string text = fmt::format("{} {} - {}", upper(run.tool), status_word(status),
                                   status_summary(report, findings));
    if (!report.perfdata.empty()) {
        std::vector<std::string> items;
        for (const auto& item : report.perfdata) {
            items.push_back(format_perfdata(item));
        }
        text += fmt::format(" | {}", fmt::join(items, " "));
    }
    text += "\n";
    for (const auto& finding : findings) {
        if (finding.severity >= Severity::warning) {
            text += fmt::format("{}: {} {}: {}\n", to_upper_string(finding.severity), finding.check,
                                one_line(finding.subject), one_line(finding.summary));
        }
    }
    for (const auto& issue : report.issues) {
        text += fmt::format("could not check: {}\n", one_line(describe(issue)));
    }
    return {text, status};
}

std::expected<void, std::string> apply_thresholds(Report& report,
                                                  const std::vector<std::string>& warning,
                                                  const std::vector<std::string>& critical,
                                                  const std::string& primary_label) {
    auto apply = [&](const std::string& spec,
                     Severity severity) -> std::expected<void, std::string> {
        std::string label = primary_label;
        std::string range_text = spec;
        if (const auto eq = spec.find('='); eq != std::string::npos) {
            label = spec.substr(0, eq);
            range_text = spec.substr(eq + 1);
        } else if (label.empty()) {
            return std::unexpected(fmt::format(
                "this tool has no main perfdata value for a bare range; write LABEL={}", spec));
        }
        auto range = parse_threshold_range(range_text);
        if (!range) {
            return std::unexpected(range.error());
        }
        auto it = std::find_if(report.perfdata.begin(), report.perfdata.end(),
                               [&](const Perfdata& p) { return p.label == label; });
        if (it == report.perfdata.end()) {
            return std::unexpected(
                fmt::format("no perfdata labelled '{}' to apply '{}' to", label, spec));
        }
        (severity == Severity::critical ? it->crit : it->warn) = *range;
        if (range->alerts(it->value)) {
            report.findings.push_back(
                Finding{severity,
                        "nagios.threshold",
                        label,
                        fmt::format("{} is {}{}, outside the {} range {}", label,
                                    format_perfdata_number(it->value), it->uom, to_string(severity),
                                    range->text),
                        {{"value", it->value}},
                        std::nullopt,
                        "threshold given on the command line (-w/-c)"});
        }
        return {};
    };
    for (const auto& spec : warning) {
        if (auto done = apply(spec, Severity::warning); !done) {
            return done;
        }
    }
    for (const auto& spec : critical) {
        if (auto done = apply(spec, Severity::critical); !done) {
            return done;
        }
    }
    return {};
}

}  // namespace diag
