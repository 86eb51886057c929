// diag-smart probing disks: recorded devices (--devices-from) built from the shared data,
// the captured sysfs-disks tree (--root), history in --state-dir, and the live box.

#include "integration/run_tool.hpp"
#include "support/shared_data.hpp"
#include "support/temp_dir.hpp"

#include <diag/disk/device_access.hpp>
#include <diag/disk/disk_probe.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>
#include <fmt/chrono.h>
#include <nlohmann/json.hpp>

#include <sys/stat.h>
#include <unistd.h>

using diag::test::has_finding;
using diag::test::has_issue;
using diag::test::json_of;
using diag::test::run_tool;
using nlohmann::json;

namespace {

std::filesystem::path blob(const std::string& name) {
    return diag::test::require_shared_data("smart/raw/ata-libatasmart-blobs/" + name);
}

const json* finding(const json& output, const std::string& check, const std::string& subject) {
    for (const auto& f : output.at("findings")) {
        if (f.at("check") == check && f.at("subject") == subject) {
            return &f;
        }
    }
    return nullptr;
}

// The Maxtor blob (5: 69 reallocated, 197: 2 pending) as recorded disk sda, and the
// ticket-1070 SSD as sdb.
void write_two_disks(const diag::test::TempDir& dir) {
    const auto ticket =
        diag::test::require_shared_data("smart/raw/ata-sat-trace-ticket1070-intel-ssdsc2kb019t7r");
    dir.write(
        "devices/sda/device.json",
        json{{"transport", "ata"}, {"skblob", blob("Maxtor_96147H8--BAC51KJ0.skblob")}}.dump());
    dir.write("devices/sdb/device.json",
              json{{"transport", "ata"},
                   {"commands",
                    {{"ata-identify", {{"file", (ticket / "identify-device.bin").string()}}},
                     {"ata-smart-read-data", {{"file", (ticket / "smart-read-data.bin").string()}}},
                     {"ata-smart-read-thresholds",
                      {{"file", (ticket / "smart-read-thresholds.bin").string()}}},
                     {"ata-smart-return-status",
                      {{"registers", {{"lba_mid", "0x4f"}, {"lba_high", "0xc2"}}}}}}}}
                  .dump());
}

}  // namespace

TEST_CASE("diag-smart: recorded disks are probed and judged, each under its device name") {
    diag::test::TempDir dir;
    write_two_disks(dir);
    const auto run = run_tool(
        "diag-smart", {"--json", "--state-dir", "", "--devices-from", dir.at("devices").string()});
    const auto output = json_of(run);
    CHECK(run.exit_code == std::optional<int>(1));
    const auto* pending = finding(output, "disk.smart.pending", "/dev/sda");
    REQUIRE(pending != nullptr);
    CHECK(pending->at("severity") == "warning");
    const auto* status = finding(output, "disk.smart.status_failed", "/dev/sdb");
    REQUIRE(status != nullptr);
    CHECK(status->at("severity") == "ok");
    // sdb's recording has no logs: the missing log directory is an info gap, not an error.
    CHECK(has_issue(output, {"/dev/sdb", "ata-smart-read-log-00", "ABRT"}));
}

