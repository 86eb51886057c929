#include "diag/disk/disk_probe.hpp"

#include "diag/core/deadline.hpp"
#include "diag/disk/ata_identify.hpp"
#include "diag/disk/ata_log_directory.hpp"
#include "diag/disk/ata_pages.hpp"
#include "diag/disk/ata_tunnel.hpp"
#include "diag/disk/command_result.hpp"
#include "diag/disk/nvme_identify.hpp"
#include "diag/disk/nvme_pages.hpp"
#include "diag/disk/scsi_pages.hpp"

#include <algorithm>
#include <cerrno>
#include <functional>

#include <fmt/format.h>

namespace diag::disk {

namespace {

// ATA log addresses (ACS-3 Table A.2).
constexpr std::uint8_t kLogDirectory = 0x00;
constexpr std::uint8_t kSummaryErrorLog = 0x01;
constexpr std::uint8_t kDeviceStatistics = 0x04;
constexpr std::uint8_t kSelfTestLog = 0x06;
// Device Statistics pages 00h-07h are the ones diag reads (07h: Solid State Statistics).
constexpr std::uint16_t kStatisticsPages = 8;
// NVMe: log sizes (NVMe Base Specification 2.0: Figure 206 SMART / Health 512 bytes,
// Figure 262 Device Self-test 564 bytes, Figure 205 error entries 64 bytes each).
constexpr std::uint32_t kNvmeHealthBytes = 512;
constexpr std::uint32_t kNvmeSelfTestBytes = 564;
constexpr std::uint32_t kNvmeErrorEntryBytes = 64;
constexpr std::uint32_t kNvmeMaxErrorEntries = 64;
// SCSI LOG SENSE allocation length: enough for every page diag reads.
constexpr std::uint16_t kLogSenseBytes = 1024;

// Reads through one channel and turns failures into Issues; once a command has timed out the
// device is given up (a drive that timed out once will block the next command as well).
class Prober {
public:
    Prober(DeviceChannel& channel, ProbedDisk& out) : channel_(channel), out_(out) {}

    [[nodiscard]] bool stopped() const { return stopped_; }

    std::optional<std::vector<std::uint8_t>> ata(const AtaCommand& command, AtaTunnel tunnel,
                                                 IssueLevel level) {
        if (stopped_) {
            return std::nullopt;
        }
        auto result = channel_.ata(command, tunnel);
        if (!note(command.name, result, level)) {
            return std::nullopt;
        }
        return std::move(result.data);
    }

    std::optional<CommandResult> ata_registers(const AtaCommand& command, AtaTunnel tunnel,
                                               IssueLevel level) {
        if (stopped_) {
            return std::nullopt;
        }
        auto result = channel_.ata(command, tunnel);
        if (!note(command.name, result, level)) {
            return std::nullopt;
        }
        return result;
    }

    std::optional<std::vector<std::uint8_t>> scsi(const ScsiCommand& command, IssueLevel level) {
        if (stopped_) {
            return std::nullopt;
        }
        auto result = channel_.scsi(command);
        if (!note(command.name, result, level)) {
            return std::nullopt;
        }
        return std::move(result.data);
    }

    std::optional<std::vector<std::uint8_t>> nvme(const NvmeAdminCommand& command,
                                                  IssueLevel level) {
        if (stopped_) {
            return std::nullopt;
        }
        auto result = channel_.nvme_admin(command);
        if (!note(command.name, result, level)) {
            return std::nullopt;
        }
        return std::move(result.data);
    }

    // The raw result, for the tunnel search, which judges failures itself.
    CommandResult raw_ata(const AtaCommand& command, AtaTunnel tunnel) {
        auto result = channel_.ata(command, tunnel);
        if (result.status == CommandStatus::timed_out) {
            timed_out(command.name, result);
        }
        return result;
    }

private:
    void timed_out(const std::string& name, const CommandResult& result) {
        stopped_ = true;
        out_.issues.push_back({IssueLevel::error, name, out_.device.device_path,
                               result.reason + "; the rest of this device was not read",
                               "the drive or its link may hang: look for resets of it in the "
                               "kernel log (diag-logs, dmesg)"});
    }

    // True when the command gave data; otherwise adds the Issue for it.
    bool note(const std::string& name, const CommandResult& result, IssueLevel level) {
        if (result.ok()) {
            return true;
        }
        if (result.status == CommandStatus::timed_out) {
            timed_out(name, result);
            return false;
        }
        auto issue = Issue{level, name, out_.device.device_path, result.reason, ""};
        if (result.errno_value == EACCES || result.errno_value == EPERM) {
            issue.hint = "run as root";
        }
        out_.issues.push_back(std::move(issue));
        return false;
    }

