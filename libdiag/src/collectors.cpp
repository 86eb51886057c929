#include "diag/collectors.hpp"

#include "diag/crash/crash_collector.hpp"
#include "diag/disk/smart_collect.hpp"
#include "diag/logs/logs_collector.hpp"
#include "diag/mem/mem_history.hpp"
#include "diag/net/nic_assess.hpp"
#include "diag/net/nic_snapshot.hpp"
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
        {"net",
         "network interfaces by layer (physical, ring, stack, TCP, link), counters since boot",
         std::chrono::milliseconds(0),
         [](const Root& root) {
             // A one-shot snapshot: diag-report does not wait for a sampling window.
             net::NicProbeOptions options;
             auto collected = net::probe_nic(root, options);
             auto report = net::assess_nic(collected.data, nullptr, options.selection);
             report.issues.insert(report.issues.end(), collected.issues.begin(),
                                  collected.issues.end());
             return report;
         }},
        // The error history only; a memory test runs only when diag-mem is asked for one.
        {"mem", "memory error history: EDAC corrected and uncorrected errors, poisoned pages",
         std::chrono::milliseconds(0),
         [](const Root& root) {
             return mem::collect_mem_history(root, std::nullopt, std::chrono::system_clock::now());
         }},
        {"crash", "processes that crashed in the last day (core files, systemd-coredump, apport)",
         std::chrono::milliseconds(0),
         [](const Root& root) { return crash::collect_recent_crashes(root); }},
        {"disk",
         "SMART of every ATA, SCSI and NVMe disk (one thread each), the kernel's I/O error "
         "counts, growth since the last run (history in /var/lib/diag)",
         std::chrono::milliseconds(0),
         [](const Root& root) {
             disk::SmartOptions options;
             options.deadline = root.deadline();
             return disk::collect_smart(root, options);
         }},
    };
}

}  // namespace diag
