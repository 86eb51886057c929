#include "diag/tui/snapshot.hpp"

#include <algorithm>

namespace diag::tui {

std::optional<Severity> worst_severity(const Snapshot& snapshot) {
    std::optional<Severity> worst;
    for (const auto& domain : snapshot.domains) {
        if (!domain.report || domain.report->findings.empty()) {
            continue;
        }
        const Severity severity = domain.report->worst();
        worst = worst ? std::max(*worst, severity) : severity;
    }
    return worst;
}

std::size_t count_findings(const Report& report, Severity severity) {
    return static_cast<std::size_t>(
        std::count_if(report.findings.begin(), report.findings.end(),
                      [&](const Finding& finding) { return finding.severity == severity; }));
}

}  // namespace diag::tui