TEST_CASE("diag-smart: a counter that grew since the last run is raised a level and dated") {
    diag::test::TempDir dir;
    write_two_disks(dir);
    const auto replay =
        diag::test::read_file(blob("Maxtor_96147H8--BAC51KJ0.smartctl73-replay.json"));
    const auto serial = json::parse(replay).at("serial_number").get<std::string>();
    dir.write("state/smart-state.json",
              json{{"version", 1},
                   {"disks",
                    {{serial,
                      {{"model", "Maxtor 96147H8"},
                       {"values",
                        {{"197", {{"value", 0}, {"since", "2026-11-30"}}},
                         {"5", {{"value", 69}, {"since", "2026-11-30"}}}}}}}}}}
                  .dump());

    const auto run = run_tool("diag-smart", {"--json", "--state-dir", dir.at("state").string(),
                                             "--devices-from", dir.at("devices").string()});
    const auto output = json_of(run);
    CHECK(run.exit_code == std::optional<int>(2));
    const auto* pending = finding(output, "disk.smart.pending", "/dev/sda");
    REQUIRE(pending != nullptr);
    CHECK(pending->at("severity") == "critical");
    CHECK(pending->at("summary").get<std::string>().find("197: 0 -> 2 since 2026-11-30") !=
          std::string::npos);
    // 5 did not grow: still a warning, no history text.
    const auto* reallocated = finding(output, "disk.smart.reallocated", "/dev/sda");
    REQUIRE(reallocated != nullptr);
    CHECK(reallocated->at("severity") == "warning");
    CHECK(reallocated->at("summary").get<std::string>().find("since") == std::string::npos);

    // The new state: written atomically with mode 0600; 197 is now 2 since today, 5 keeps
    // its date; sdb is remembered too.
    const auto state_file = dir.at("state/smart-state.json");
    struct stat info {};
    REQUIRE(::stat(state_file.c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0600);
    const auto state = json::parse(diag::test::read_file(state_file));
    CHECK(state["disks"][serial]["values"]["197"]["value"] == 2);
    CHECK(state["disks"][serial]["values"]["197"]["since"] != "2026-11-30");
    CHECK(state["disks"][serial]["values"]["5"]["since"] == "2026-11-30");
    CHECK(state["disks"].size() == 2);

    // A second run sees no growth: back to a warning.
    const auto again =
        json_of(run_tool("diag-smart", {"--json", "--state-dir", dir.at("state").string(),
                                        "--devices-from", dir.at("devices").string()}));
    CHECK(finding(again, "disk.smart.pending", "/dev/sda")->at("severity") == "warning");
}

TEST_CASE("diag-smart: a captured tree is judged by its sysfs, each no-SMART kind an info issue") {
    const auto tree = diag::test::source_dir() / "tests/fixtures/sysfs-disks/tree";
    const auto run = run_tool("diag-smart", {"--json", "--state-dir", "", "--root", tree.string()});
    const auto output = json_of(run);
    CHECK(run.exit_code == std::optional<int>(0));
    const auto* kernel = finding(output, "disk.kernel.io_errors", "/dev/sdd");
    REQUIRE(kernel != nullptr);
    CHECK(kernel->at("severity") == "info");
    CHECK(kernel->at("evidence").at("kernel_io_errors") == 26);
    const auto* sda = finding(output, "disk.kernel.io_errors", "/dev/sda");
    REQUIRE(sda != nullptr);
    CHECK(sda->at("evidence").at("member_of") == "md0");
    CHECK(has_issue(output, {"a captured tree"}));
    for (const char* device : {"/dev/vda", "/dev/md0", "/dev/dm-0", "/dev/loop0", "/dev/zram0"}) {
        INFO(device);
        CHECK(has_issue(output, {device, "no SMART ("}));
    }
    for (const auto& issue : output.at("issues")) {
        CHECK(issue.at("level") == "info");
    }
}

namespace {

// An rsyslog high-precision stamp (Debian 12's default) `hours` before now, in UTC.
std::string iso_hours_ago(int hours) {
    const auto when = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now() -
                                                               std::chrono::hours(hours));
    return fmt::format("{:%Y-%m-%dT%H:%M:%S}.000000+00:00", when);
}

}  // namespace

TEST_CASE(
    "diag-smart: the kernel log's errors about a disk and its partitions are judged with it") {
    // The sysfs-disks tree with a kern.log written here: an I/O error on sda an hour ago, an
    // ext4 error on sdb1 two hours ago, one about sdd forty days ago, one about "sdaa", which is
    // not sda, and lines naming ATA ports and an NVMe controller.
    diag::test::TempDir dir;
    const auto tree = diag::test::source_dir() / "tests/fixtures/sysfs-disks/tree";
    std::filesystem::copy(
        tree, dir.at("root"),
        std::filesystem::copy_options::recursive | std::filesystem::copy_options::copy_symlinks);
    const std::string line = " web1 kernel: ";
    dir.write(
        "root/var/log/kern.log",
        iso_hours_ago(40 * 24) + line +
            "blk_update_request: I/O error, dev sdd, sector 77 op 0x0:(READ) flags 0x0 "
            "phys_seg 1 prio class 0\n" +
            iso_hours_ago(3) + line +
            "I/O error, dev sdaa, sector 9 op 0x0:(READ) flags 0x0 phys_seg 1 prio class 0\n" +
            iso_hours_ago(2) + line +
            "EXT4-fs error (device sdb1): ext4_find_entry:1662: inode #131073: comm nginx: "
            "reading directory lblock 0\n" +
            iso_hours_ago(1) + line +
            "I/O error, dev sda, sector 1953456 op 0x0:(READ) flags 0x0 phys_seg 1 prio "
            "class 0\n" +
            // sdb is on ata2 and nvme0n1 on nvme0 (tests/fixtures/sysfs-disks/README.md);
            // ata11 is another port.
            iso_hours_ago(1) + line + "ata2: hard resetting link\n" + iso_hours_ago(1) + line +
            "ata11.00: error: { UNC }\n" + iso_hours_ago(1) + line +
            "nvme nvme0: I/O tag 322 (3142) QID 5 timeout, aborting\n");
    const auto root = dir.at("root").string();

    const auto output =
        json_of(run_tool("diag-smart", {"--json", "--state-dir", "", "--root", root}));
    const auto* sda = finding(output, "disk.kernel.log_events", "/dev/sda");
    REQUIRE(sda != nullptr);
    CHECK(sda->at("severity") == "critical");
    CHECK(sda->at("evidence").at("events") == 1);
    CHECK(sda->at("evidence").at("by_rule") == "1 disk.io_error");
    CHECK(sda->at("evidence").at("last_message").get<std::string>().find("dev sda,") !=
          std::string::npos);
    const auto* sdb = finding(output, "disk.kernel.log_events", "/dev/sdb");
    REQUIRE(sdb != nullptr);
    CHECK(sdb->at("evidence").at("by_rule") == "1 disk.ata_reset, 1 disk.ext4_error");
    const auto* nvme = finding(output, "disk.kernel.log_events", "/dev/nvme0n1");
    REQUIRE(nvme != nullptr);
    CHECK(nvme->at("evidence").at("by_rule") == "1 disk.nvme_timeout");
    // Forty days ago is outside the default week.
    const auto* sdd = finding(output, "disk.kernel.log_events", "/dev/sdd");
    REQUIRE(sdd != nullptr);
    CHECK(sdd->at("severity") == "ok");

    const auto longer = json_of(
        run_tool("diag-smart", {"--json", "--state-dir", "", "--log-days", "60", "--root", root}));
    const auto* old = finding(longer, "disk.kernel.log_events", "/dev/sdd");
    REQUIRE(old != nullptr);
    CHECK(old->at("evidence").at("by_rule") == "1 disk.io_error_legacy");

    const auto none = json_of(
        run_tool("diag-smart", {"--json", "--state-dir", "", "--log-days", "0", "--root", root}));
    CHECK(finding(none, "disk.kernel.log_events", "/dev/sda") == nullptr);
    CHECK(finding(none, "disk.kernel.io_errors", "/dev/sda") != nullptr);
}