    DeviceChannel& channel_;
    ProbedDisk& out_;
    bool stopped_ = false;
};

bool all_zero(const std::vector<std::uint8_t>& bytes) {
    return std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b == 0; });
}

// USB vendor ids (usb.ids) of the bridge makers whose vendor commands diag knows: a vendor
// opcode sent to another maker's bridge may do anything, so only SAT is tried there.
constexpr std::string_view kJmicronVendor = "152d";
constexpr std::string_view kSunplusVendor = "04fc";

bool may_try(const BlockDevice& device, std::string_view vendor) {
    return device.usb_id.empty() || device.usb_id.starts_with(vendor);
}

std::vector<AtaTunnel> tunnel_candidates(const BlockDevice& device, const ProbeOptions& options) {
    std::vector<AtaTunnel> order{AtaTunnel::sat16, AtaTunnel::sat12};
    if (device.transport == BlockTransport::usb) {
        if (may_try(device, kJmicronVendor)) {
            order.push_back(AtaTunnel::usbjmicron);
        }
        if (may_try(device, kSunplusVendor)) {
            order.push_back(AtaTunnel::usbsunplus);
        }
    }
    if (const auto found = options.remembered_tunnels.find(bridge_key(device));
        found != options.remembered_tunnels.end()) {
        std::erase(order, found->second);
        order.insert(order.begin(), found->second);
    }
    return order;
}

std::string tunnel_transport(AtaTunnel tunnel) {
    return tunnel == AtaTunnel::sat16 || tunnel == AtaTunnel::sat12
               ? "sat"
               : std::string(to_string(tunnel));
}

// Finds a tunnel that carries IDENTIFY, asking the power mode on the way. Returns the
// IDENTIFY data, or nullopt when no tunnel worked or the drive is left in standby.
std::optional<std::vector<std::uint8_t>> find_tunnel(Prober& prober, ProbedDisk& out,
                                                     const ProbeOptions& options) {
    for (const auto tunnel : tunnel_candidates(out.device, options)) {
        const auto power_command = ata_check_power_mode();
        if (tunnel_returns_registers(tunnel, power_command)) {
            const auto power = prober.raw_ata(power_command, tunnel);
            if (prober.stopped()) {
                return std::nullopt;
            }
            if (!power.ok() && is_not_supported(power)) {
                out.tunnel_attempts.push_back(
                    fmt::format("{}: {}", to_string(tunnel), power.reason));
                continue;
            }
            if (power.ok() && power.ata) {
                out.power_mode = decode_power_mode(power.ata->count);
            }
            if (out.power_mode == AtaPowerMode::standby && !options.wake) {
                out.left_in_standby = true;
                out.tunnel_attempts.push_back(fmt::format("{}: ok", to_string(tunnel)));
                out.tunnel = tunnel;
                out.issues.push_back(
                    {IssueLevel::info, "probe SMART", out.device.device_path,
                     "the drive is in standby (ATA CHECK POWER MODE count 00h); not woken, so "
                     "its SMART was not read",
                     "--wake reads it anyway and spins it up"});
                return std::nullopt;
            }
        }
        auto identify = prober.raw_ata(ata_identify(), tunnel);
        if (prober.stopped()) {
            return std::nullopt;
        }
        if (identify.ok() && identify.data.size() >= 512 && !all_zero(identify.data)) {
            out.tunnel = tunnel;
            out.tunnel_attempts.push_back(fmt::format("{}: ok", to_string(tunnel)));
            if (!out.power_mode) {
                out.issues.push_back(
                    {IssueLevel::info, "ata-check-power-mode", out.device.device_path,
                     fmt::format("the power mode is unknown through {}: a drive in standby may "
                                 "have been spun up",
                                 to_string(tunnel)),
                     ""});
            }
            return std::move(identify.data);
        }
        out.tunnel_attempts.push_back(fmt::format(
            "{}: {}", to_string(tunnel),
            identify.ok() ? std::string("IDENTIFY DEVICE came back empty") : identify.reason));
    }
    std::string tried;
    for (const auto& attempt : out.tunnel_attempts) {
        tried += (tried.empty() ? "" : "; ") + attempt;
    }
    out.issues.push_back({IssueLevel::error, "probe SMART", out.device.device_path,
                          "no ATA pass-through reached the drive (" + tried + ")",
                          out.device.transport == BlockTransport::usb
                              ? "the USB bridge may pass no ATA commands at all"
                              : ""});
    return std::nullopt;
}

