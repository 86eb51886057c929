#include "diag/crash/crash_collector.hpp"

#include "diag/crash/core_discovery.hpp"
#include "diag/crash/signal_names.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

namespace diag::crash {

Report collect_recent_crashes(const Root& root, std::chrono::hours window) {
    Report report;
    auto found = discover_cores(root, {});
    report.issues = found.issues;
    const auto since = std::chrono::system_clock::now() - window;
    std::size_t recent = 0;
    for (const auto& core : found.data.cores) {
        if (!core.time || *core.time < since) {
            continue;
        }
        ++recent;
        Finding finding;
        finding.severity = Severity::warning;
        finding.check = "crash.recent";
        finding.subject = core.executable.empty() ? core.path : core.executable;
        const auto signal =
            core.signal ? std::string(signal_name(*core.signal).value_or("?")) : "a signal";
        finding.summary = fmt::format("{} crashed with {}; see diag-core {}", finding.subject,
                                      signal, root.display(core.path));
        finding.time = core.time;
        finding.evidence.push_back({"core", root.display(core.path)});
        finding.evidence.push_back({"core_present", core.core_present});
        if (core.pid) {
            finding.evidence.push_back({"pid", static_cast<std::int64_t>(*core.pid)});
        }
        finding.source = "core_pattern, systemd-coredump and apport stores";
        report.findings.push_back(std::move(finding));
    }
    // Without core_pattern and without any core, nothing says where cores would be: unknown,
    // not "no crash".
    if (!found.data.pattern && found.data.cores.empty()) {
        return report;
    }
    report.assessed_count = 1;
    if (recent == 0) {
        report.findings.push_back(
            {Severity::ok,
             "crash.recent",
             "cores",
             fmt::format("no crash found in the last {} hours", window.count()),
             {},
             std::nullopt,
             "core_pattern, systemd-coredump and apport stores"});
    }
    return report;
}

}  // namespace diag::crash
