#include "diag/disk/recorded_access.hpp"

#include "diag/disk/ata_tunnel.hpp"
#include "diag/disk/block_discovery.hpp"
#include "diag/disk/command_result.hpp"
#include "diag/disk/skblob.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace diag::disk {

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

struct RecordedCommand {
    std::optional<std::string> file;
    std::optional<long> latency_ms;
    bool timeout = false;
    int errno_value = 0;
    std::vector<std::uint8_t> sense;
    std::optional<AtaOutput> registers;
    std::optional<std::uint16_t> nvme_status;
};

struct RecordedDevice {
    std::string name;
    fs::path dir;
    BlockTransport transport = BlockTransport::other;
    std::string model;
    std::string serial;
    std::string usb_id;
    std::set<AtaTunnel> tunnels;
    long latency_ms = 0;
    std::uint8_t power_count = 0xFF;
    std::map<std::string, RecordedCommand> commands;
    // Pages from a libatasmart blob, by command name.
    std::map<std::string, std::vector<std::uint8_t>> blob_pages;
    std::optional<bool> blob_status_passed;
};

std::expected<std::vector<std::uint8_t>, Error> read_bytes(const fs::path& path) {
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        return std::unexpected(system_error("open", path.string(), errno));
    }
    return std::vector<std::uint8_t>(std::istreambuf_iterator<char>(file),
                                     std::istreambuf_iterator<char>());
}

fs::path resolve(const fs::path& dir, const std::string& file) {
    const fs::path path(file);
    return path.is_absolute() ? path : dir / path;
}

std::optional<std::uint64_t> parse_number(const json& value) {
    if (value.is_number_unsigned()) {
        return value.get<std::uint64_t>();
    }
    if (!value.is_string()) {
        return std::nullopt;
    }
    const auto text = value.get<std::string>();
    const bool hex = text.starts_with("0x") || text.starts_with("0X");
    std::uint64_t number = 0;
    const char* first = text.data() + (hex ? 2 : 0);
    const char* last = text.data() + text.size();
    const auto [end, error] = std::from_chars(first, last, number, hex ? 16 : 10);
    if (error != std::errc{} || end != last || first == last) {
        return std::nullopt;
    }
    return number;
}

std::vector<std::uint8_t> parse_hex_bytes(const std::string& text) {
    std::vector<std::uint8_t> bytes;
    std::size_t at = 0;
    while (at < text.size()) {
        if (text[at] == ' ') {
            ++at;
            continue;
        }
        unsigned value = 0;
        const auto [end, error] = std::from_chars(
            text.data() + at, text.data() + std::min(at + 2, text.size()), value, 16);
        if (error != std::errc{}) {
            throw std::invalid_argument("not hex bytes: " + text);
        }
        bytes.push_back(static_cast<std::uint8_t>(value));
        at = static_cast<std::size_t>(end - text.data());
    }
    return bytes;
}

int errno_by_name(const std::string& name) {
    static const std::map<std::string, int> kNames{{"EIO", EIO},
                                                   {"EACCES", EACCES},
                                                   {"EPERM", EPERM},
                                                   {"ENODEV", ENODEV},
                                                   {"ENXIO", ENXIO},
                                                   {"EINVAL", EINVAL},
                                                   {"ENOTTY", ENOTTY},
                                                   {"EBUSY", EBUSY},
                                                   {"ETIMEDOUT", ETIMEDOUT},
                                                   {"EOPNOTSUPP", EOPNOTSUPP}};
    const auto found = kNames.find(name);
    if (found == kNames.end()) {
        throw std::invalid_argument("unknown errno name " + name);
    }
    return found->second;
}

std::uint8_t byte_of(const json& object, const char* key) {
    if (!object.contains(key)) {
        return 0;
    }
    const auto value = parse_number(object.at(key));
    if (!value || *value > 0xFF) {
        throw std::invalid_argument(fmt::format("register {} is not a byte", key));
    }
    return static_cast<std::uint8_t>(*value);
}

