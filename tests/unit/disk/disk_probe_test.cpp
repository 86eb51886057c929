// The probes against recorded devices: real pages from the shared data (ticket-1070 SAT
// trace, libatasmart blobs, ecclesia NVMe logs) named by path in the manifests, and devices
// that time out, fail, need a second bridge protocol or sleep in standby.

#include "unit/disk/disk_test_data.hpp"
#include "unit/disk/recorded_devices.hpp"

#include <diag/disk/ata_pages.hpp>
#include <diag/disk/disk_assess.hpp>
#include <diag/disk/disk_probe.hpp>
#include <diag/disk/skblob.hpp>

#include <chrono>

#include <catch2/catch.hpp>

using diag::disk::AtaTunnel;
using diag::disk::probe_disk;
using nlohmann::json;

namespace {

std::filesystem::path ticket_dir() {
    return diag::test::require_shared_data(
        "smart/raw/ata-sat-trace-ticket1070-intel-ssdsc2kb019t7r");
}

// A Device Statistics log (8 pages) made up for the tests: page 1 with 1234 power-on hours,
// page 7 with 3% endurance used; both statistics flagged supported and valid (bits 63, 62).
std::string statistics_log() {
    std::string log(8 * 512, '\0');
    auto put_qword = [&log](std::size_t at, std::uint64_t value) {
        for (std::size_t i = 0; i < 8; ++i) {
            log[at + i] = static_cast<char>((value >> (8 * i)) & 0xFFU);
        }
    };
    constexpr std::uint64_t kValid = 0xC000000000000000ULL;
    for (std::size_t page = 0; page < 8; ++page) {
        put_qword(page * 512, 0x0001U | (page << 16U));
    }
    put_qword(1 * 512 + 16, kValid | 1234U);
    put_qword(7 * 512 + 8, kValid | 3U);
    return log;
}

// The ticket-1070 drive as a recorded SATA disk. RETURN STATUS answers with the very sense
// buffer the ticket shows.
json ticket_manifest() {
    const auto dir = ticket_dir();
    const auto vectors = diag::test::read_json(dir / "sat-passthrough-vectors.json");
    return json{
        {"transport", "ata"},
        {"commands",
         {{"ata-identify", {{"file", (dir / "identify-device.bin").string()}}},
          {"ata-smart-read-data", {{"file", (dir / "smart-read-data.bin").string()}}},
          {"ata-smart-read-thresholds", {{"file", (dir / "smart-read-thresholds.bin").string()}}},
          {"ata-smart-read-log-00", {{"file", (dir / "smart-read-log-00-directory.bin").string()}}},
          {"ata-smart-read-log-06", {{"file", (dir / "smart-read-log-06-selftest.bin").string()}}},
          {"ata-smart-read-log-04", {{"file", "statistics.bin"}}},
          {"ata-smart-return-status",
           {{"sense", vectors["smart_return_status"]["sense_buffer_22"]}}}}}};
}

void add_ticket_disk(diag::test::RecordedDevices& recorded, const std::string& name,
                     json manifest = ticket_manifest()) {
    recorded.add(name, manifest);
    recorded.add_file(name, "statistics.bin", statistics_log());
}

bool has_issue_about(const diag::disk::ProbedDisk& disk, const std::string& operation,
                     const std::string& reason_part) {
    for (const auto& issue : disk.issues) {
        if (issue.operation == operation && issue.reason.find(reason_part) != std::string::npos) {
            return true;
        }
    }
    return false;
}

}  // namespace

