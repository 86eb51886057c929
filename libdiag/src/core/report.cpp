#include "diag/core/report.hpp"

#include <algorithm>
#include <iterator>
#include <numeric>
#include <utility>

namespace diag {

void Report::merge(Report other) {
    auto append = [](auto& into, auto& from) {
        // Into nothing, the other's vector is taken whole: no copy of hundreds of findings.
        if (into.empty()) {
            into = std::move(from);
            return;
        }
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

std::vector<std::size_t> ranked_order(const std::vector<Finding>& findings) {
    // Ties keep their original order: positions are sorted, the position breaking ties. Not
    // std::stable_sort, which libstdc++ 12 builds on its own deprecated get_temporary_buffer;
    // clang reports that from inside the header, an error under -Werror (libstdc++ 13 hides it).
    std::vector<std::size_t> order(findings.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [&](std::size_t i, std::size_t j) {
        const Finding& a = findings[i];
        const Finding& b = findings[j];
        if (a.severity != b.severity) {
            return a.severity > b.severity;
        }
        if (a.check != b.check) {
            return a.check < b.check;
        }
        if (a.subject != b.subject) {
            return a.subject < b.subject;
        }
        return i < j;
    });
    return order;
}

std::vector<Finding> ranked(std::vector<Finding> findings) {
    std::vector<Finding> sorted;
    sorted.reserve(findings.size());
    for (const std::size_t i : ranked_order(findings)) {
        sorted.push_back(std::move(findings[i]));
    }
    return sorted;
}

}  // namespace diag