RecordedCommand parse_command(const json& entry) {
    RecordedCommand command;
    if (entry.contains("file")) {
        command.file = entry.at("file").get<std::string>();
    }
    if (entry.contains("latency_ms")) {
        command.latency_ms = entry.at("latency_ms").get<long>();
    }
    command.timeout = entry.value("timeout", false);
    if (entry.contains("errno")) {
        command.errno_value = errno_by_name(entry.at("errno").get<std::string>());
    }
    if (entry.contains("sense")) {
        command.sense = parse_hex_bytes(entry.at("sense").get<std::string>());
    }
    if (entry.contains("registers")) {
        const auto& r = entry.at("registers");
        command.registers =
            AtaOutput{byte_of(r, "error"),   byte_of(r, "count"),    byte_of(r, "lba_low"),
                      byte_of(r, "lba_mid"), byte_of(r, "lba_high"), byte_of(r, "device"),
                      byte_of(r, "status")};
    }
    if (entry.contains("nvme_status")) {
        const auto status = parse_number(entry.at("nvme_status"));
        if (!status || *status > 0xFFFF) {
            throw std::invalid_argument("nvme_status is not a 16-bit number");
        }
        command.nvme_status = static_cast<std::uint16_t>(*status);
    }
    return command;
}

BlockTransport transport_by_name(const std::string& name) {
    for (const auto t :
         {BlockTransport::ata, BlockTransport::sat, BlockTransport::nvme, BlockTransport::scsi,
          BlockTransport::usb, BlockTransport::virtio, BlockTransport::xen, BlockTransport::loop,
          BlockTransport::dm, BlockTransport::md, BlockTransport::zram, BlockTransport::nbd}) {
        if (to_string(t) == name) {
            return t;
        }
    }
    throw std::invalid_argument("unknown transport " + name);
}

AtaTunnel tunnel_by_name(const std::string& name) {
    for (const auto t :
         {AtaTunnel::sat16, AtaTunnel::sat12, AtaTunnel::usbjmicron, AtaTunnel::usbsunplus}) {
        if (to_string(t) == name) {
            return t;
        }
    }
    throw std::invalid_argument("unknown tunnel " + name);
}

void load_blob(RecordedDevice& device, const fs::path& path) {
    auto bytes = read_bytes(path);
    if (!bytes) {
        throw std::invalid_argument(describe(bytes.error()));
    }
    auto pages = ata_pages_from_skblob(page_bytes(*bytes));
    if (!pages.problems.empty()) {
        throw std::invalid_argument(fmt::format("{}: {}", path.string(), pages.problems.front()));
    }
    if (pages.value.identify) {
        device.blob_pages["ata-identify"] = *pages.value.identify;
    }
    if (pages.value.smart_data) {
        device.blob_pages["ata-smart-read-data"] = *pages.value.smart_data;
    }
    if (pages.value.thresholds) {
        device.blob_pages["ata-smart-read-thresholds"] = *pages.value.thresholds;
    }
    device.blob_status_passed = pages.value.return_status_passed;
}

// Reads and checks device.json; any mistake in it is an Error naming the file.
std::expected<RecordedDevice, Error> load_device(const fs::path& dir) {
    const fs::path manifest = dir / "device.json";
    auto text = read_bytes(manifest);
    if (!text) {
        return std::unexpected(text.error());
    }
    try {
        const auto root = json::parse(text->begin(), text->end());
        RecordedDevice device;
        device.name = dir.filename().string();
        device.dir = dir;
        device.transport = transport_by_name(root.at("transport").get<std::string>());
        device.model = root.value("model", "");
        device.serial = root.value("serial", "");
        device.usb_id = root.value("usb_id", "");
        device.latency_ms = root.value("latency_ms", 0L);
        if (root.contains("tunnels")) {
            for (const auto& name : root.at("tunnels")) {
                device.tunnels.insert(tunnel_by_name(name.get<std::string>()));
            }
        } else if (device.transport == BlockTransport::ata ||
                   device.transport == BlockTransport::sat ||
                   device.transport == BlockTransport::usb) {
            device.tunnels = {AtaTunnel::sat16, AtaTunnel::sat12};
        }
        const std::string power = root.value("power_mode", "active");
        device.power_count = power == "standby" ? 0x00 : power == "idle" ? 0x80 : 0xFF;
        if (root.contains("skblob")) {
            load_blob(device, resolve(dir, root.at("skblob").get<std::string>()));
        }
        if (root.contains("commands")) {
            for (const auto& [name, entry] : root.at("commands").items()) {
                device.commands[name] = parse_command(entry);
            }
        }
        return device;
    } catch (const std::exception& e) {
        return std::unexpected(Error{"read", manifest.string(), e.what(), 0});
    }
}

