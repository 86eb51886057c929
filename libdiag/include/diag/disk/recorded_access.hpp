#pragma once

#include <diag/core/collected.hpp>
#include <diag/disk/device_access.hpp>

#include <expected>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace diag::disk {

/// Devices recorded as files, for tests and benchmarks: a directory with one subdirectory per
/// device, named as the kernel would name it ("sda"). Each holds device.json and the answers:
///
///   {"transport": "ata"|"sat"|"scsi"|"nvme"|"usb",     what discovery would have found
///    "model": "...", "serial": "...", "usb_id": "152d:0578",          optional identity
///    "tunnels": ["sat16", "sat12"],    the ATA tunnels the device answers (default: both SAT
///                                      for ata, sat and usb; none for scsi and nvme)
///    "skblob": "FILE",                 a libatasmart blob answering IDENTIFY, SMART READ DATA,
///                                      READ THRESHOLDS and RETURN STATUS
///    "power_mode": "active"|"idle"|"standby",       CHECK POWER MODE's answer (active)
///    "latency_ms": N,                  every command's latency (0)
///    "commands": {"NAME": {"file": "FILE", "latency_ms": N, "timeout": true,
///                          "errno": "EIO", "sense": "72 05 20 00 ...",
///                          "registers": {"lba_mid": "0x4f", ...}, "nvme_status": "0x0109"}}}
///
/// NAME is the command's key (AtaCommand::name and the like: "ata-identify",
/// "scsi-log-sense-2f", "nvme-get-log-02"). A command's data is "FILE" if given, else
/// NAME.bin in the device's directory; relative paths are relative to that directory. A data
/// command without data fails as a real device would refuse it: ATA with ABRT, SCSI with
/// ILLEGAL REQUEST (invalid field in CDB), NVMe with Invalid Log Page. An ATA tunnel the device
/// does not answer fails with ILLEGAL REQUEST, invalid command operation code. Sense, errno
/// and registers are interpreted by the same code as the real access's.
class RecordedAccess final : public DeviceAccess {
public:
    explicit RecordedAccess(std::string directory);

    std::expected<std::unique_ptr<DeviceChannel>, Error> open(const BlockDevice& device) override;

    /// The commands sent to a device so far, in order: "ata-identify via sat16",
    /// "scsi-inquiry", "nvme-get-log-02". Thread-safe.
    [[nodiscard]] std::vector<std::string> sent(const std::string& device_name) const;

    /// Appends to the log; used by the channels.
    void record(const std::string& device_name, std::string entry);

private:
    std::string directory_;
    mutable std::mutex mutex_;
    std::vector<std::pair<std::string, std::string>> log_;
};

/// The devices of a recorded directory as discovery would give them: name, /dev path,
/// transport and identity from each device.json. A subdirectory without a readable manifest
/// is an Issue; kinds without SMART get their info Issue as in live discovery.
Collected<std::vector<BlockDevice>> discover_recorded_devices(const std::string& directory);

}  // namespace diag::disk
