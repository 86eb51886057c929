#include "diag/collectors.hpp"

#include "diag/disk/smart_collect.hpp"
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