TEST_CASE("probe: the ticket-1070 SATA disk reads as its pages decode, status passed") {
    diag::test::RecordedDevices recorded;
    add_ticket_disk(recorded, "sda");
    diag::disk::RecordedAccess access(recorded.path());
    const auto disk = probe_disk(access, recorded.device("sda"), {});

    INFO((disk.issues.empty() ? std::string() : diag::describe(disk.issues.front())));
    CHECK(disk.issues.empty());
    REQUIRE(disk.record.has_value());
    CHECK(disk.tunnel == std::optional(AtaTunnel::sat16));
    CHECK(disk.power_mode == std::optional(diag::disk::AtaPowerMode::active_or_idle));

    // The same pages decoded directly give the same attributes.
    diag::disk::AtaPages pages;
    pages.identify = diag::test::read_bytes(ticket_dir() / "identify-device.bin");
    pages.smart_data = diag::test::read_bytes(ticket_dir() / "smart-read-data.bin");
    pages.thresholds = diag::test::read_bytes(ticket_dir() / "smart-read-thresholds.bin");
    const auto direct = diag::disk::build_ata_record(pages, "/dev/sda");
    const auto& record = *disk.record;
    CHECK(record.identity.model == direct.identity.model);
    CHECK(record.identity.serial == direct.identity.serial);
    CHECK(record.identity.transport == "sat");
    REQUIRE(record.ata->smart.has_value());
    CHECK(record.ata->smart->attributes.size() == direct.ata->smart->attributes.size());
    CHECK(record.smart_status_passed == std::optional<bool>(true));
    CHECK(record.ata->self_test_log->entries.size() == 21);
    CHECK(record.endurance_used_pct == std::optional<std::uint8_t>(3));

    // The log directory lists no summary error log (01h), so it was not asked for.
    CHECK(access.sent("sda") ==
          std::vector<std::string>{
              "ata-check-power-mode via sat16", "ata-identify via sat16",
              "ata-smart-read-data via sat16", "ata-smart-read-thresholds via sat16",
              "ata-smart-return-status via sat16", "ata-smart-read-log-00 via sat16",
              "ata-smart-read-log-06 via sat16", "ata-smart-read-log-04 via sat16"});
    const auto report = diag::disk::assess_disk(record);
    CHECK(report.worst() == diag::Severity::ok);
}

TEST_CASE("probe: a libatasmart blob recorded as a disk reads as the blob decodes") {
    const auto blob = diag::test::require_shared_data(
        "smart/raw/ata-libatasmart-blobs/Maxtor_96147H8--BAC51KJ0.skblob");
    diag::test::RecordedDevices recorded;
    recorded.add("sdb", json{{"transport", "ata"}, {"skblob", blob.string()}});
    diag::disk::RecordedAccess access(recorded.path());
    const auto disk = probe_disk(access, recorded.device("sdb"), {});
    REQUIRE(disk.record.has_value());

    const auto bytes = diag::test::read_bytes(blob);
    const auto direct = diag::disk::build_ata_record(
        diag::disk::ata_pages_from_skblob(diag::disk::page_bytes(bytes)).value, "/dev/sdb");
    CHECK(disk.record->identity.model == direct.identity.model);
    CHECK(disk.record->smart_status_passed == direct.smart_status_passed);
    REQUIRE(disk.record->ata->smart.has_value());
    const auto* reallocated = disk.record->ata->smart->find(5);
    REQUIRE(reallocated != nullptr);
    CHECK(reallocated->raw48() == 69);
    // The blob has no logs: the log directory read fails quietly (info), and the judgement
    // is the same as the blob's own.
    for (const auto& issue : disk.issues) {
        CHECK(issue.level == diag::IssueLevel::info);
    }
    CHECK(diag::disk::assess_disk(*disk.record).worst() == diag::disk::assess_disk(direct).worst());
}

TEST_CASE("probe: a disk that does not answer in time is an Issue and the others are read") {
    diag::test::RecordedDevices recorded;
    add_ticket_disk(recorded, "sda");
    auto hanging = ticket_manifest();
    hanging["commands"]["ata-smart-read-data"]["latency_ms"] = 10000;
    add_ticket_disk(recorded, "sdb", hanging);
    auto access = std::make_shared<diag::disk::RecordedAccess>(recorded.path());

    const auto start = std::chrono::steady_clock::now();
    const auto disks =
        diag::disk::probe_disks(access, recorded.devices(), {}, std::chrono::milliseconds(500));
    const auto took = std::chrono::steady_clock::now() - start;
    CHECK(took < std::chrono::seconds(3));
    REQUIRE(disks.size() == 2);
    CHECK(disks[0].device.name == "sda");
    CHECK(disks[0].record.has_value());
    CHECK(disks[1].device.name == "sdb");
    CHECK_FALSE(disks[1].record.has_value());
    CHECK(has_issue_about(disks[1], "probe", "no answer within 500 ms"));
}

