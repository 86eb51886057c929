// smartctl --json import against the real outputs in shared/data/smart (smartctl 6.x-7.5).

#include "unit/disk/disk_test_data.hpp"

#include <diag/disk/ata_raw_value.hpp>
#include <diag/disk/smartctl_import.hpp>

#include <catch2/catch.hpp>

using diag::disk::import_smartctl_json;
using diag::disk::SmartctlImport;

namespace {

SmartctlImport import_file(const std::string& relative) {
    const auto path = diag::test::require_shared_data("smart/" + relative);
    return import_smartctl_json(diag::test::read_file(path), path.filename().string());
}

// Every smartctl JSON in the shared data: the top-level files and the replays under raw/.
std::vector<std::filesystem::path> smartctl_files() {
    std::vector<std::filesystem::path> files;
    const auto dir = diag::test::require_shared_data("smart");
    for (const auto& path : diag::test::files_ending(dir, ".json")) {
        const std::string name = path.filename().string();
        if (name.ends_with(".expected.json") || name == "sat-passthrough-vectors.json") {
            continue;  // nvme-cli values and SCSI vectors, not smartctl output
        }
        files.push_back(path);
    }
    return files;
}

std::string when_failed(const diag::disk::AtaAttribute& attribute) {
    switch (threshold_state(attribute)) {
        case diag::disk::ThresholdState::failed_now:
            return "now";
        case diag::disk::ThresholdState::failed_past:
            return "past";
        default:
            return "";
    }
}

}  // namespace

TEST_CASE("import: every smartctl JSON in the shared data gives a disk or Issues saying why not") {
    const auto files = smartctl_files();
    REQUIRE(files.size() == 31);
    std::size_t disks = 0;
    for (const auto& path : files) {
        INFO(path.filename().string());
        const auto result =
            import_smartctl_json(diag::test::read_file(path), path.filename().string());
        if (result.disk) {
            ++disks;
            CHECK_FALSE(result.disk->identity.model.empty());
            CHECK(result.disk->origin.find(path.filename().string()) != std::string::npos);
        } else {
            CHECK_FALSE(result.issues.empty());
        }
    }
    // All but the permission-denied output and the --scan listing hold a disk.
    CHECK(disks == files.size() - 2);
}

TEST_CASE("import: the attribute verdicts we derive match smartctl's when_failed in every file") {
    for (const auto& path : smartctl_files()) {
        const auto json = diag::test::read_json(path);
        if (!json.contains("ata_smart_attributes")) {
            continue;
        }
        INFO(path.filename().string());
        const auto result =
            import_smartctl_json(diag::test::read_file(path), path.filename().string());
        REQUIRE(result.disk.has_value());
        const auto& smart = *result.disk->ata->smart;
        const auto& table = json["ata_smart_attributes"]["table"];
        REQUIRE(smart.attributes.size() == table.size());
        for (std::size_t i = 0; i < table.size(); ++i) {
            INFO("attribute " << table[i]["id"].get<int>());
            CHECK(smart.attributes[i].id == table[i]["id"].get<unsigned>());
            CHECK(when_failed(smart.attributes[i]) == table[i]["when_failed"].get<std::string>());
            CHECK(smart.attributes[i].smartctl_raw_text ==
                  table[i]["raw"]["string"].get<std::string>());
        }
    }
}

