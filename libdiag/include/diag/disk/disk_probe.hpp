#pragma once

#include <diag/core/issue.hpp>
#include <diag/disk/ata_command.hpp>
#include <diag/disk/block_device.hpp>
#include <diag/disk/device_access.hpp>
#include <diag/disk/disk_record.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace diag::disk {

/// How the probes behave.
struct ProbeOptions {
    /// Read a drive that CHECK POWER MODE says is in standby (spinning it up); off by default.
    bool wake = false;
    /// The ATA tunnel that worked before for a device, keyed as bridge_key() gives: tried
    /// first.
    std::map<std::string, AtaTunnel> remembered_tunnels;
};

/// What probing one device gave: the record decoded from its pages (absent when nothing
/// could be read), the Issues met, and how the drive was reached.
struct ProbedDisk {
    BlockDevice device;
    std::optional<DiskRecord> record;
    std::vector<Issue> issues;
    /// The ATA tunnel that worked, for ATA drives.
    std::optional<AtaTunnel> tunnel;
    /// Every tunnel tried, in order, with how it went: "sat16: sense key 5h ...", "usbjmicron:
    /// ok".
    std::vector<std::string> tunnel_attempts;
    /// What CHECK POWER MODE said; absent when it could not be asked.
    std::optional<AtaPowerMode> power_mode;
    /// True when the drive was in standby and left alone (no --wake).
    bool left_in_standby = false;
};

/// The key a device's working tunnel is remembered under: "usb:152d:0578" for a USB bridge
/// whose id is known (the same bridge chip needs the same protocol), else the device name.
std::string bridge_key(const BlockDevice& device);

/// Probes one device through `access`, command by command, on the calling thread:
///  - ATA (ata, sat, usb): CHECK POWER MODE first (a drive in standby is left alone unless
///    options.wake), trying SAT (16) then (12), and for USB bridges the JMicron and Sunplus
///    protocols after them, each only on bridges of its maker's USB vendor id (152d, 04fc)
///    or of unknown id (the remembered tunnel first); then IDENTIFY, SMART READ DATA,
///    READ THRESHOLDS, RETURN STATUS, the log directory and the logs it lists (summary error
///    log 01h, self-test log 06h, Device Statistics 04h);
///  - NVMe: Identify Controller, SMART / Health log 02h, Error Information log 01h, and the
///    Device Self-test log 06h when Identify says self-test is supported;
///  - SCSI: INQUIRY, VPD 80h, LOG SENSE 00h and those of 2Fh, 0Dh, 03h, 02h, 05h, 11h it
///    lists, READ DEFECT DATA.
/// A command that fails adds an Issue and the rest go on; a command that times out ends the
/// device's probe. Never throws.
ProbedDisk probe_disk(DeviceAccess& access, const BlockDevice& device, const ProbeOptions& options);

/// probe_disk for every device with SMART at once, each on its own thread, all within one
/// deadline (run_all_with_deadline). A device that does not finish in time keeps its slot
/// with an error Issue ("probe /dev/sdb: no answer within 5000 ms") and no record; the others
/// are reported. Devices without SMART are skipped (discovery already gave their Issue).
std::vector<ProbedDisk> probe_disks(const std::shared_ptr<DeviceAccess>& access,
                                    const std::vector<BlockDevice>& devices,
                                    const ProbeOptions& options,
                                    std::chrono::milliseconds deadline);

}  // namespace diag::disk