TEST_CASE("probe: a command that times out ends that device's probe with an Issue") {
    diag::test::RecordedDevices recorded;
    auto manifest = ticket_manifest();
    manifest["commands"]["ata-smart-read-thresholds"]["timeout"] = true;
    add_ticket_disk(recorded, "sdc", manifest);
    diag::disk::RecordedAccess access(recorded.path());
    const auto disk = probe_disk(access, recorded.device("sdc"), {});
    CHECK(has_issue_about(disk, "ata-smart-read-thresholds", "the rest of this device"));
    // Nothing after the timed-out command was sent.
    CHECK(access.sent("sdc").back() == "ata-smart-read-thresholds via sat16");
    // What was read before still makes a record.
    REQUIRE(disk.record.has_value());
    CHECK(disk.record->ata->smart.has_value());
}

TEST_CASE("probe: a command that fails is an Issue naming it, and the rest is still read") {
    diag::test::RecordedDevices recorded;
    auto manifest = ticket_manifest();
    manifest["commands"]["ata-smart-read-data"] = {{"errno", "EIO"}};
    // A drive that rejects the self-test log read with a medium error (sense key 3).
    manifest["commands"]["ata-smart-read-log-06"] = {
        {"sense", "72 03 11 00 00 00 00 0e 09 0c 00 40 00 00 00 00 00 00 00 00 00 51"}};
    add_ticket_disk(recorded, "sdd", manifest);
    diag::disk::RecordedAccess access(recorded.path());
    const auto disk = probe_disk(access, recorded.device("sdd"), {});
    CHECK(has_issue_about(disk, "ata-smart-read-data", "Input/output error"));
    CHECK(has_issue_about(disk, "ata-smart-read-log-06", "ATA status 51h error 40h"));
    for (const auto& issue : disk.issues) {
        CHECK(issue.level == diag::IssueLevel::error);
        CHECK(issue.subject == "/dev/sdd");
    }
    REQUIRE(disk.record.has_value());
    CHECK_FALSE(disk.record->ata->smart.has_value());
    CHECK(disk.record->smart_status_passed == std::optional<bool>(true));
    CHECK(disk.record->endurance_used_pct == std::optional<std::uint8_t>(3));
}

TEST_CASE("probe: a USB bridge without SAT is reached with JMicron's protocol, then remembered") {
    diag::test::RecordedDevices recorded;
    auto manifest = ticket_manifest();
    manifest["transport"] = "usb";
    manifest["usb_id"] = "152d:2338";
    manifest["tunnels"] = {"usbjmicron"};
    manifest["commands"]["ata-smart-return-status"] = {
        {"registers", {{"lba_mid", "0x4f"}, {"lba_high", "0xc2"}}}};
    add_ticket_disk(recorded, "sde", manifest);
    diag::disk::RecordedAccess access(recorded.path());
    const auto device = recorded.device("sde");
    const auto disk = probe_disk(access, device, {});

    CHECK(disk.tunnel == std::optional(AtaTunnel::usbjmicron));
    REQUIRE(disk.tunnel_attempts.size() == 3);
    CHECK(disk.tunnel_attempts[0].starts_with("sat16: sense key 5h (ILLEGAL REQUEST)"));
    CHECK(disk.tunnel_attempts[1].starts_with("sat12: "));
    CHECK(disk.tunnel_attempts[2] == "usbjmicron: ok");
    REQUIRE(disk.record.has_value());
    CHECK(disk.record->identity.transport == "usbjmicron");
    CHECK(disk.record->smart_status_passed == std::optional<bool>(true));
    // JMicron cannot return CHECK POWER MODE's answer: said so, not guessed.
    CHECK_FALSE(disk.power_mode.has_value());
    CHECK(has_issue_about(disk, "ata-check-power-mode", "power mode is unknown"));

    diag::disk::ProbeOptions remembered;
    remembered.remembered_tunnels[diag::disk::bridge_key(device)] = AtaTunnel::usbjmicron;
    CHECK(diag::disk::bridge_key(device) == "usb:152d:2338");
    diag::disk::RecordedAccess again(recorded.path());
    const auto second = probe_disk(again, device, remembered);
    CHECK(second.tunnel == std::optional(AtaTunnel::usbjmicron));
    CHECK(again.sent("sde").front() == "ata-identify via usbjmicron");
}