// Fixed-format sense (SPC-5 4.4.3) with a key and ASC/ASCQ, as a device would return it.
std::vector<std::uint8_t> fixed_sense(std::uint8_t key, std::uint8_t asc, std::uint8_t ascq) {
    std::vector<std::uint8_t> sense(18, 0);
    sense[0] = 0x70;
    sense[2] = key;
    sense[7] = 10;
    sense[12] = asc;
    sense[13] = ascq;
    return sense;
}

class RecordedChannel final : public DeviceChannel {
public:
    RecordedChannel(std::shared_ptr<const RecordedDevice> device, RecordedAccess* access)
        : device_(std::move(device)), access_(access) {}

    CommandResult ata(const AtaCommand& command, AtaTunnel tunnel) override;
    CommandResult scsi(const ScsiCommand& command) override;
    CommandResult nvme_admin(const NvmeAdminCommand& command) override;

private:
    // Waits the command's latency and applies timeout and errno; true when it ended there.
    bool common(const std::string& name, CommandResult& result);
    std::optional<std::vector<std::uint8_t>> data_for(const std::string& name) const;
    const RecordedCommand* entry(const std::string& name) const;

    std::shared_ptr<const RecordedDevice> device_;
    RecordedAccess* access_;
};

const RecordedCommand* RecordedChannel::entry(const std::string& name) const {
    const auto found = device_->commands.find(name);
    return found == device_->commands.end() ? nullptr : &found->second;
}

bool RecordedChannel::common(const std::string& name, CommandResult& result) {
    const auto* recorded = entry(name);
    const long latency =
        recorded != nullptr && recorded->latency_ms ? *recorded->latency_ms : device_->latency_ms;
    if (latency > 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(latency));
    }
    result.latency = std::chrono::milliseconds(latency);
    if (recorded == nullptr) {
        return false;
    }
    if (recorded->timeout) {
        result.status = CommandStatus::timed_out;
        result.reason = fmt::format("no answer (recorded timeout after {} ms)", latency);
        return true;
    }
    if (recorded->errno_value != 0) {
        result.status = CommandStatus::failed;
        result.errno_value = recorded->errno_value;
        result.reason =
            describe(system_error("SG_IO", "/dev/" + device_->name, result.errno_value));
        return true;
    }
    return false;
}

std::optional<std::vector<std::uint8_t>> RecordedChannel::data_for(const std::string& name) const {
    const auto* recorded = entry(name);
    if (recorded != nullptr && recorded->file) {
        auto bytes = read_bytes(resolve(device_->dir, *recorded->file));
        return bytes ? std::optional(std::move(*bytes)) : std::nullopt;
    }
    if (const auto blob = device_->blob_pages.find(name); blob != device_->blob_pages.end()) {
        return blob->second;
    }
    const auto path = device_->dir / (name + ".bin");
    if (!fs::exists(path)) {
        return std::nullopt;
    }
    auto bytes = read_bytes(path);
    return bytes ? std::optional(std::move(*bytes)) : std::nullopt;
}

CommandResult RecordedChannel::ata(const AtaCommand& command, AtaTunnel tunnel) {
    access_->record(device_->name, fmt::format("{} via {}", command.name, to_string(tunnel)));
    CommandResult result;
    constexpr std::uint8_t kIllegalRequest = 0x05;
    if (!device_->tunnels.contains(tunnel)) {
        result.sense = fixed_sense(kIllegalRequest, 0x20, 0x00);
        finish_ata_result(result);
        return result;
    }
    if (command.want_output && !tunnel_returns_registers(tunnel, command)) {
        result.status = CommandStatus::failed;
        result.errno_value = EOPNOTSUPP;
        result.reason =
            fmt::format("{} returns no ATA registers for this command", to_string(tunnel));
        return result;
    }
    if (common(command.name, result)) {
        return result;
    }
    const auto* recorded = entry(command.name);
    if (recorded != nullptr && !recorded->sense.empty()) {
        result.sense = recorded->sense;
    }
    if (recorded != nullptr && recorded->registers) {
        result.ata = recorded->registers;
    } else if (command.name == "ata-check-power-mode") {
        result.ata = AtaOutput{0, device_->power_count, 0, 0, 0, 0, 0x50};
    } else if (const auto blob_status = device_->blob_status_passed;
               command.name == "ata-smart-return-status" && blob_status) {
        const bool passed = *blob_status;
        result.ata = AtaOutput{0,
                               0,
                               0,
                               passed ? std::uint8_t{0x4F} : std::uint8_t{0xF4},
                               passed ? std::uint8_t{0xC2} : std::uint8_t{0x2C},
                               0,
                               0x50};
    }
    if (command.data_in_bytes > 0) {
        if (auto data = data_for(command.name)) {
            data->resize(std::min(data->size(), command.data_in_bytes));
            result.data = std::move(*data);
        }
    }
    const bool answered = command.data_in_bytes > 0 ? !result.data.empty() : result.ata.has_value();
    if (!answered && result.sense.empty()) {
        // What a drive does with a command or log it does not have: abort it.
        result.ata = AtaOutput{0x04, 0, 0, 0, 0, 0, 0x51};
    }
    finish_ata_result(result);
    return result;
}