TEST_CASE("import: the failing Hitachi behind a JMicron bridge keeps status, logs and wrap") {
    const auto result =
        import_file("sata-hdd-hitachi-hds721050-usbjmicron-failing-realloc1975.json");
    REQUIRE(result.disk.has_value());
    CHECK(result.issues.empty());
    const auto& disk = *result.disk;
    CHECK(disk.protocol == diag::disk::DiskProtocol::ata);
    CHECK(disk.identity.device == "/dev/sdc");
    CHECK(disk.identity.model == "Hitachi HDS721050DLE630");
    CHECK(disk.identity.serial == "MSK423Y20S3HBC");
    CHECK(disk.identity.transport == "usbjmicron");
    CHECK(disk.identity.capacity_bytes == std::optional<std::uint64_t>(500107862016ULL));
    CHECK(disk.identity.rotation_rate_rpm == std::optional<std::uint16_t>(7200));
    CHECK(disk.smart_status_passed == std::optional<bool>(false));
    CHECK(disk.power_on_hours == std::optional<std::uint64_t>(65592));
    REQUIRE(disk.smartctl.has_value());
    CHECK(disk.smartctl->version == "7.1");
    CHECK(disk.smartctl->exit_status == std::optional<int>(216));
    CHECK(diag::disk::smartctl_exit_status_meanings(216).size() == 4);

    const auto* reallocated = disk.ata->smart->find(5);
    REQUIRE(reallocated != nullptr);
    CHECK(reallocated->raw48() == 1975);
    CHECK(reallocated->threshold == std::optional<std::uint8_t>(5));
    CHECK(reallocated->prefailure());

    const auto& tests = disk.ata->self_test_log->entries;
    REQUIRE(tests.size() == 21);
    CHECK(tests[2].failed());
    CHECK(tests[2].failing_lba == std::optional<std::uint64_t>(104870168));
    CHECK(tests[2].hours_logged == 4);
    CHECK(tests[2].lifetime_hours == std::optional<std::uint64_t>(65540));
    CHECK(tests[3].lifetime_hours == std::optional<std::uint64_t>(65530));

    const auto& errors = *disk.ata->error_log;
    CHECK(errors.error_count == 56);
    REQUIRE(errors.entries.size() == 5);
    CHECK(errors.entries[0].error_number == std::optional<std::uint32_t>(56));
    CHECK(errors.entries[0].kind() == diag::disk::AtaErrorKind::media);  // IDNF
}

TEST_CASE("import: Seagate's 188 keeps smartctl's raw text and unpacks to 12 timeouts") {
    const auto result = import_file("sata-hdd-seagate-exos-x16-packed-raw-188.json");
    REQUIRE(result.disk.has_value());
    const auto& disk = *result.disk;
    const auto* timeouts = disk.ata->smart->find(188);
    REQUIRE(timeouts != nullptr);
    CHECK(timeouts->smartctl_raw_text == std::optional<std::string>("51540393996"));
    CHECK(diag::disk::read_raw(*timeouts, disk.ata->quirks).count ==
          std::optional<std::uint64_t>(12));
    // 240 is printed with a 56-bit format: the reserved byte comes back above the raw bytes.
    const auto* flying = disk.ata->smart->find(240);
    REQUIRE(flying != nullptr);
    CHECK((static_cast<std::uint64_t>(flying->reserved) << 48U | flying->raw48()) ==
          4417953684533483ULL);
}

TEST_CASE("import: SCSI identity reads both key sets, scsi_vendor (7.3) and vendor (trimmed)") {
    const auto hitachi = import_file("scsi-sas-hitachi-h109060-healthy.json");
    REQUIRE(hitachi.disk.has_value());
    CHECK(hitachi.disk->protocol == diag::disk::DiskProtocol::scsi);
    CHECK(hitachi.disk->identity.vendor == "HITACHI");
    CHECK(hitachi.disk->identity.model == "HITACHI H109060SESUN600G");
    CHECK(hitachi.disk->identity.firmware == "A31A");
    CHECK(hitachi.disk->scsi->verify->correction_algorithm_runs ==
          std::optional<std::uint64_t>(838388));
    CHECK(hitachi.disk->temperature_limits.critical_celsius == std::optional<int>(85));

    const auto seagate = import_file("scsi-sas-seagate-st4000nm0043-grown-defects56-trimmed.json");
    REQUIRE(seagate.disk.has_value());
    CHECK(seagate.disk->identity.vendor == "SEAGATE");
    CHECK(seagate.disk->identity.model == "SEAGATE ST4000NM0043");
    CHECK(seagate.disk->identity.firmware == "MS03");
    CHECK(seagate.disk->identity.serial == "Z1Z5DWJK0000XXXXXXXX");
    CHECK(seagate.disk->scsi->grown_defects == std::optional<std::uint64_t>(56));
    CHECK(seagate.disk->smart_status_passed == std::optional<bool>(true));
    const auto& read = *seagate.disk->scsi->read;
    CHECK(read.corrected_fast == std::optional<std::uint64_t>(300357663));
    CHECK(read.total_uncorrected == std::optional<std::uint64_t>(0));
    REQUIRE(read.processed_gigabytes.has_value());
    CHECK(*read.processed_gigabytes == Approx(176987.332));
    // The trimmed file has no smartctl object: one info Issue, no run.
    CHECK_FALSE(seagate.run.has_value());
    REQUIRE(seagate.issues.size() == 1);
    CHECK(seagate.issues[0].level == diag::IssueLevel::info);
    CHECK(seagate.issues[0].reason.find("trimmed") != std::string::npos);
}

