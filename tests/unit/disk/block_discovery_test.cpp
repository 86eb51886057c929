// Discovery of block devices through a Root: the node_exporter sysfs fixture (real layouts,
// see its SOURCES.md) and the tree in tests/fixtures/sysfs-disks (see its README.md).

#include "support/shared_data.hpp"

#include <diag/disk/block_discovery.hpp>

#include <algorithm>

#include <catch2/catch.hpp>

namespace {

using diag::disk::BlockDevice;
using diag::disk::BlockTransport;

const BlockDevice& find(const std::vector<BlockDevice>& devices, const std::string& name) {
    const auto found = std::find_if(devices.begin(), devices.end(),
                                    [&](const BlockDevice& d) { return d.name == name; });
    REQUIRE(found != devices.end());
    return *found;
}

diag::Root open_root(const std::filesystem::path& path) {
    auto root = diag::Root::open(path.string());
    REQUIRE(root.has_value());
    return *root;
}

std::vector<std::string> v(std::initializer_list<const char*> names) {
    return {names.begin(), names.end()};
}

}  // namespace

TEST_CASE("discovery: the node_exporter tree gives its disks, arrays and mappings") {
    const auto root = open_root(diag::test::require_shared_data("sysfs-fixtures/node_exporter"));
    const auto found = diag::disk::discover_block_devices(root);
    const auto& devices = found.data;
    REQUIRE(devices.size() == 16);

    // sda has no dev file there; its udev record b8:0 (the static sd numbering) says it is an
    // ATA drive on a SAS path (ID_PATH ...-sas-phy7-...), so SAT.
    const auto& sda = find(devices, "sda");
    CHECK(sda.major_minor == "8:0");
    CHECK(sda.transport == BlockTransport::sat);
    CHECK(sda.model == "TOSHIBA KSDB4U86");
    CHECK(sda.serial == "2160A0D5FVGG");
    CHECK(sda.firmware == "0102");
    CHECK(sda.rotational == std::optional<bool>(true));

    // md1 is RAID1 of sdi and sdj (md/dev-*), and the members learn it though the tree has no
    // holders/ folders.
    const auto& md1 = find(devices, "md1");
    CHECK(md1.transport == BlockTransport::md);
    CHECK(md1.stack_detail == "raid1");
    CHECK(md1.members == v({"sdi", "sdj"}));
    CHECK(find(devices, "sdi").holders == v({"md1"}));
    CHECK(find(devices, "sdk").holders == v({"md4"}));

    const auto& dm5 = find(devices, "dm-5");
    CHECK(dm5.transport == BlockTransport::dm);
    CHECK(dm5.stack_detail == "mpathA");
    CHECK(dm5.capacity_bytes == std::optional<std::uint64_t>(104857600ULL * 512));

    // 6 md arrays and 3 dm mappings: one info Issue each, no errors.
    std::size_t info = 0;
    for (const auto& issue : found.issues) {
        CHECK(issue.level == diag::IssueLevel::info);
        info +=
            issue.reason.starts_with("no SMART (md)") || issue.reason.starts_with("no SMART (dm)")
                ? 1U
                : 0U;
    }
    CHECK(found.issues.size() == 9);
    CHECK(info == 9);
}

TEST_CASE("discovery: each transport is told apart in the sysfs-disks tree") {
    const auto root = open_root(diag::test::source_dir() / "tests/fixtures/sysfs-disks/tree");
    const auto found = diag::disk::discover_block_devices(root);
    const auto& devices = found.data;
    REQUIRE(devices.size() == 11);
    CHECK(find(devices, "sda").transport == BlockTransport::ata);
    CHECK(find(devices, "sdb").transport == BlockTransport::ata);
    CHECK(find(devices, "sdc").transport == BlockTransport::usb);
    CHECK(find(devices, "sdd").transport == BlockTransport::scsi);
    CHECK(find(devices, "sde").transport == BlockTransport::sat);
    CHECK(find(devices, "nvme0n1").transport == BlockTransport::nvme);
    CHECK(find(devices, "vda").transport == BlockTransport::virtio);
    CHECK(find(devices, "md0").transport == BlockTransport::md);
    CHECK(find(devices, "dm-0").transport == BlockTransport::dm);
    CHECK(find(devices, "loop0").transport == BlockTransport::loop);
    CHECK(find(devices, "zram0").transport == BlockTransport::zram);
}

