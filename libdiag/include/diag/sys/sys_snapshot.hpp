#pragma once

#include <diag/core/collected.hpp>
#include <diag/core/root.hpp>
#include <diag/sys/cpu_times.hpp>
#include <diag/sys/key_values.hpp>
#include <diag/sys/loadavg.hpp>
#include <diag/sys/mounts.hpp>
#include <diag/sys/pressure.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

namespace diag::sys {

/// Space and inodes of one filesystem, from statvfs.
struct FsUsage {
    std::uint64_t size_bytes = 0;
    std::uint64_t free_bytes = 0;
    /// Free for unprivileged users (excludes the root reserve).
    std::uint64_t available_bytes = 0;
    std::uint64_t inodes = 0;
    std::uint64_t inodes_free = 0;
};

/// One mounted filesystem and what diag could learn about it.
struct Filesystem {
    MountEntry mount;
    std::optional<FsUsage> usage;
    /// ext4's own count of errors since mkfs (/sys/fs/ext4/DEV/errors_count).
    std::optional<std::uint64_t> ext4_errors;
    /// Options /etc/fstab gives this mount point, when it lists it.
    std::optional<std::string> fstab_options;
};

/// Kernel clock discipline state from adjtimex(2).
struct ClockState {
    bool synchronised = false;
    std::int64_t max_error_us = 0;
    std::int64_t offset_us = 0;
};

/// Counters read twice to make rates.
struct SysSample {
    std::optional<CpuTimes> cpu;
    KeyValues vmstat;
    /// /proc/net/snmp and /proc/net/netstat together.
    KeyValues net;
};

/// Everything diag-sys reads. Anything that could not be read is absent, never zero.
struct SysSnapshot {
    std::optional<KeyValues> meminfo;
    std::optional<Pressure> cpu_pressure;
    std::optional<Pressure> memory_pressure;
    std::optional<Pressure> io_pressure;
    std::optional<LoadAverage> load;
    std::optional<double> uptime_seconds;
    std::optional<std::uint64_t> taint_mask;
    SysSample first;
    /// Present when a live sample was taken; sample_seconds apart from `first`.
    std::optional<SysSample> second;
    double sample_seconds = 0.0;
    std::vector<Filesystem> filesystems;
    std::optional<ClockState> clock;
};

/// How diag-sys probes.
struct SysProbeOptions {
    /// Seconds between the two readings of counters; 0 takes one reading (no rates).
    double sample_seconds = 1.0;
};

/// Reads the snapshot through the root. Live-only probes (statvfs, adjtimex, the second sample)
/// run only on the live box; under a captured root they are Issues of level info. statvfs runs
/// on all mounts at once under the root's deadline, so a hung NFS mount costs one deadline.
Collected<SysSnapshot> probe_sys(const Root& root, const SysProbeOptions& options);

}  // namespace diag::sys
