#pragma once

#include <diag/core/collected.hpp>
#include <diag/core/report.hpp>
#include <diag/core/root.hpp>
#include <diag/mem/edac.hpp>
#include <diag/mem/mem_state.hpp>

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
};

/// Reads EDAC and /proc/meminfo through the root. Missing pieces become Issues.
Collected<MemHistory> probe_mem_history(const Root& root);

/// Judges the history, with the state of an earlier run to see growth (nullopt: no history).
Report assess_mem_history(const MemHistory& history, const std::optional<MemState>& previous);

/// Probe, load the earlier state from state_dir (when given), assess, and save the new state
/// there (atomically, mode 0600). Problems with the state file become Issues.
Report collect_mem_history(const Root& root, const std::optional<std::string>& state_dir,
                           std::chrono::system_clock::time_point now);

}  // namespace diag::mem