TEST_CASE("probe: a bridge that passes no ATA at all is one error Issue listing each try") {
    diag::test::RecordedDevices recorded;
    recorded.add("sdf", json{{"transport", "usb"}, {"tunnels", json::array()}});
    diag::disk::RecordedAccess access(recorded.path());
    const auto disk = probe_disk(access, recorded.device("sdf"), {});
    CHECK_FALSE(disk.record.has_value());
    REQUIRE(disk.tunnel_attempts.size() == 4);
    CHECK(has_issue_about(disk, "probe SMART", "no ATA pass-through reached the drive"));
}

TEST_CASE("probe: a disk in standby is left alone unless --wake") {
    diag::test::RecordedDevices recorded;
    auto manifest = ticket_manifest();
    manifest["power_mode"] = "standby";
    add_ticket_disk(recorded, "sdg", manifest);
    diag::disk::RecordedAccess access(recorded.path());
    const auto asleep = probe_disk(access, recorded.device("sdg"), {});
    CHECK(asleep.left_in_standby);
    CHECK_FALSE(asleep.record.has_value());
    CHECK(access.sent("sdg") == std::vector<std::string>{"ata-check-power-mode via sat16"});
    CHECK(has_issue_about(asleep, "probe SMART", "in standby"));

    diag::disk::ProbeOptions wake;
    wake.wake = true;
    diag::disk::RecordedAccess woken_access(recorded.path());
    const auto woken = probe_disk(woken_access, recorded.device("sdg"), wake);
    CHECK_FALSE(woken.left_in_standby);
    CHECK(woken.record.has_value());
    CHECK(woken_access.sent("sdg").size() == 8);
}

TEST_CASE(
    "probe: an NVMe drive reads its health and self-test logs; a missing Identify is an Issue") {
    const auto dir = diag::test::require_shared_data("smart/raw/nvme-ecclesia-logpages");
    diag::test::RecordedDevices recorded;
    recorded.add(
        "nvme0n1",
        json{{"transport", "nvme"},
             {"commands",
              {{"nvme-get-log-02", {{"file", (dir / "nvme-smart-health-log-lid02.bin").string()}}},
               {"nvme-get-log-06",
                {{"file", (dir / "nvme-device-self-test-log-lid06.bin").string()}}}}}});
    diag::disk::RecordedAccess access(recorded.path());
    const auto disk = probe_disk(access, recorded.device("nvme0n1"), {});
    CHECK(has_issue_about(disk, "nvme-identify-controller", "NVMe status 0x0002"));
    REQUIRE(disk.record.has_value());
    CHECK(disk.record->temperature_celsius == std::optional<int>(41));
    CHECK(disk.record->power_on_hours == std::optional<std::uint64_t>(408));
    // Without Identify the self-test support bit is unknown, so the log is not asked for.
    CHECK(access.sent("nvme0n1") == std::vector<std::string>{"nvme-identify-controller",
                                                             "nvme-get-log-02", "nvme-get-log-01"});
}

