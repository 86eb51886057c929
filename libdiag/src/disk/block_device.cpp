#include "diag/disk/block_device.hpp"

#include "diag/sys/text_fields.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include <fmt/format.h>

namespace diag::disk {

namespace {

bool all_digits(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) != 0;
    });
}

// "vda", "sdab": a prefix followed by lower-case letters only.
bool prefix_then_letters(std::string_view name, std::string_view prefix) {
    if (!name.starts_with(prefix) || name.size() == prefix.size()) {
        return false;
    }
    const auto rest = name.substr(prefix.size());
    return std::all_of(rest.begin(), rest.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

bool prefix_then_number(std::string_view name, std::string_view prefix) {
    return name.starts_with(prefix) && all_digits(name.substr(prefix.size()));
}

bool contains(std::string_view text, std::string_view part) {
    return text.find(part) != std::string_view::npos;
}

// ".../ata3/host2/..." (libata names its ports ataN).
bool has_libata_port(std::string_view path) {
    std::size_t at = 0;
    while ((at = path.find("/ata", at)) != std::string_view::npos) {
        at += 4;
        std::size_t end = at;
        while (end < path.size() && std::isdigit(static_cast<unsigned char>(path[end])) != 0) {
            ++end;
        }
        if (end > at && (end == path.size() || path[end] == '/')) {
            return true;
        }
    }
    return false;
}

std::string_view udev_value(const std::map<std::string, std::string>& udev, const char* key) {
    const auto found = udev.find(key);
    return found == udev.end() ? std::string_view{} : std::string_view(found->second);
}

// An ATA drive on a SCSI path: libata when the path (or udev's ID_PATH) names an ATA port,
// else an ATA drive behind a SAS HBA or similar.
BlockTransport ata_kind(std::string_view sysfs_path, std::string_view id_path) {
    if (has_libata_port(sysfs_path) || contains(id_path, "-ata-")) {
        return BlockTransport::ata;
    }
    return BlockTransport::sat;
}

BlockTransport classify_sd(std::string_view sysfs_path, std::string_view vendor,
                           const std::map<std::string, std::string>& udev) {
    const auto bus = udev_value(udev, "ID_BUS");
    const auto id_path = udev_value(udev, "ID_PATH");
    if (contains(sysfs_path, "/usb") || bus == "usb" || contains(id_path, "-usb-")) {
        return BlockTransport::usb;
    }
    if (has_libata_port(sysfs_path)) {
        return BlockTransport::ata;
    }
    const auto udev_vendor = udev_value(udev, "SCSI_VENDOR");
    if (vendor == "ATA" || bus == "ata" || udev_vendor == "ATA") {
        return ata_kind(sysfs_path, id_path);
    }
    return BlockTransport::scsi;
}

}  // namespace

std::string_view to_string(BlockTransport transport) {
    switch (transport) {
        case BlockTransport::ata:
            return "ata";
        case BlockTransport::sat:
            return "sat";
        case BlockTransport::nvme:
            return "nvme";
        case BlockTransport::scsi:
            return "scsi";
        case BlockTransport::usb:
            return "usb";
        case BlockTransport::virtio:
            return "virtio";
        case BlockTransport::xen:
            return "xen";
        case BlockTransport::loop:
            return "loop";
        case BlockTransport::dm:
            return "dm";
        case BlockTransport::md:
            return "md";
        case BlockTransport::zram:
            return "zram";
        case BlockTransport::nbd:
            return "nbd";
        case BlockTransport::mmc:
            return "mmc";
        case BlockTransport::ram:
            return "ram";
        case BlockTransport::optical:
            return "optical";
        case BlockTransport::other:
            break;
    }
    return "other";
}

bool has_smart(BlockTransport transport) {
    switch (transport) {
        case BlockTransport::ata:
        case BlockTransport::sat:
        case BlockTransport::nvme:
        case BlockTransport::scsi:
        case BlockTransport::usb:
            return true;
        default:
            return false;
    }
}

std::string_view no_smart_reason(BlockTransport transport) {
    switch (transport) {
        case BlockTransport::virtio:
            return "a virtio disk: the hypervisor passes no ATA, SCSI or NVMe commands to a "
                   "drive; judge the host's disks instead";
        case BlockTransport::xen:
            return "a Xen virtual block device: the drive belongs to the host (dom0)";
        case BlockTransport::loop:
            return "a loop device: a file seen as a disk; judge the disk that holds the file";
        case BlockTransport::dm:
            return "a device-mapper mapping (LVM, dm-crypt, multipath): judge the disks under it";
        case BlockTransport::md:
            return "an md software RAID array: judge its member disks";
        case BlockTransport::zram:
            return "a compressed RAM disk";
        case BlockTransport::nbd:
            return "a network block device: the drive is on the server";
        case BlockTransport::mmc:
            return "an SD or eMMC card: no SMART through the MMC block driver";
        case BlockTransport::ram:
            return "a RAM disk";
        case BlockTransport::optical:
            return "an optical drive";
        case BlockTransport::other:
            return "a kind of block device diag does not know how to ask";
        default:
            return "";
    }
}

std::optional<BlockIoStat> parse_block_stat(std::string_view text) {
    std::vector<std::uint64_t> numbers;
    for (const auto field : sys::split_fields(text)) {
        const auto value =
            sys::parse_uint(field.ends_with('\n') ? field.substr(0, field.size() - 1) : field);
        if (!value) {
            break;
        }
        numbers.push_back(*value);
    }
    // Documentation/block/stat.rst: read I/Os, read merges, read sectors, read ticks, write
    // I/Os, write merges, write sectors, write ticks, in_flight, io_ticks, time_in_queue, then
    // discard (4 fields, 4.18+) and flush (2 fields, 5.5+).
    constexpr std::size_t kBaseFields = 11;
    constexpr std::size_t kWithDiscard = 15;
    constexpr std::size_t kWithFlush = 17;
    if (numbers.size() < kBaseFields) {
        return std::nullopt;
    }
    BlockIoStat stat;
    stat.read_ios = numbers[0];
    stat.read_sectors = numbers[2];
    stat.write_ios = numbers[4];
    stat.write_sectors = numbers[6];
    stat.in_flight = numbers[8];
    stat.io_ticks_ms = numbers[9];
    if (numbers.size() >= kWithDiscard) {
        stat.discard_ios = numbers[11];
    }
    if (numbers.size() >= kWithFlush) {
        stat.flush_ios = numbers[15];
    }
    return stat;
}

BlockTransport classify_block_device(std::string_view name, std::string_view sysfs_path,
                                     std::string_view vendor,
                                     const std::map<std::string, std::string>& udev) {
    if (prefix_then_number(name, "loop")) {
        return BlockTransport::loop;
    }
    if (prefix_then_number(name, "dm-")) {
        return BlockTransport::dm;
    }
    if (prefix_then_number(name, "md") || name.starts_with("md_")) {
        return BlockTransport::md;
    }
    if (prefix_then_number(name, "zram")) {
        return BlockTransport::zram;
    }
    if (prefix_then_number(name, "nbd")) {
        return BlockTransport::nbd;
    }
    if (prefix_then_number(name, "ram")) {
        return BlockTransport::ram;
    }
    if (prefix_then_number(name, "sr")) {
        return BlockTransport::optical;
    }
    if (name.starts_with("mmcblk")) {
        return BlockTransport::mmc;
    }
    if (name.starts_with("nvme") || contains(sysfs_path, "/nvme/")) {
        return BlockTransport::nvme;
    }
    if (prefix_then_letters(name, "xvd") || contains(sysfs_path, "/vbd-")) {
        return BlockTransport::xen;
    }
    if (prefix_then_letters(name, "vd") || contains(sysfs_path, "/virtio")) {
        return BlockTransport::virtio;
    }
    if (prefix_then_letters(name, "sd")) {
        return classify_sd(sysfs_path, vendor, udev);
    }
    return BlockTransport::other;
}

std::string usb_device_dir(std::string_view sysfs_path) {
    // USB device directories are named BUS-PORT[.PORT...] ("2-1", "1-1.4"); their interfaces
    // add ":CONFIG.INTERFACE" ("2-1:1.0"). The device is the last such component before an
    // interface.
    std::string_view best;
    std::size_t start = 0;
    while (start < sysfs_path.size()) {
        auto end = sysfs_path.find('/', start);
        if (end == std::string_view::npos) {
            end = sysfs_path.size();
        }
        const auto component = sysfs_path.substr(start, end - start);
        const auto dash = component.find('-');
        if (dash != std::string_view::npos && dash > 0 && all_digits(component.substr(0, dash)) &&
            component.find(':') == std::string_view::npos) {
            auto ports = component.substr(dash + 1);
            const bool ok = !ports.empty() && std::all_of(ports.begin(), ports.end(), [](char c) {
                return c == '.' || std::isdigit(static_cast<unsigned char>(c)) != 0;
            });
            if (ok) {
                best = sysfs_path.substr(0, end);
            }
        }
        start = end + 1;
    }
    return std::string(best);
}

std::string sd_major_minor(std::string_view name) {
    if (!prefix_then_letters(name, "sd")) {
        return {};
    }
    // sda..sdz are 0..25, sdaa is 26, and so on (bijective base 26).
    std::uint64_t index = 0;
    for (const char c : name.substr(2)) {
        index = index * 26 + static_cast<std::uint64_t>(c - 'a' + 1);
    }
    index -= 1;
    // 16 disks per major: 8, then 65..71, then 128..135 (devices.txt, "SCSI disk devices").
    constexpr std::array<unsigned, 16> kMajors{8,   65,  66,  67,  68,  69,  70,  71,
                                               128, 129, 130, 131, 132, 133, 134, 135};
    const std::uint64_t group = index / 16;
    if (group >= kMajors.size()) {
        return {};
    }
    return fmt::format("{}:{}", kMajors[group], (index % 16) * 16);
}

std::string resolve_link(std::string_view link_dir, std::string_view target) {
    std::vector<std::string_view> parts;
    auto push_all = [&parts](std::string_view path) {
        std::size_t start = 0;
        while (start <= path.size()) {
            auto end = path.find('/', start);
            if (end == std::string_view::npos) {
                end = path.size();
            }
            const auto part = path.substr(start, end - start);
            if (part == "..") {
                if (!parts.empty()) {
                    parts.pop_back();
                }
            } else if (!part.empty() && part != ".") {
                parts.push_back(part);
            }
            start = end + 1;
        }
    };
    if (!target.starts_with('/')) {
        push_all(link_dir);
    }
    push_all(target);
    std::string out;
    for (const auto part : parts) {
        out += '/';
        out += part;
    }
    return out.empty() ? "/" : out;
}

}  // namespace diag::disk