TEST_CASE("discovery: identity comes from sysfs, VPD 80h, the NVMe controller and udev") {
    const auto root = open_root(diag::test::source_dir() / "tests/fixtures/sysfs-disks/tree");
    const auto devices = diag::disk::discover_block_devices(root).data;

    // udev's full model and serial win over the 16-character INQUIRY model only where sysfs
    // has none: sysfs gives the model, udev the serial.
    const auto& sda = find(devices, "sda");
    CHECK(sda.model == "WDC WD40EFRX-68N");
    CHECK(sda.serial == "WD-WCC7K0000001");
    CHECK(sda.firmware == "0A82");
    CHECK(sda.capacity_bytes == std::optional<std::uint64_t>(7814037168ULL * 512));
    CHECK(sda.partitions == v({"sda1", "sda2"}));

    const auto& sdd = find(devices, "sdd");
    CHECK(sdd.vendor == "SEAGATE");
    CHECK(sdd.model == "ST4000NM0043");
    CHECK(sdd.serial == "Z1Z0AAAA0000C0000000");
    CHECK(sdd.kernel_io_errors == std::optional<std::uint64_t>(0x1a));

    const auto& nvme = find(devices, "nvme0n1");
    CHECK(nvme.model == "Samsung SSD 970 EVO Plus 1TB");
    CHECK(nvme.serial == "S4EWNX0R000000X");
    CHECK(nvme.firmware == "2B2QEXM7");
    CHECK(nvme.partitions == v({"nvme0n1p1"}));
    CHECK(nvme.rotational == std::optional<bool>(false));

    CHECK(find(devices, "sdc").usb_id == "152d:0578");
    CHECK(find(devices, "vda").serial == "vm-disk-1");
}

TEST_CASE("discovery: md and dm membership runs both ways through holders and slaves") {
    const auto root = open_root(diag::test::source_dir() / "tests/fixtures/sysfs-disks/tree");
    const auto devices = diag::disk::discover_block_devices(root).data;
    CHECK(find(devices, "sda").holders == v({"md0"}));
    CHECK(find(devices, "sdb").holders == v({"md0"}));
    CHECK(find(devices, "md0").members == v({"sda2", "sdb1"}));
    CHECK(find(devices, "md0").holders == v({"dm-0"}));
    CHECK(find(devices, "md0").stack_detail == "raid1");
    CHECK(find(devices, "dm-0").members == v({"md0"}));
    CHECK(find(devices, "dm-0").stack_detail == "vg0-root");
    CHECK(find(devices, "sdc").holders.empty());
}

TEST_CASE("discovery: the kernel's I/O counters are read from stat and ioerr_cnt") {
    const auto root = open_root(diag::test::source_dir() / "tests/fixtures/sysfs-disks/tree");
    const auto devices = diag::disk::discover_block_devices(root).data;
    const auto& sda = find(devices, "sda");
    CHECK(sda.kernel_io_errors == std::optional<std::uint64_t>(3));
    REQUIRE(sda.io_stat.has_value());
    CHECK(sda.io_stat->read_ios == 1200);
    CHECK(sda.io_stat->write_sectors == 64000);
    CHECK(sda.io_stat->io_ticks_ms == 700);
    CHECK(sda.io_stat->flush_ios == std::optional<std::uint64_t>(40));
    // Not a SCSI device: no ioerr_cnt, so the count is absent, not zero.
    CHECK_FALSE(find(devices, "nvme0n1").kernel_io_errors.has_value());
}

