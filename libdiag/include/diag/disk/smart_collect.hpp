#pragma once

#include <diag/core/report.hpp>
#include <diag/core/root.hpp>
#include <diag/disk/block_device.hpp>
#include <diag/logs/subject_events.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace diag::disk {

/// What diag-smart (and diag-report's disk collector) is asked to do.
struct SmartOptions {
    /// Devices to read ("sda", "/dev/nvme0n1"); empty for every disk.
    std::vector<std::string> devices;
    /// A recorded-devices directory (RecordedAccess) to read instead of the machine's disks.
    std::optional<std::string> devices_from;
    /// Where the history of counters per serial is kept; empty for none.
    std::string state_dir = "/var/lib/diag";
    /// Read drives in standby too (spinning them up).
    bool wake = false;
    /// The deadline for each device's whole probe, and the kernel timeout of each command.
    std::chrono::milliseconds deadline{5000};
    /// How many days back the kernel's logs are read for events about each disk (I/O errors,
    /// resets, file system errors); 0 reads none. Not read for devices_from.
    int kernel_log_days = 7;
};

/// The file under state_dir: smart-state.json.
inline constexpr const char* kSmartStateFile = "smart-state.json";

/// The kernel's view of one disk beside its SMART: device/ioerr_cnt (a finding, info when
/// above zero: pass-through commands that end with a check condition count too) with the
/// I/O counters of stat and the md/dm devices built on it as evidence. Empty for devices
/// without those files.
Report assess_kernel_io(const BlockDevice& device);

/// The names the kernel's messages use for a disk: its own ("sda"), its libata port ("ata3")
/// and its NVMe controller ("nvme0"), the last two read from its sysfs path.
std::vector<std::string> kernel_log_names(const BlockDevice& device);

/// The kernel log's events about one disk, its partitions, its ATA port or its NVMe controller
/// (events whose "device" field names one of kernel_log_names(), from diag-logs' disk rules)
/// over the last `days`: one finding as bad as the worst event,
/// with the count per rule, the first and last time and the last message; ok when there are
/// none. Pure.
Report assess_kernel_log(const BlockDevice& device, const std::vector<logs::SubjectEvent>& events,
                         int days);

/// Discovers the disks (through the root, or from devices_from), probes each with SMART on its
/// own thread under the deadline (the real ioctls only on the live machine; a captured tree
/// is judged by its sysfs alone, with an info Issue saying so), judges each record, adds the
/// kernel evidence (sysfs counters, and the kernel log's events of the last kernel_log_days
/// read once for all disks under the deadline), compares counters with the history in state_dir
/// (growth raises a finding one level) and writes the new history there atomically with mode 0600,
/// with the ATA tunnel that worked for each USB bridge. Everything that fails becomes an Issue.
Report collect_smart(const Root& root, const SmartOptions& options);

}  // namespace diag::disk
