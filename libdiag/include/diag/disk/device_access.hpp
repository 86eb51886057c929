#pragma once

#include <diag/core/error.hpp>
#include <diag/disk/ata_command.hpp>
#include <diag/disk/block_device.hpp>
#include <diag/disk/nvme_commands.hpp>
#include <diag/disk/scsi_commands.hpp>

#include <chrono>
#include <cstdint>
#include <expected>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace diag::disk {

/// How one command ended.
enum class CommandStatus : std::uint8_t {
    ok,
    /// The device or the kernel refused or failed it: sense data, an ATA error, an NVMe status
    /// or an errno say why.
    failed,
    /// The command did not complete in time (the kernel's SG_IO timeout, or a recorded one).
    timed_out,
};

/// What one command returned. Data is what the device transferred (may be shorter than asked).
struct CommandResult {
    CommandStatus status = CommandStatus::ok;
    std::vector<std::uint8_t> data;
    /// The ATA output registers, when the tunnel returned them.
    std::optional<AtaOutput> ata;
    /// Raw sense bytes of a SCSI command that ended with CHECK CONDITION.
    std::vector<std::uint8_t> sense;
    /// The NVMe completion status field (0 success).
    std::optional<std::uint16_t> nvme_status;
    /// errno of a failed ioctl; 0 when there was none.
    int errno_value = 0;
    /// One line for a person when the command failed or timed out: "sense key 5h (ILLEGAL
    /// REQUEST), ASC/ASCQ 20h/00h", "ATA status 51h error 04h (ABRT)", "Input/output error".
    std::string reason;
    /// Wall time the command took.
    std::chrono::milliseconds latency{0};

    [[nodiscard]] bool ok() const { return status == CommandStatus::ok; }
};

/// An open device that commands can be sent to. One channel belongs to one probing thread.
class DeviceChannel {
public:
    DeviceChannel() = default;
    DeviceChannel(const DeviceChannel&) = delete;
    DeviceChannel& operator=(const DeviceChannel&) = delete;
    virtual ~DeviceChannel() = default;

    /// Sends an ATA command through `tunnel` (SAT or a USB bridge's vendor command).
    virtual CommandResult ata(const AtaCommand& command, AtaTunnel tunnel) = 0;
    /// Sends a SCSI command.
    virtual CommandResult scsi(const ScsiCommand& command) = 0;
    /// Sends an NVMe admin command.
    virtual CommandResult nvme_admin(const NvmeAdminCommand& command) = 0;
};

/// The seam between the probes and the machine: opens a channel to a device. The real
/// implementation uses SG_IO and NVME_IOCTL_ADMIN_CMD on /dev; the recorded one answers from
/// files, so the probe logic is tested without hardware.
class DeviceAccess {
public:
    DeviceAccess() = default;
    DeviceAccess(const DeviceAccess&) = delete;
    DeviceAccess& operator=(const DeviceAccess&) = delete;
    virtual ~DeviceAccess() = default;

    /// Opens the device; the error names the device and the reason ("open /dev/sda:
    /// Permission denied").
    virtual std::expected<std::unique_ptr<DeviceChannel>, Error> open(
        const BlockDevice& device) = 0;
};

/// The real access: opens /dev/NAME read-only and non-blocking, sends commands with SG_IO
/// (sg(4), SG_IO v3 header) or NVME_IOCTL_ADMIN_CMD (linux/nvme_ioctl.h), each with
/// `command_timeout` as the kernel's timeout. Only meaningful on the live machine.
std::shared_ptr<DeviceAccess> make_sgio_access(std::chrono::milliseconds command_timeout);

}  // namespace diag::disk