// TODO(#3): read the extended comprehensive error log (03h) and extended self-test log (07h)
// with READ LOG EXT when the general-purpose log directory lists them; drives that keep only
// those show no logs now.
void read_ata_logs(Prober& prober, AtaTunnel tunnel, const AtaIdentify& identify, AtaPages& pages) {
    const auto directory_bytes =
        prober.ata(ata_smart_read_log(kLogDirectory, 1), tunnel, IssueLevel::info);
    std::optional<AtaLogDirectory> directory;
    if (directory_bytes) {
        directory = decode_ata_log_directory(page_bytes(*directory_bytes)).value;
    }
    // Without a directory, IDENTIFY word 84 says whether the two SMART logs exist.
    const bool error_log =
        directory ? directory->pages(kSummaryErrorLog) > 0 : identify.smart_error_log_supported;
    const bool self_test_log =
        directory ? directory->pages(kSelfTestLog) > 0 : identify.smart_self_test_supported;
    if (error_log) {
        pages.error_log =
            prober.ata(ata_smart_read_log(kSummaryErrorLog, 1), tunnel, IssueLevel::error);
    }
    if (self_test_log) {
        pages.self_test_log =
            prober.ata(ata_smart_read_log(kSelfTestLog, 1), tunnel, IssueLevel::error);
    }
    if (directory && directory->pages(kDeviceStatistics) > 0) {
        const auto count = std::min(directory->pages(kDeviceStatistics), kStatisticsPages);
        pages.device_statistics =
            prober.ata(ata_smart_read_log(kDeviceStatistics, static_cast<std::uint8_t>(count)),
                       tunnel, IssueLevel::error);
    }
}

void probe_ata(DeviceChannel& channel, ProbedDisk& out, const ProbeOptions& options) {
    Prober prober(channel, out);
    auto identify_bytes = find_tunnel(prober, out, options);
    if (!identify_bytes || !out.tunnel) {
        return;
    }
    const AtaTunnel tunnel = *out.tunnel;
    AtaPages pages;
    pages.identify = std::move(*identify_bytes);
    const auto identify = decode_ata_identify(page_bytes(*pages.identify)).value;
    if (!identify.smart_supported) {
        out.issues.push_back({IssueLevel::info, "probe SMART", out.device.device_path,
                              "the drive does not support SMART (IDENTIFY word 82 bit 0)", ""});
    } else {
        if (!identify.smart_enabled) {
            out.issues.push_back({IssueLevel::info, "probe SMART", out.device.device_path,
                                  "SMART is disabled on the drive (IDENTIFY word 85 bit 0)",
                                  "smartctl -s on DEVICE enables it"});
        }
        pages.smart_data = prober.ata(ata_smart_read_data(), tunnel, IssueLevel::error);
        pages.thresholds = prober.ata(ata_smart_read_thresholds(), tunnel, IssueLevel::error);
        if (auto status = prober.ata_registers(ata_smart_return_status(), tunnel, IssueLevel::info);
            status && status->ata) {
            pages.return_status_passed =
                decode_smart_return_status(status->ata->lba_mid, status->ata->lba_high);
        }
        read_ata_logs(prober, tunnel, identify, pages);
    }
    auto record = build_ata_record(pages, out.device.device_path);
    record.identity.transport = tunnel_transport(tunnel);
    record.origin = fmt::format("ATA commands through {}", to_string(tunnel));
    out.record = std::move(record);
}

void probe_nvme(DeviceChannel& channel, ProbedDisk& out) {
    Prober prober(channel, out);
    NvmePages pages;
    pages.identify = prober.nvme(nvme_identify_controller(), IssueLevel::error);
    std::optional<NvmeIdentify> identify;
    if (pages.identify) {
        identify = decode_nvme_identify(page_bytes(*pages.identify)).value;
    }
    pages.health = prober.nvme(nvme_get_log_page(0x02, kNvmeHealthBytes), IssueLevel::error);
    const std::uint32_t entries =
        identify ? std::min<std::uint32_t>(identify->error_log_entries_minus_one + 1U,
                                           kNvmeMaxErrorEntries)
                 : 1U;
    pages.error_log =
        prober.nvme(nvme_get_log_page(0x01, entries * kNvmeErrorEntryBytes), IssueLevel::info);
    if (identify && identify->self_test_supported) {
        pages.self_test_log =
            prober.nvme(nvme_get_log_page(0x06, kNvmeSelfTestBytes), IssueLevel::error);
    }
    if (!pages.identify && !pages.health) {
        return;
    }
    auto record = build_nvme_record(pages, out.device.device_path);
    record.origin = "NVMe admin commands";
    out.record = std::move(record);
}

