#include "diag/disk/block_discovery.hpp"

#include "diag/disk/udev_properties.hpp"
#include "diag/sys/text_fields.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <map>
#include <set>

#include <fmt/format.h>

namespace diag::disk {

namespace {

constexpr std::uint64_t kSectorBytes = 512;  // "size" counts 512-byte sectors (block/genhd.c)
constexpr std::size_t kSmallFileBytes = 4096;

std::string trimmed(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\n\r");
    if (first == std::string_view::npos) {
        return {};
    }
    const auto last = text.find_last_not_of(" \t\n\r");
    return std::string(text.substr(first, last - first + 1));
}

// A small sysfs attribute, trimmed; empty when it cannot be read (sysfs attributes come and
// go with drivers and kernel versions, and captured trees hold what their maker copied).
std::string read_attribute(const Root& root, const std::string& path) {
    auto text = root.read_file(path, kSmallFileBytes);
    return text ? trimmed(*text) : std::string{};
}

std::optional<std::uint64_t> read_number(const Root& root, const std::string& path) {
    const auto text = read_attribute(root, path);
    if (text.starts_with("0x")) {
        std::uint64_t value = 0;
        for (const char c : text.substr(2)) {
            const int digit = std::isdigit(static_cast<unsigned char>(c)) != 0 ? c - '0'
                              : (c >= 'a' && c <= 'f')                         ? c - 'a' + 10
                                                                               : -1;
            if (digit < 0) {
                return std::nullopt;
            }
            value = value * 16 + static_cast<std::uint64_t>(digit);
        }
        return value;
    }
    return sys::parse_uint(text);
}

std::vector<std::string> list_or_empty(const Root& root, const std::string& path) {
    auto names = root.list_dir(path);
    return names ? std::move(*names) : std::vector<std::string>{};
}

// VPD page 80h (Unit Serial Number, SPC-5 7.7.19) as the kernel exposes it: a 4-byte header
// whose byte 3 is the length, then ASCII.
std::string serial_from_vpd80(std::string_view page) {
    constexpr std::size_t kHeader = 4;
    if (page.size() <= kHeader) {
        return {};
    }
    const auto length = static_cast<unsigned char>(page[3]);
    return trimmed(page.substr(kHeader, length));
}

void read_identity(const Root& root, BlockDevice& device,
                   const std::map<std::string, std::string>& udev) {
    const std::string base = "/sys/block/" + device.name;
    if (device.transport == BlockTransport::nvme) {
        // The namespace's device link points at the controller (nvme0), which has these.
        device.model = read_attribute(root, base + "/device/model");
        device.serial = read_attribute(root, base + "/device/serial");
        device.firmware = read_attribute(root, base + "/device/firmware_rev");
    } else if (device.transport == BlockTransport::virtio) {
        device.serial = read_attribute(root, base + "/serial");
    } else {
        device.model = read_attribute(root, base + "/device/model");
        device.firmware = read_attribute(root, base + "/device/rev");
        if (auto vpd = root.read_file(base + "/device/vpd_pg80", kSmallFileBytes)) {
            device.serial = serial_from_vpd80(*vpd);
        }
    }
    auto from_udev = [&udev](std::string& field, std::initializer_list<const char*> keys) {
        for (const char* key : keys) {
            if (!field.empty()) {
                return;
            }
            if (const auto found = udev.find(key); found != udev.end()) {
                field = udev_unescape(found->second);
            }
        }
    };
    from_udev(device.model, {"ID_MODEL_ENC", "ID_MODEL"});
    from_udev(device.serial, {"ID_SERIAL_SHORT", "SCSI_IDENT_SERIAL"});
    from_udev(device.firmware, {"ID_REVISION"});
    from_udev(device.vendor, {"SCSI_VENDOR_ENC", "ID_VENDOR"});
}

void read_layout(const Root& root, BlockDevice& device) {
    const std::string base = "/sys/block/" + device.name;
    if (const auto sectors = read_number(root, base + "/size")) {
        device.capacity_bytes = *sectors * kSectorBytes;
    }
    if (const auto rotational = read_number(root, base + "/queue/rotational")) {
        device.rotational = *rotational != 0;
    }
    if (const auto removable = read_number(root, base + "/removable")) {
        device.removable = *removable != 0;
    }
    std::set<std::string> holders;
    for (const auto& holder : list_or_empty(root, base + "/holders")) {
        holders.insert(holder);
    }
    for (const auto& entry : list_or_empty(root, base)) {
        std::string partition_dir = base;
        partition_dir.append("/").append(entry);
        if (entry.starts_with(device.name) && root.exists(partition_dir + "/partition")) {
            device.partitions.push_back(entry);
            for (const auto& holder : list_or_empty(root, partition_dir + "/holders")) {
                holders.insert(holder);
            }
        }
    }
    device.holders.assign(holders.begin(), holders.end());
    std::set<std::string> members;
    for (const auto& slave : list_or_empty(root, base + "/slaves")) {
        members.insert(slave);
    }
    if (device.transport == BlockTransport::md) {
        // md/dev-NAME for each member (Documentation/admin-guide/md.rst), present also where
        // a captured tree lacks slaves/.
        for (const auto& entry : list_or_empty(root, base + "/md")) {
            if (entry.starts_with("dev-")) {
                members.insert(entry.substr(4));
            }
        }
        device.stack_detail = read_attribute(root, base + "/md/level");
    } else if (device.transport == BlockTransport::dm) {
        device.stack_detail = read_attribute(root, base + "/dm/name");
    }
    device.members.assign(members.begin(), members.end());
}

void read_kernel_counters(const Root& root, BlockDevice& device) {
    const std::string base = "/sys/block/" + device.name;
    // scsi_sysfs.c: ioerr_cnt counts commands that completed with an error, in hex.
    device.kernel_io_errors = read_number(root, base + "/device/ioerr_cnt");
    if (auto stat = root.read_file(base + "/stat", kSmallFileBytes)) {
        device.io_stat = parse_block_stat(trimmed(*stat));
    }
}

void read_usb_id(const Root& root, BlockDevice& device) {
    const auto dir = usb_device_dir(device.sysfs_path);
    if (dir.empty()) {
        return;
    }
    const auto vendor = read_attribute(root, dir + "/idVendor");
    const auto product = read_attribute(root, dir + "/idProduct");
    if (!vendor.empty() && !product.empty()) {
        device.usb_id = vendor + ":" + product;
    }
}

BlockDevice read_device(const Root& root, const std::string& name) {
    BlockDevice device;
    device.name = name;
    device.device_path = "/dev/" + name;
    const std::string base = "/sys/block/" + name;
    if (auto target = root.read_link(base)) {
        device.sysfs_path = resolve_link("/sys/block", *target);
    }
    device.major_minor = read_attribute(root, base + "/dev");
    if (device.major_minor.empty()) {
        device.major_minor = sd_major_minor(name);
    }
    std::map<std::string, std::string> udev;
    if (!device.major_minor.empty()) {
        if (auto text = root.read_file("/run/udev/data/b" + device.major_minor)) {
            udev = parse_udev_data(*text);
        }
    }
    device.vendor = read_attribute(root, base + "/device/vendor");
    device.transport = classify_block_device(name, device.sysfs_path, device.vendor, udev);
    read_identity(root, device, udev);
    read_layout(root, device);
    read_kernel_counters(root, device);
    if (device.transport == BlockTransport::usb) {
        read_usb_id(root, device);
    }
    return device;
}

// "sdi1" belongs to "sdi", "nvme0n1p2" to "nvme0n1": the longest disk name that prefixes it
// and is followed by nothing, a digit or 'p'. Its index in devices, or nullopt.
std::optional<std::size_t> owner_of(const std::vector<BlockDevice>& devices,
                                    std::string_view member) {
    std::optional<std::size_t> best;
    for (std::size_t i = 0; i < devices.size(); ++i) {
        const auto& name = devices[i].name;
        if (!member.starts_with(name) || (best && devices[*best].name.size() >= name.size())) {
            continue;
        }
        const auto rest = member.substr(name.size());
        if (rest.empty() || rest.front() == 'p' ||
            std::isdigit(static_cast<unsigned char>(rest.front())) != 0) {
            best = i;
        }
    }
    return best;
}

// Adds each md or dm device to the holders of the disks it is built from, for trees that have
// md/dev-* or slaves/ but no holders/ on the member side.
void link_members(std::vector<BlockDevice>& devices) {
    for (std::size_t s = 0; s < devices.size(); ++s) {
        const auto members = devices[s].members;
        for (const auto& member : members) {
            const auto owner = owner_of(devices, member);
            if (!owner || *owner == s) {
                continue;
            }
            auto& holders = devices[*owner].holders;
            if (std::find(holders.begin(), holders.end(), devices[s].name) == holders.end()) {
                holders.push_back(devices[s].name);
                std::sort(holders.begin(), holders.end());
            }
        }
    }
}

Collected<std::vector<BlockDevice>> discover(const Root& root,
                                             const std::vector<std::string>& names) {
    Collected<std::vector<BlockDevice>> out;
    for (const auto& name : names) {
        out.data.push_back(read_device(root, name));
    }
    link_members(out.data);
    for (const auto& device : out.data) {
        if (!has_smart(device.transport)) {
            out.add_issue(no_smart_issue(device));
        }
    }
    return out;
}

}  // namespace

Issue no_smart_issue(const BlockDevice& device) {
    return Issue{IssueLevel::info, "probe SMART", device.device_path,
                 fmt::format("no SMART ({}): {}", to_string(device.transport),
                             no_smart_reason(device.transport)),
                 ""};
}

Collected<std::vector<BlockDevice>> discover_block_devices(const Root& root) {
    auto names = root.list_dir("/sys/block");
    if (!names) {
        Collected<std::vector<BlockDevice>> out;
        Issue issue = to_issue(names.error());
        if (names.error().errno_value == ENOENT && !root.is_live()) {
            issue.level = IssueLevel::info;
            issue.hint = "not in the captured tree";
        }
        out.add_issue(std::move(issue));
        return out;
    }
    return discover(root, *names);
}

Collected<std::vector<BlockDevice>> discover_named_devices(const Root& root,
                                                           const std::vector<std::string>& names) {
    Collected<std::vector<BlockDevice>> out;
    std::vector<std::string> found;
    for (const auto& given : names) {
        std::string name = given.starts_with("/dev/") ? given.substr(5) : given;
        if (!root.exists("/sys/block/" + name)) {
            out.add_issue(
                Issue{IssueLevel::error, "find", given,
                      fmt::format("no whole disk {} under {}", name, root.display("/sys/block")),
                      "give a whole disk (sda, nvme0n1), not a partition"});
            continue;
        }
        found.push_back(std::move(name));
    }
    auto discovered = discover(root, found);
    out.data = std::move(discovered.data);
    out.issues.insert(out.issues.end(), discovered.issues.begin(), discovered.issues.end());
    return out;
}

}  // namespace diag::disk