CommandResult RecordedChannel::scsi(const ScsiCommand& command) {
    access_->record(device_->name, command.name);
    CommandResult result;
    if (common(command.name, result)) {
        return result;
    }
    const auto* recorded = entry(command.name);
    if (recorded != nullptr && !recorded->sense.empty()) {
        result.sense = recorded->sense;
    } else if (auto data = data_for(command.name)) {
        data->resize(std::min(data->size(), command.data_in_bytes));
        result.data = std::move(*data);
    } else {
        result.sense = fixed_sense(0x05, 0x24, 0x00);
    }
    finish_scsi_result(result);
    return result;
}

CommandResult RecordedChannel::nvme_admin(const NvmeAdminCommand& command) {
    access_->record(device_->name, command.name);
    CommandResult result;
    if (common(command.name, result)) {
        return result;
    }
    const auto* recorded = entry(command.name);
    if (recorded != nullptr && recorded->nvme_status) {
        result.nvme_status = recorded->nvme_status;
    } else if (auto data = data_for(command.name)) {
        data->resize(std::min(data->size(), command.data_in_bytes));
        result.data = std::move(*data);
    } else {
        // Status code type 1 (command specific), 09h Invalid Log Page; 02h Invalid Field in
        // Command otherwise (NVMe Base Specification 2.0, Figures 94 and 97).
        result.nvme_status = command.opcode == 0x02 ? 0x0109 : 0x0002;
    }
    if (result.nvme_status) {
        result.status = CommandStatus::failed;
        result.reason = fmt::format("NVMe status {:#06x}", *result.nvme_status);
    }
    return result;
}

}  // namespace

RecordedAccess::RecordedAccess(std::string directory) : directory_(std::move(directory)) {}

std::expected<std::unique_ptr<DeviceChannel>, Error> RecordedAccess::open(
    const BlockDevice& device) {
    auto loaded = load_device(fs::path(directory_) / device.name);
    if (!loaded) {
        return std::unexpected(loaded.error());
    }
    return std::make_unique<RecordedChannel>(
        std::make_shared<const RecordedDevice>(std::move(*loaded)), this);
}

std::vector<std::string> RecordedAccess::sent(const std::string& device_name) const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> entries;
    for (const auto& [name, entry] : log_) {
        if (name == device_name) {
            entries.push_back(entry);
        }
    }
    return entries;
}

void RecordedAccess::record(const std::string& device_name, std::string entry) {
    std::lock_guard lock(mutex_);
    log_.emplace_back(device_name, std::move(entry));
}

Collected<std::vector<BlockDevice>> discover_recorded_devices(const std::string& directory) {
    Collected<std::vector<BlockDevice>> out;
    std::error_code error;
    std::vector<fs::path> dirs;
    for (const auto& entry : fs::directory_iterator(directory, error)) {
        if (entry.is_directory()) {
            dirs.push_back(entry.path());
        }
    }
    if (error) {
        out.add_issue(system_error("list", directory, error.value()));
        return out;
    }
    std::sort(dirs.begin(), dirs.end());
    for (const auto& dir : dirs) {
        auto loaded = load_device(dir);
        if (!loaded) {
            out.add_issue(loaded.error());
            continue;
        }
        BlockDevice device;
        device.name = loaded->name;
        device.device_path = "/dev/" + loaded->name;
        device.transport = loaded->transport;
        device.model = loaded->model;
        device.serial = loaded->serial;
        device.usb_id = loaded->usb_id;
        if (!has_smart(device.transport)) {
            out.add_issue(no_smart_issue(device));
        }
        out.data.push_back(std::move(device));
    }
    return out;
}

}  // namespace diag::disk
