#include "diag/core/report.hpp"

#include <algorithm>
#include <iterator>

namespace diag {

void Report::merge(Report other) {
    auto append = [](auto& into, auto& from) {
        into.insert(into.end(), std::make_move_iterator(from.begin()),
                    std::make_move_iterator(from.end()));
    };
    append(findings, other.findings);
    append(issues, other.issues);
    append(metrics, other.metrics);
    append(perfdata, other.perfdata);
    assessed_count += other.assessed_count;
}

Severity Report::worst() const {
    Severity worst = Severity::ok;
    for (const auto& finding : findings) {
        worst = std::max(worst, finding.severity);
    }
    return worst;
}

int exit_status(const Report& report) {
    switch (report.worst()) {
        case Severity::critical:
            return 2;
        case Severity::warning:
            return 1;
        case Severity::ok:
        case Severity::info:
            break;
    }
    return report.assessed_count == 0 ? kExitUnknown : 0;
}

std::vector<Finding> ranked(std::vector<Finding> findings) {
    std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
        if (a.severity != b.severity) {
            return a.severity > b.severity;
        }
        if (a.check != b.check) {
            return a.check < b.check;
        }
        return a.subject < b.subject;
    });
    return findings;
}

}  // namespace diag