TEST_CASE("import: permission denied is an Issue naming the device, and no disk") {
    const auto result = import_file("error-nvme-open-permission-denied-exit2.json");
    CHECK_FALSE(result.disk.has_value());
    REQUIRE(result.issues.size() == 1);
    const auto& issue = result.issues[0];
    CHECK(issue.level == diag::IssueLevel::error);
    CHECK(issue.subject == "/dev/nvme0");
    CHECK(issue.reason.find("Permission denied") != std::string::npos);
    CHECK(issue.hint.find("root") != std::string::npos);
    REQUIRE(result.run.has_value());
    CHECK(result.run->exit_status == std::optional<int>(2));
}

TEST_CASE("import: a --scan listing is an info Issue listing the devices, and no disk") {
    const auto result = import_file("scan-megaraid.json");
    CHECK_FALSE(result.disk.has_value());
    REQUIRE(result.issues.size() == 1);
    CHECK(result.issues[0].level == diag::IssueLevel::info);
    CHECK(result.issues[0].reason.find("--scan") != std::string::npos);
    CHECK(result.issues[0].reason.find("megaraid,1") != std::string::npos);
}

TEST_CASE("import: an attribute-check verdict behind MegaRAID leaves the drive's status unknown") {
    const auto result = import_file("sata-hdd-wd4000fyyx-megaraid1-realloc387.json");
    REQUIRE(result.disk.has_value());
    CHECK(result.disk->identity.transport == "sat+megaraid,1");
    CHECK_FALSE(result.disk->smart_status_passed.has_value());
    const auto status_issue =
        std::find_if(result.issues.begin(), result.issues.end(),
                     [](const diag::Issue& i) { return i.operation == "SMART RETURN STATUS"; });
    REQUIRE(status_issue != result.issues.end());
    CHECK(status_issue->level == diag::IssueLevel::info);
    // Exit status 4: bit 2, a command failed (the RETURN STATUS that did not get through).
    const auto bit2 = std::find_if(
        result.issues.begin(), result.issues.end(),
        [](const diag::Issue& i) { return i.reason.find("bit 2") != std::string::npos; });
    CHECK(bit2 != result.issues.end());
}

TEST_CASE("import: NVMe health fields land in the same record the page decoder fills") {
    const auto intel = import_file("nvme-intel-p4510-percentage-used-73.json");
    REQUIRE(intel.disk.has_value());
    CHECK(intel.disk->protocol == diag::disk::DiskProtocol::nvme);
    CHECK(intel.disk->identity.solid_state == std::optional<bool>(true));
    CHECK(intel.disk->identity.capacity_bytes == std::optional<std::uint64_t>(1000204886016ULL));
    const auto& h = *intel.disk->nvme->health;
    CHECK(h.percentage_used_pct == std::optional<std::uint8_t>(73));
    CHECK(h.available_spare_pct == std::optional<std::uint8_t>(99));
    CHECK(h.available_spare_threshold_pct == std::optional<std::uint8_t>(10));
    CHECK(h.data_units_written->to_u64() == std::optional<std::uint64_t>(5165815292ULL));
    CHECK(h.temperature_celsius == std::optional<int>(36));

    const auto samsung = import_file("nvme-samsung-970evo-media-errors7.json");
    REQUIRE(samsung.disk.has_value());
    const auto& s = *samsung.disk->nvme->health;
    CHECK(s.media_errors->to_u64() == std::optional<std::uint64_t>(7));
    CHECK(s.error_log_entries->to_u64() == std::optional<std::uint64_t>(62));
    CHECK(s.sensor_celsius == std::vector<int>{35, 39});
}