TEST_CASE("diag-smart: naming a device reads only it; an unknown name is an issue") {
    diag::test::TempDir dir;
    write_two_disks(dir);
    const auto output =
        json_of(run_tool("diag-smart", {"--json", "--state-dir", "", "--devices-from",
                                        dir.at("devices").string(), "/dev/sdb"}));
    CHECK(finding(output, "disk.smart.status_failed", "/dev/sdb") != nullptr);
    CHECK(finding(output, "disk.smart.pending", "/dev/sda") == nullptr);

    const auto tree = diag::test::source_dir() / "tests/fixtures/sysfs-disks/tree";
    const auto missing =
        run_tool("diag-smart", {"--json", "--state-dir", "", "--root", tree.string(), "sdz"});
    CHECK(has_issue(json_of(missing), {"sdz", "no whole disk"}));
}

TEST_CASE("diag-smart: on this machine every disk is found, and virtio ones say no SMART",
          "[live]") {
    const auto run = run_tool("diag-smart", {"--json", "--state-dir", ""});
    const auto output = json_of(run);
    CHECK(run.exit_code.has_value());
    bool virtio = false;
    for (const auto& entry : std::filesystem::directory_iterator("/sys/block")) {
        const auto name = entry.path().filename().string();
        if (name.starts_with("vd")) {
            virtio = true;
            CHECK(has_issue(output, {"/dev/" + name, "no SMART (virtio)"}));
        }
    }
    if (!virtio) {
        diag::test::skip("no virtio disk on this machine");
    }
}

TEST_CASE("diag-report: the disk collector is registered and reports disks with the rest") {
    const auto list = run_tool("diag-report", {"--list"});
    CHECK(list.out.find("\ndisk ") != std::string::npos);
    const auto tree = diag::test::source_dir() / "tests/fixtures/sysfs-disks/tree";
    const auto output = json_of(run_tool("diag-report", {"--json", "--root", tree.string()}));
    const auto* kernel = finding(output, "disk.kernel.io_errors", "/dev/sdd");
    REQUIRE(kernel != nullptr);
    CHECK(kernel->at("evidence").at("kernel_io_errors") == 26);
    CHECK(has_issue(output, {"/dev/vda", "no SMART (virtio)"}));
}

TEST_CASE("diag-smart: the real SG_IO and NVMe access on a virtio disk fail as issues, not crashes",
          "[live]") {
    // This machine's only disk may be virtio, which passes no SCSI or NVMe commands: sending
    // them anyway exercises the real ioctl path and its error handling.
    std::string name;
    for (const auto& entry : std::filesystem::directory_iterator("/sys/block")) {
        if (entry.path().filename().string().starts_with("vd")) {
            name = entry.path().filename().string();
            break;
        }
    }
    if (name.empty() || ::access(("/dev/" + name).c_str(), R_OK) != 0) {
        diag::test::skip("no readable virtio disk on this machine");
    }
    auto access = diag::disk::make_sgio_access(std::chrono::milliseconds(2000));
    for (const auto transport : {diag::disk::BlockTransport::ata, diag::disk::BlockTransport::scsi,
                                 diag::disk::BlockTransport::nvme}) {
        diag::disk::BlockDevice device;
        device.name = name;
        device.device_path = "/dev/" + name;
        device.transport = transport;
        const auto disk = diag::disk::probe_disk(*access, device, {});
        INFO(diag::disk::to_string(transport));
        CHECK_FALSE(disk.record.has_value());
        REQUIRE_FALSE(disk.issues.empty());
        for (const auto& issue : disk.issues) {
            CHECK(issue.subject == "/dev/" + name);
            CHECK_FALSE(issue.reason.empty());
        }
    }
}
