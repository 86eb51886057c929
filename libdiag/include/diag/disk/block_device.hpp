#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace diag::disk {

/// How a block device is attached, which decides how (and whether) its health can be read.
enum class BlockTransport : std::uint8_t {
    /// An ATA or SATA drive on a libata port; the kernel translates SCSI to ATA (SAT).
    ata,
    /// An ATA drive behind a SCSI layer that is not libata (a SAS HBA, a RAID controller in
    /// pass-through mode): INQUIRY vendor "ATA", reached with ATA PASS-THROUGH all the same.
    sat,
    nvme,
    /// A SCSI or SAS drive: LOG SENSE, not ATA SMART.
    scsi,
    /// A drive behind a USB bridge: SAT when the bridge has it, else a vendor protocol.
    usb,
    // Kinds that have no SMART of their own:
    virtio,
    xen,
    loop,
    dm,
    md,
    zram,
    nbd,
    mmc,
    ram,
    optical,
    /// Anything diag does not know; treated as having no SMART.
    other,
};

/// "ata", "sat", "nvme", "scsi", "usb", "virtio", ...
std::string_view to_string(BlockTransport transport);

/// True for the kinds a SMART probe can ask: ata, sat, nvme, scsi, usb.
bool has_smart(BlockTransport transport);

/// Why a kind has no SMART, for the info Issue: "a virtio disk: the hypervisor passes no ATA,
/// SCSI or NVMe commands to a drive". Empty for kinds that have SMART.
std::string_view no_smart_reason(BlockTransport transport);

/// The counters of /sys/block/DEV/stat (Documentation/block/stat.rst). Fields the kernel did not
/// print (older kernels have 11, newer 15 or 17) are absent.
struct BlockIoStat {
    std::uint64_t read_ios = 0;
    std::uint64_t read_sectors = 0;
    std::uint64_t write_ios = 0;
    std::uint64_t write_sectors = 0;
    std::uint64_t in_flight = 0;
    /// Milliseconds the device had I/O in flight.
    std::uint64_t io_ticks_ms = 0;
    std::optional<std::uint64_t> discard_ios;
    std::optional<std::uint64_t> flush_ios;
};

/// Parses the stat file; nullopt when it has fewer than 11 numbers.
std::optional<BlockIoStat> parse_block_stat(std::string_view text);

/// One whole disk under /sys/block, as discovery found it. Values that could not be read are
/// absent or empty, never made up.
struct BlockDevice {
    /// Kernel name: "sda", "nvme0n1", "vda".
    std::string name;
    /// "/dev/sda".
    std::string device_path;
    BlockTransport transport = BlockTransport::other;
    /// Where /sys/block/NAME points, made absolute: "/sys/devices/pci0000:00/.../block/sda";
    /// empty when it is not a link (a captured tree may hold plain directories).
    std::string sysfs_path;
    /// "8:0" from /sys/block/NAME/dev, or derived from the name for sd disks.
    std::string major_minor;
    std::string model;
    std::string serial;
    std::string firmware;
    /// SCSI INQUIRY vendor from sysfs ("ATA" for an ATA drive behind SAT, "SEAGATE").
    std::string vendor;
    std::optional<std::uint64_t> capacity_bytes;
    std::optional<bool> rotational;
    std::optional<bool> removable;
    /// Partitions of this disk: "sda1", "sda2".
    std::vector<std::string> partitions;
    /// md arrays and dm mappings built on this disk or on one of its partitions: "md1",
    /// "dm-0".
    std::vector<std::string> holders;
    /// For md and dm devices: what they are built from ("sdi", "sdj1").
    std::vector<std::string> members;
    /// md: the RAID level ("raid1"); dm: the mapping's name ("mpathA").
    std::string stack_detail;
    /// USB vendor:product id of the bridge ("152d:2338"), for usb devices where sysfs has it.
    std::string usb_id;
    /// device/ioerr_cnt: commands the SCSI midlayer completed with an error (SCSI disks only).
    std::optional<std::uint64_t> kernel_io_errors;
    std::optional<BlockIoStat> io_stat;
};

/// Tells the transport from what sysfs and udev say, without reading anything:
///  - name: the kernel's naming (Documentation/admin-guide/devices.txt): loop, dm-, md, zram,
///    nbd, ram, sr, mmcblk, vd, xvd, nvme, sd;
///  - sysfs_path: the device path /sys/block/NAME links to: ".../usb..." is a USB bridge,
///    ".../ataN/..." a libata port, ".../virtio..." virtio, ".../vbd-..." Xen;
///  - vendor: the INQUIRY vendor in sysfs, "ATA" for an ATA drive behind SCSI (SAT);
///  - udev: properties from /run/udev/data (ID_BUS, ID_PATH), used when sysfs_path is empty.
BlockTransport classify_block_device(std::string_view name, std::string_view sysfs_path,
                                     std::string_view vendor,
                                     const std::map<std::string, std::string>& udev);

/// The USB device directory above a device path: "/sys/devices/pci0000:00/0000:00:14.0/usb2/2-1"
/// for ".../usb2/2-1/2-1:1.0/host4/target4:0:0/4:0:0:0/block/sdb", whose idVendor and idProduct
/// name the bridge. Empty when the path has no USB device in it.
std::string usb_device_dir(std::string_view sysfs_path);

/// "8:0" for sda, "8:16" for sdb, "65:0" for sdq, ... : the static sd numbering of
/// Documentation/admin-guide/devices.txt (majors 8, 65-71, 128-135; 16 minors per disk),
/// for captured trees that lack the dev file. Empty for other names.
std::string sd_major_minor(std::string_view name);

/// Joins a link target to the directory holding the link and removes "." and ".." lexically:
/// ("/sys/block", "../devices/virtual/block/loop0") gives "/sys/devices/virtual/block/loop0".
std::string resolve_link(std::string_view link_dir, std::string_view target);

}  // namespace diag::disk
