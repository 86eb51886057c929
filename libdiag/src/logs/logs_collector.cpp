#include "diag/logs/logs_collector.hpp"

#include "diag/logs/incidents.hpp"
#include "diag/logs/logs_assess.hpp"
#include "diag/logs/logs_collect.hpp"

#include <algorithm>

namespace diag::logs {

Report collect_recent_incidents(const Root& root, std::chrono::hours span) {
    Report report;
    auto classifier = Classifier::build(builtin_rules(), builtin_screen_database());
    if (!classifier) {
        report.issues.push_back({IssueLevel::error, "compile", "rules", classifier.error(),
                                 "please report this as a bug in diag"});
        return report;
    }
    CollectOptions options;
    auto zone = machine_zone(root);
    options.read.zone = zone.data;
    options.read.boot_time = read_boot_time(root);
    options.read.deadline = root.deadline();
    const auto now =
        std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
    options.filter.since = now - std::chrono::duration_cast<std::chrono::microseconds>(span);
    options.filter.classified_only = true;
    auto timeline = collect_timeline(root, options, *classifier);
    const auto incidents = find_incidents(timeline.data.entries, classifier->rules(), {});
    report = assess_logs(timeline.data, incidents, classifier->rules(), {});
    // Only the incidents become findings here; the ok finding stays when there are none.
    std::erase_if(report.findings, [](const Finding& finding) {
        return finding.check != "logs.incident" && finding.check != "logs.events";
    });
    // With no log read at all nothing was assessed; an ok "no incidents" would be a guess.
    if (incidents.empty() && report.assessed_count > 0 &&
        std::none_of(report.findings.begin(), report.findings.end(),
                     [](const Finding& f) { return f.check == "logs.events"; })) {
        report.findings.push_back({Severity::ok,
                                   "logs.incidents",
                                   "logs",
                                   "no incidents in the last day's logs",
                                   {},
                                   std::nullopt,
                                   ""});
    }
    report.issues.insert(report.issues.end(), zone.issues.begin(), zone.issues.end());
    report.issues.insert(report.issues.end(), timeline.issues.begin(), timeline.issues.end());
    return report;
}

}  // namespace diag::logs
