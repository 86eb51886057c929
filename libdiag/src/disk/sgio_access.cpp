#include "diag/core/unique_fd.hpp"
#include "diag/disk/ata_tunnel.hpp"
#include "diag/disk/command_result.hpp"
#include "diag/disk/device_access.hpp"

#include <array>
#include <cerrno>
#include <climits>

#include <fmt/format.h>

#include <fcntl.h>
#include <linux/nvme_ioctl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <scsi/sg.h>

namespace diag::disk {

namespace {

// SG_IO v3 (sg(4), include/scsi/sg.h). Host status DID_TIME_OUT and driver status
// DRIVER_TIMEOUT (include/scsi/scsi.h, Linux's SCSI midlayer) mean the command timed out.
constexpr unsigned kDidTimeOut = 0x03;
constexpr unsigned kDriverTimeout = 0x06;
constexpr unsigned kDriverSense = 0x08;
constexpr unsigned kCheckCondition = 0x02;
constexpr std::size_t kSenseBytes = 64;

using Clock = std::chrono::steady_clock;

std::chrono::milliseconds since(Clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

class SgioChannel final : public DeviceChannel {
public:
    SgioChannel(UniqueFd fd, std::string path, std::chrono::milliseconds timeout)
        : fd_(std::move(fd)), path_(std::move(path)), timeout_(timeout) {}

    CommandResult ata(const AtaCommand& command, AtaTunnel tunnel) override;
    CommandResult scsi(const ScsiCommand& command) override;
    CommandResult nvme_admin(const NvmeAdminCommand& command) override;

private:
    CommandResult sg_io(const std::vector<std::uint8_t>& cdb, std::size_t data_in_bytes);

    UniqueFd fd_;
    std::string path_;
    std::chrono::milliseconds timeout_;
};

CommandResult SgioChannel::sg_io(const std::vector<std::uint8_t>& cdb, std::size_t data_in_bytes) {
    CommandResult result;
    result.data.resize(data_in_bytes);
    std::array<std::uint8_t, kSenseBytes> sense{};
    std::vector<std::uint8_t> cdb_copy = cdb;

    sg_io_hdr_t header{};
    header.interface_id = 'S';
    header.dxfer_direction = data_in_bytes > 0 ? SG_DXFER_FROM_DEV : SG_DXFER_NONE;
    header.cmd_len = static_cast<unsigned char>(cdb_copy.size());
    header.cmdp = cdb_copy.data();
    header.dxfer_len = static_cast<unsigned>(data_in_bytes);
    header.dxferp = data_in_bytes > 0 ? result.data.data() : nullptr;
    header.mx_sb_len = static_cast<unsigned char>(sense.size());
    header.sbp = sense.data();
    header.timeout = static_cast<unsigned>(std::min<long long>(timeout_.count(), UINT_MAX));

    const auto start = Clock::now();
    const int rc = ::ioctl(fd_.get(), SG_IO, &header);
    result.latency = since(start);
    if (rc < 0) {
        result.status = CommandStatus::failed;
        result.errno_value = errno;
        result.reason = describe(system_error("SG_IO", path_, result.errno_value));
        result.data.clear();
        return result;
    }
    if (header.host_status == kDidTimeOut || (header.driver_status & 0x0FU) == kDriverTimeout) {
        result.status = CommandStatus::timed_out;
        result.reason = fmt::format("no answer within the {} ms command timeout", timeout_.count());
        result.data.clear();
        return result;
    }
    const auto resid = static_cast<std::size_t>(std::max(header.resid, 0));
    result.data.resize(data_in_bytes - std::min(resid, data_in_bytes));
    if (header.sb_len_wr > 0 &&
        (header.masked_status == kCheckCondition >> 1U ||
         (header.driver_status & kDriverSense) != 0 || header.status == kCheckCondition)) {
        result.sense.assign(sense.begin(), sense.begin() + header.sb_len_wr);
    } else if (header.host_status != 0 || (header.info & SG_INFO_OK_MASK) != SG_INFO_OK) {
        result.status = CommandStatus::failed;
        result.reason = fmt::format("SG_IO host status {:#x}, driver status {:#x}, status {:#x}",
                                    header.host_status, header.driver_status, header.status);
    }
    return result;
}

CommandResult SgioChannel::ata(const AtaCommand& command, AtaTunnel tunnel) {
    if (command.want_output && !tunnel_returns_registers(tunnel, command)) {
        CommandResult result;
        result.status = CommandStatus::failed;
        result.errno_value = EOPNOTSUPP;
        result.reason =
            fmt::format("{} returns no ATA registers for this command", to_string(tunnel));
        return result;
    }
    CommandResult result;
    switch (tunnel) {
        case AtaTunnel::sat16:
        case AtaTunnel::sat12:
            result = sg_io(sat_cdb(tunnel, command), command.data_in_bytes);
            break;
        case AtaTunnel::usbjmicron: {
            const bool status_byte = command.want_output;
            result = sg_io(jmicron_cdb(command, status_byte ? 1 : command.data_in_bytes),
                           status_byte ? 1 : command.data_in_bytes);
            if (status_byte && result.ok()) {
                result.ata =
                    result.data.empty() ? std::nullopt : jmicron_status_output(result.data[0]);
                if (!result.ata) {
                    result.status = CommandStatus::failed;
                    result.reason = "the JMicron bridge returned no valid SMART status byte";
                }
                result.data.clear();
            }
            break;
        }
        case AtaTunnel::usbsunplus:
            result = sg_io(sunplus_cdb(command), command.data_in_bytes);
            if (command.want_output && result.ok() && result.sense.empty()) {
                auto registers = sg_io(sunplus_registers_cdb(), 8);
                result.ata = sunplus_registers(page_bytes(registers.data));
                result.latency += registers.latency;
            }
            break;
    }
    finish_ata_result(result);
    return result;
}

CommandResult SgioChannel::scsi(const ScsiCommand& command) {
    auto result = sg_io(command.cdb, command.data_in_bytes);
    finish_scsi_result(result);
    return result;
}

CommandResult SgioChannel::nvme_admin(const NvmeAdminCommand& command) {
    CommandResult result;
    result.data.resize(command.data_in_bytes);
    nvme_admin_cmd admin{};
    admin.opcode = command.opcode;
    admin.nsid = command.nsid;
    admin.cdw10 = command.cdw10;
    admin.cdw11 = command.cdw11;
    admin.addr = reinterpret_cast<std::uintptr_t>(result.data.data());
    admin.data_len = static_cast<std::uint32_t>(command.data_in_bytes);
    admin.timeout_ms = static_cast<std::uint32_t>(std::min<long long>(timeout_.count(), UINT_MAX));

    const auto start = Clock::now();
    const int rc = ::ioctl(fd_.get(), NVME_IOCTL_ADMIN_CMD, &admin);
    result.latency = since(start);
    if (rc < 0) {
        result.status =
            errno == EINTR || errno == ETIMEDOUT ? CommandStatus::timed_out : CommandStatus::failed;
        result.errno_value = errno;
        result.reason = describe(system_error("NVME_IOCTL_ADMIN_CMD", path_, errno));
        result.data.clear();
    } else if (rc > 0) {
        // A positive return is the NVMe status field of the completion (NVMe Base 2.0,
        // Figure 92): status code type and status code.
        result.status = CommandStatus::failed;
        result.nvme_status = static_cast<std::uint16_t>(rc);
        result.reason = fmt::format("NVMe status {:#06x}", rc);
        result.data.clear();
    }
    return result;
}

class SgioAccess final : public DeviceAccess {
public:
    explicit SgioAccess(std::chrono::milliseconds timeout) : timeout_(timeout) {}

    std::expected<std::unique_ptr<DeviceChannel>, Error> open(const BlockDevice& device) override {
        // O_NONBLOCK: opening must not wait for media (sd.c honours it for removable drives).
        const int fd = ::open(device.device_path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0) {
            return std::unexpected(system_error("open", device.device_path, errno));
        }
        return std::make_unique<SgioChannel>(UniqueFd(fd), device.device_path, timeout_);
    }

private:
    std::chrono::milliseconds timeout_;
};

}  // namespace

std::shared_ptr<DeviceAccess> make_sgio_access(std::chrono::milliseconds command_timeout) {
    return std::make_shared<SgioAccess>(command_timeout);
}

}  // namespace diag::disk