TEST_CASE("import: a -x output gives ATA device statistics wear and the SCT temperature limit") {
    const auto result = import_file("sata-ssd-samsung-860evo-xall.json");
    REQUIRE(result.disk.has_value());
    const auto& disk = *result.disk;
    CHECK(disk.endurance_used_pct == std::optional<std::uint8_t>(19));
    CHECK(disk.temperature_limits.warning_celsius == std::optional<int>(70));
    CHECK(disk.identity.solid_state == std::optional<bool>(true));
    // smartctl wrote the extended self-test log (GPL 07h): 19 entries.
    CHECK(disk.ata->self_test_log->entries.size() == 19);
}

TEST_CASE("import: the extended comprehensive error log entry keeps smartctl's description") {
    const auto result = import_file("usb-sunplus-samsung-hd204ui-xall-failed-in-past.json");
    REQUIRE(result.disk.has_value());
    const auto& log = *result.disk->ata->error_log;
    CHECK(log.error_count == 1);
    REQUIRE(log.entries.size() == 1);
    CHECK(log.entries[0].kind() == diag::disk::AtaErrorKind::interface_crc);
    REQUIRE(log.entries[0].description.has_value());
    CHECK(log.entries[0].description->starts_with("Error: ICRC, ABRT"));
}

TEST_CASE("import: text that is not JSON, or not an object, is an error Issue and no disk") {
    for (const std::string text : {"Smartctl open device: /dev/sda failed", "[1, 2]", ""}) {
        INFO(text);
        const auto result = import_smartctl_json(text, "paste.txt");
        CHECK_FALSE(result.disk.has_value());
        REQUIRE(result.issues.size() == 1);
        CHECK(result.issues[0].level == diag::IssueLevel::error);
        CHECK(result.issues[0].subject == "paste.txt");
    }
}

TEST_CASE("import: NVMe counters past 64 bits given as decimal strings keep their high half") {
    const std::string text = R"({"device": {"name": "/dev/nvme0", "protocol": "NVMe"},
        "model_name": "X", "nvme_smart_health_information_log":
        {"data_units_written": "36893488147419103232", "media_errors": -1}})";
    const auto result = import_smartctl_json(text, "synthetic.json");
    REQUIRE(result.disk.has_value());
    const auto& h = *result.disk->nvme->health;
    REQUIRE(h.data_units_written.has_value());
    CHECK(h.data_units_written->high == 2);
    CHECK(h.data_units_written->low == 0);
    // A value of the wrong sign or type is absent, never zero.
    CHECK_FALSE(h.media_errors.has_value());
}

TEST_CASE("import: smartctl's invalid-checksum warning marks the attributes untrusted") {
    // Built for this test: smartctl's own message for a SMART READ DATA page whose checksum
    // failed, with one attribute.
    const std::string text = R"({"smartctl": {"version": [7, 3], "exit_status": 4, "messages":
        [{"string": "Warning! SMART Attribute Data Structure error: invalid SMART checksum.",
          "severity": "warning"}]},
        "device": {"name": "/dev/sdz", "protocol": "ATA"}, "model_name": "X",
        "ata_smart_attributes": {"revision": 16, "table": [{"id": 5, "value": 100, "worst": 100,
          "thresh": 10, "flags": {"value": 51}, "raw": {"value": 3, "string": "3"}}]}})";
    const auto result = import_smartctl_json(text, "synthetic.json");
    REQUIRE(result.disk.has_value());
    const auto& smart = *result.disk->ata->smart;
    CHECK_FALSE(smart.checksum_valid);
    CHECK(smart.thresholds_checksum_valid);
    REQUIRE(smart.attributes.size() == 1);
    CHECK_FALSE(smart.attributes[0].trusted);
    // The message itself is kept as an Issue.
    CHECK(std::any_of(result.issues.begin(), result.issues.end(), [](const diag::Issue& i) {
        return i.reason.find("invalid SMART checksum") != std::string::npos;
    }));
}