void probe_scsi(DeviceChannel& channel, ProbedDisk& out) {
    // TODO(#3): ask the power condition first (REQUEST SENSE, SPC-5 4.4.1 standby ASC 5Eh) so
    // a SAS disk in standby is not spun up by LOG SENSE unless --wake.
    Prober prober(channel, out);
    ScsiPages pages;
    pages.inquiry = prober.scsi(scsi_inquiry(), IssueLevel::error);
    pages.unit_serial = prober.scsi(scsi_inquiry_serial(), IssueLevel::info);
    pages.supported_pages = prober.scsi(scsi_log_sense(0x00, kLogSenseBytes), IssueLevel::info);
    std::optional<std::vector<std::uint8_t>> supported;
    if (pages.supported_pages) {
        supported = decode_scsi_supported_pages(page_bytes(*pages.supported_pages)).value;
    }
    // Without the list, ask for each page and let a refusal pass quietly.
    auto read = [&](std::uint8_t page) -> std::optional<std::vector<std::uint8_t>> {
        const bool listed =
            supported && std::find(supported->begin(), supported->end(), page) != supported->end();
        if (supported && !listed) {
            return std::nullopt;
        }
        return prober.scsi(scsi_log_sense(page, kLogSenseBytes),
                           listed ? IssueLevel::error : IssueLevel::info);
    };
    pages.informational_exceptions = read(0x2F);
    pages.temperature = read(0x0D);
    pages.read_errors = read(0x03);
    pages.write_errors = read(0x02);
    pages.verify_errors = read(0x05);
    pages.ssd_media = supported ? read(0x11) : std::nullopt;
    pages.defect_header = prober.scsi(scsi_read_defect_data(), IssueLevel::info);
    if (!pages.inquiry && !pages.informational_exceptions) {
        return;
    }
    auto record = build_scsi_record(pages, out.device.device_path);
    record.origin = "SCSI commands";
    out.record = std::move(record);
}

// Fills identity the drive did not give from what discovery found in sysfs or udev.
void complete_identity(ProbedDisk& out) {
    if (!out.record) {
        return;
    }
    auto& identity = out.record->identity;
    const auto& device = out.device;
    if (identity.model.empty()) {
        identity.model = device.model;
    }
    if (identity.serial.empty()) {
        identity.serial = device.serial;
    }
    if (identity.firmware.empty()) {
        identity.firmware = device.firmware;
    }
    if (!identity.capacity_bytes) {
        identity.capacity_bytes = device.capacity_bytes;
    }
}

}  // namespace

std::string bridge_key(const BlockDevice& device) {
    if (device.transport == BlockTransport::usb && !device.usb_id.empty()) {
        return "usb:" + device.usb_id;
    }
    return device.name;
}

ProbedDisk probe_disk(DeviceAccess& access, const BlockDevice& device,
                      const ProbeOptions& options) {
    ProbedDisk out;
    out.device = device;
    auto channel = access.open(device);
    if (!channel) {
        out.issues.push_back(to_issue(channel.error()));
        return out;
    }
    switch (device.transport) {
        case BlockTransport::ata:
        case BlockTransport::sat:
        case BlockTransport::usb:
            probe_ata(**channel, out, options);
            break;
        case BlockTransport::nvme:
            probe_nvme(**channel, out);
            break;
        case BlockTransport::scsi:
            probe_scsi(**channel, out);
            break;
        default:
            out.issues.push_back({IssueLevel::info, "probe SMART", device.device_path,
                                  std::string(no_smart_reason(device.transport)), ""});
            break;
    }
    complete_identity(out);
    return out;
}

std::vector<ProbedDisk> probe_disks(const std::shared_ptr<DeviceAccess>& access,
                                    const std::vector<BlockDevice>& devices,
                                    const ProbeOptions& options,
                                    std::chrono::milliseconds deadline) {
    std::vector<BlockDevice> probed;
    std::copy_if(devices.begin(), devices.end(), std::back_inserter(probed),
                 [](const BlockDevice& d) { return has_smart(d.transport); });
    std::vector<std::function<ProbedDisk()>> tasks;
    for (const auto& device : probed) {
        tasks.emplace_back(
            [access, device, options] { return probe_disk(*access, device, options); });
    }
    auto results = run_all_with_deadline(std::move(tasks), deadline);
    std::vector<ProbedDisk> out;
    for (std::size_t i = 0; i < probed.size(); ++i) {
        if (auto& result = results[i]; result.has_value()) {
            out.push_back(std::move(result.value()));
            continue;
        }
        ProbedDisk late;
        late.device = probed[i];
        late.issues.push_back({IssueLevel::error, "probe", probed[i].device_path,
                               fmt::format("no answer within {} ms", deadline.count()),
                               "the drive or its link may hang: look for resets of it in the "
                               "kernel log; other disks were still read"});
        out.push_back(std::move(late));
    }
    return out;
}

}  // namespace diag::disk