TEST_CASE("discovery: kinds without SMART are one info Issue each, with the reason") {
    const auto root = open_root(diag::test::source_dir() / "tests/fixtures/sysfs-disks/tree");
    const auto found = diag::disk::discover_block_devices(root);
    std::vector<std::string> subjects;
    for (const auto& issue : found.issues) {
        CHECK(issue.level == diag::IssueLevel::info);
        CHECK(issue.operation == "probe SMART");
        subjects.push_back(issue.subject);
    }
    std::sort(subjects.begin(), subjects.end());
    CHECK(subjects == v({"/dev/dm-0", "/dev/loop0", "/dev/md0", "/dev/vda", "/dev/zram0"}));
    const auto vda = std::find_if(found.issues.begin(), found.issues.end(),
                                  [](const auto& i) { return i.subject == "/dev/vda"; });
    CHECK(vda->reason.starts_with("no SMART (virtio): "));
}

TEST_CASE("discovery: a named device that is not a whole disk is an Issue, the rest found") {
    const auto root = open_root(diag::test::source_dir() / "tests/fixtures/sysfs-disks/tree");
    const auto found = diag::disk::discover_named_devices(root, {"/dev/sda", "sda1", "nvme0n1"});
    REQUIRE(found.data.size() == 2);
    CHECK(found.data[0].name == "sda");
    CHECK(found.data[1].name == "nvme0n1");
    REQUIRE(found.issues.size() == 1);
    CHECK(found.issues[0].level == diag::IssueLevel::error);
    CHECK(found.issues[0].subject == "sda1");
}

TEST_CASE("discovery: a root without /sys/block gives an Issue and no devices") {
    const auto root = open_root(diag::test::source_dir() / "tests/fixtures/sysfs-disks");
    const auto found = diag::disk::discover_block_devices(root);
    CHECK(found.data.empty());
    REQUIRE(found.issues.size() == 1);
    CHECK(found.issues[0].level == diag::IssueLevel::info);
    CHECK(found.issues[0].reason == "No such file or directory");
}

TEST_CASE("discovery: transport, sd numbering and link resolution as pure functions") {
    using diag::disk::classify_block_device;
    const std::map<std::string, std::string> none;
    CHECK(classify_block_device("xvda", "/sys/devices/vbd-51712/block/xvda", "", none) ==
          BlockTransport::xen);
    CHECK(classify_block_device("nbd0", "", "", none) == BlockTransport::nbd);
    CHECK(classify_block_device("sr0", "", "", none) == BlockTransport::optical);
    CHECK(classify_block_device("mmcblk0", "", "", none) == BlockTransport::mmc);
    CHECK(classify_block_device("rbd0", "", "", none) == BlockTransport::other);
    // A virtio-scsi disk is an sd disk on a virtio path: the hypervisor's disk, no SMART.
    CHECK(classify_block_device(
              "sda", "/sys/devices/pci0000:00/0000:00:04.0/virtio2/host0/target0:0:0/block/sda",
              "QEMU", none) == BlockTransport::virtio);
    CHECK(diag::disk::sd_major_minor("sda") == "8:0");
    CHECK(diag::disk::sd_major_minor("sdp") == "8:240");
    CHECK(diag::disk::sd_major_minor("sdq") == "65:0");
    CHECK(diag::disk::sd_major_minor("sdaa") == "65:160");
    CHECK(diag::disk::sd_major_minor("vda").empty());
    CHECK(diag::disk::resolve_link("/sys/block", "../devices/virtual/block/loop0") ==
          "/sys/devices/virtual/block/loop0");
    CHECK(diag::disk::usb_device_dir("/sys/devices/pci0000:00/0000:00:14.0/usb2/2-1/2-1.4/"
                                     "2-1.4:1.0/host4/target4:0:0/4:0:0:0/block/sdb") ==
          "/sys/devices/pci0000:00/0000:00:14.0/usb2/2-1/2-1.4");
    CHECK(diag::disk::usb_device_dir("/sys/devices/pci0000:00/0000:00:1f.2/ata1/host0").empty());
}
