#include "diag/collectors.hpp"

#include "diag/crash/crash_collector.hpp"
#include "diag/logs/logs_collector.hpp"
#include "diag/sys/sys_assess.hpp"
#include "diag/sys/sys_snapshot.hpp"

namespace diag {

std::vector<CollectorSpec> registered_collectors() {
    constexpr double kSysSampleSeconds = 1.0;
    return {
        {"sys",
         "memory, pressure, load, CPU iowait and steal, kernel taint, filesystems, TCP, clock",
         std::chrono::milliseconds(static_cast<long>(kSysSampleSeconds * 1000)),
         [](const Root& root) {
             auto collected = sys::probe_sys(root, {kSysSampleSeconds});
             auto report = sys::assess_sys(collected.data);
             report.issues.insert(report.issues.end(), collected.issues.begin(),
                                  collected.issues.end());
             return report;
         }},
        {"logs", "the last day's incidents in syslog, kernel, Apache and nginx logs",
         std::chrono::milliseconds(0),
         [](const Root& root) { return logs::collect_recent_incidents(root); }},
        {"crash", "processes that crashed in the last day (core files, systemd-coredump, apport)",
         std::chrono::milliseconds(0),
         [](const Root& root) { return crash::collect_recent_crashes(root); }},
    };
}

}  // namespace diag