TEST_CASE("probe: a SAS drive with grown defects is flagged though its status passes") {
    // Pages written for this test in the layouts of SPC-5 and SBC-4.
    const std::string inquiry = std::string("\x00\x00\x06\x12\x5b\x00\x00\x00", 8) + "SEAGATE " +
                                "ST4000NM0043    " + "E003";
    const std::string serial = std::string("\x00\x80\x00\x08", 4) + "Z1Z0AAAA";
    const std::string supported = std::string("\x00\x00\x00\x05\x00\x02\x03\x0d\x2f", 9);
    // 2Fh: parameter 0000h, length 3: ASC 0, ASCQ 0, temperature 36.
    const std::string ie = std::string("\x2f\x00\x00\x07\x00\x00\x03\x03\x00\x00\x24", 11);
    // 0Dh: temperature 36, reference (trip) 68.
    const std::string temperature =
        std::string("\x0d\x00\x00\x0c\x00\x00\x03\x02\x00\x24\x00\x01\x03\x02\x00\x44", 16);
    // 03h: parameter 0006h (total uncorrected) = 2, one byte.
    const std::string read_errors = std::string("\x03\x00\x00\x05\x00\x06\x00\x01\x02", 9);
    // READ DEFECT DATA header: GLISTV, format 4 (8-byte descriptors), 448 bytes = 56 entries.
    const std::string defects = std::string("\x00\x0c\x01\xc0", 4);

    diag::test::RecordedDevices recorded;
    recorded.add("sdh", json{{"transport", "scsi"}});
    recorded.add_file("sdh", "scsi-inquiry.bin", inquiry);
    recorded.add_file("sdh", "scsi-inquiry-vpd-80.bin", serial);
    recorded.add_file("sdh", "scsi-log-sense-00.bin", supported);
    recorded.add_file("sdh", "scsi-log-sense-2f.bin", ie);
    recorded.add_file("sdh", "scsi-log-sense-0d.bin", temperature);
    recorded.add_file("sdh", "scsi-log-sense-03.bin", read_errors);
    recorded.add_file("sdh", "scsi-read-defect-data.bin", defects);
    diag::disk::RecordedAccess access(recorded.path());
    const auto disk = probe_disk(access, recorded.device("sdh"), {});
    REQUIRE(disk.record.has_value());
    const auto& record = *disk.record;
    CHECK(record.identity.vendor == "SEAGATE");
    CHECK(record.identity.model == "ST4000NM0043");
    CHECK(record.identity.serial == "Z1Z0AAAA");
    CHECK(record.smart_status_passed == std::optional<bool>(true));
    CHECK(record.temperature_celsius == std::optional<int>(36));
    CHECK(record.temperature_limits.critical_celsius == std::optional<int>(68));
    CHECK(record.scsi->grown_defects == std::optional<std::uint64_t>(56));
    CHECK(record.scsi->read->total_uncorrected == std::optional<std::uint64_t>(2));
    // 02h is listed but not recorded: an error Issue; 05h is not listed, so not asked.
    CHECK(has_issue_about(disk, "scsi-log-sense-02", "ILLEGAL REQUEST"));
    const auto sent = access.sent("sdh");
    CHECK(std::find(sent.begin(), sent.end(), "scsi-log-sense-05") == sent.end());

    const auto report = diag::disk::assess_disk(record);
    bool flagged = false;
    for (const auto& finding : report.findings) {
        flagged = flagged || (finding.check == "disk.scsi.grown_defects" &&
                              finding.severity == diag::Severity::warning);
    }
    CHECK(flagged);
}

TEST_CASE("probe: a bridge of another maker gets no JMicron or Sunplus vendor commands") {
    diag::test::RecordedDevices recorded;
    recorded.add("sdi",
                 json{{"transport", "usb"}, {"usb_id", "0bda:9210"}, {"tunnels", json::array()}});
    diag::disk::RecordedAccess access(recorded.path());
    const auto disk = probe_disk(access, recorded.device("sdi"), {});
    CHECK(disk.tunnel_attempts.size() == 2);
    for (const auto& sent : access.sent("sdi")) {
        CHECK(sent.find("via sat") != std::string::npos);
    }
}
