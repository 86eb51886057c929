#pragma once

#include <diag/core/collected.hpp>
#include <diag/core/report.hpp>
#include <diag/core/root.hpp>
#include <diag/mem/edac.hpp>
#include <diag/mem/kernel_memory_log.hpp>
#include <diag/mem/mem_state.hpp>
#include <diag/mem/rasdaemon.hpp>
#include <diag/mem/test_log.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace diag::mem {

/// Every record the machine keeps of its memory errors, as read now.
struct MemHistory {
    /// /sys/devices/system/edac/mc exists (an EDAC driver is loaded).
    bool edac_present = false;
    std::vector<EdacController> controllers;
    /// HardwareCorrupted in /proc/meminfo: memory the kernel took out of use after a machine
    /// check (Documentation/filesystems/proc.rst, "meminfo").
    std::optional<std::uint64_t> hardware_corrupted_bytes;
    /// rasdaemon's recorded memory controller errors; nullopt without its database.
    std::optional<std::vector<RasMcGroup>> rasdaemon;
    /// Machine check and EDAC messages in the kernel's ring; nullopt when it could not be read.
    std::optional<std::vector<KernelMemoryEvents>> kernel_log;
};

/// Reads EDAC, /proc/meminfo, rasdaemon's database and the kernel log through the root. Missing
/// pieces become Issues.
Collected<MemHistory> probe_mem_history(const Root& root);

/// Judges the history, with the state of an earlier run to see growth (nullopt: no history).
Report assess_mem_history(const MemHistory& history, const std::optional<MemState>& previous);

/// Judges the last saved memory test (mem.test.last): critical when it found failing words.
Report assess_last_test(const SavedTestRun& run);

/// Probe, load the earlier state from state_dir (when given), assess, and save the new state
/// there (atomically, mode 0600). With last_test, the last memory test saved there is judged
/// too. Problems with the state files become Issues.
Report collect_mem_history(const Root& root, const std::optional<std::string>& state_dir,
                           std::chrono::system_clock::time_point now, bool last_test = true);

/// Appends run to state_dir's test log (kTestLogFile, written atomically, mode 0600, the last
/// kTestLogRunsMax runs kept). A log that cannot be read as one is replaced, and said so.
std::vector<Issue> save_test_run(const std::string& state_dir, const SavedTestRun& run);

}  // namespace diag::mem
