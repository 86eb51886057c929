#include "diag/render/text.hpp"

#include "diag/core/units.hpp"
#include "diag/render/escape.hpp"

#include <algorithm>
#include <array>
#include <iterator>
#include <vector>

#include <fmt/format.h>

namespace diag {

namespace {

constexpr std::size_t kMaxSubjectWidth = 24;

std::string paint(std::string_view text, Severity severity, bool color) {
    if (!color) {
        return std::string(text);
    }
    constexpr std::array<std::string_view, 4> kCodes{"\033[32m", "\033[36m", "\033[1;33m",
                                                     "\033[1;31m"};
    return fmt::format("{}{}\033[0m", kCodes.at(static_cast<std::size_t>(severity)), text);
}

std::string header(const RunInfo& run) {
    std::string line = run.tool;
    if (!run.hostname.empty()) {
        line += fmt::format(" on {}", escape_for_terminal(run.hostname));
    }
    if (!run.kernel_release.empty()) {
        line += fmt::format(" (Linux {})", escape_for_terminal(run.kernel_release));
    }
    if (run.root != "/") {
        line += fmt::format(", captured root {}", escape_for_terminal(run.root));
    }
    line += fmt::format(", {}\n", format_utc(run.started));
    return line;
}

std::string evidence_lines(const Finding& finding, std::size_t indent) {
    std::string out;
    const std::string pad(indent, ' ');
    if (!finding.evidence.empty()) {
        std::string line;
        for (const auto& item : finding.evidence) {
            std::string part = fmt::format("{}={}", item.key, to_display_string(item.value));
            if (!line.empty() && line.size() + part.size() + 2 > 100 - indent) {
                out += pad + escape_for_terminal(line) + "\n";
                line.clear();
            }
            line += line.empty() ? part : "  " + part;
        }
        out += pad + escape_for_terminal(line) + "\n";
    }
    if (!finding.source.empty()) {
        out += pad + "rule: " + escape_for_terminal(finding.source) + "\n";
    }
    return out;
}

std::string summary_line(const Report& report) {
    std::array<std::size_t, 4> counts{};
    for (const auto& finding : report.findings) {
        ++counts.at(static_cast<std::size_t>(finding.severity));
    }
    std::string line;
    for (auto severity : {Severity::critical, Severity::warning, Severity::info, Severity::ok}) {
        const auto count = counts.at(static_cast<std::size_t>(severity));
        if (count > 0) {
            line += fmt::format("{}{} {}", line.empty() ? "" : ", ", count, to_string(severity));
        }
    }
    if (line.empty()) {
        line = "nothing could be assessed";
    }
    if (!report.issues.empty()) {
        line += fmt::format(", {} {}", report.issues.size(),
                            report.issues.size() == 1 ? "issue" : "issues");
    }
    return "Summary: " + line + "\n";
}

}  // namespace

std::string render_text(const Report& report, const RunInfo& run, const TextStyle& style) {
    std::string out = header(run);
    // Read in place, in ranked order: copying hundreds of findings costs more than printing.
    const auto order = ranked_order(report.findings);
    std::vector<std::string> subjects;
    subjects.reserve(order.size());

    std::size_t check_width = 0;
    std::size_t subject_width = 0;
    for (const std::size_t i : order) {
        const auto& finding = report.findings[i];
        check_width = std::max(check_width, finding.check.size());
        subjects.push_back(escape_for_terminal(finding.subject));
        subject_width = std::max(subject_width, subjects.back().size());
    }
    subject_width = std::min(subject_width, kMaxSubjectWidth);
    const std::size_t evidence_indent = 10;

    if (!order.empty()) {
        out += "\n";
    }
    for (std::size_t rank = 0; rank < order.size(); ++rank) {
        const auto& finding = report.findings[order[rank]];
        const std::string label = fmt::format("{:<8}", to_upper_string(finding.severity));
        fmt::format_to(std::back_inserter(out), "{}  {:<{}}  {:<{}}  {}\n",
                       paint(label, finding.severity, style.color), finding.check, check_width,
                       subjects[rank], subject_width, escape_for_terminal(finding.summary));
        if (style.verbose || finding.severity >= Severity::warning) {
            out += evidence_lines(finding, evidence_indent);
        }
    }
    if (!report.issues.empty()) {
        out += fmt::format("\nCould not check ({}):\n", report.issues.size());
        for (const auto& issue : report.issues) {
            out += "  " + escape_for_terminal(describe(issue)) + "\n";
        }
    }
    out += "\n" + summary_line(report);
    return out;
}

}  // namespace diag
