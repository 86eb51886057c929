// smartctl as the oracle: Debian's smartctl replays the ticket-1070 drive's `-r ataioctl,2`
// trace from standard input, and diag's probe of the same pages, recorded as a disk, must
// read what smartctl read. Skipped when smartctl is not installed (scripts/setup.sh installs
// smartmontools).

#include "integration/run_tool.hpp"
#include "support/shared_data.hpp"
#include "support/temp_dir.hpp"

#include <diag/disk/disk_probe.hpp>
#include <diag/disk/recorded_access.hpp>

#include <filesystem>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using nlohmann::json;

namespace {

std::filesystem::path smartctl_path() {
    for (const char* dir : {"/usr/sbin", "/sbin", "/usr/bin", "/usr/local/sbin"}) {
        const auto path = std::filesystem::path(dir) / "smartctl";
        if (std::filesystem::exists(path)) {
            return path;
        }
    }
    diag::test::skip("smartctl is not installed (scripts/setup.sh installs smartmontools)");
}

}  // namespace

TEST_CASE("oracle: the probed ticket-1070 disk reads as smartctl replays the drive's trace") {
    const auto ticket =
        diag::test::require_shared_data("smart/raw/ata-sat-trace-ticket1070-intel-ssdsc2kb019t7r");
    diag::test::ProcessOptions options;
    options.stdin_file = ticket / "replay-trace-ataioctl2.txt";
    const auto replay =
        diag::test::run_process({smartctl_path().string(), "-j", "-a", "-"}, options);
    INFO(diag::test::describe(replay));
    REQUIRE(json::accept(replay.out));
    const auto oracle = json::parse(replay.out);

    diag::test::TempDir dir;
    dir.write("sda/device.json",
              json{{"transport", "ata"},
                   {"commands",
                    {{"ata-identify", {{"file", (ticket / "identify-device.bin").string()}}},
                     {"ata-smart-read-data", {{"file", (ticket / "smart-read-data.bin").string()}}},
                     {"ata-smart-read-thresholds",
                      {{"file", (ticket / "smart-read-thresholds.bin").string()}}},
                     {"ata-smart-read-log-00",
                      {{"file", (ticket / "smart-read-log-00-directory.bin").string()}}},
                     {"ata-smart-read-log-06",
                      {{"file", (ticket / "smart-read-log-06-selftest.bin").string()}}},
                     {"ata-smart-return-status",
                      {{"registers", {{"lba_mid", "0x4f"}, {"lba_high", "0xc2"}}}}}}}}
                  .dump());
    diag::disk::RecordedAccess access(dir.path().string());
    const auto devices = diag::disk::discover_recorded_devices(dir.path().string()).data;
    REQUIRE(devices.size() == 1);
    const auto disk = diag::disk::probe_disk(access, devices[0], {});
    REQUIRE(disk.record.has_value());
    const auto& record = *disk.record;

    CHECK(record.identity.model == oracle["model_name"].get<std::string>());
    CHECK(record.identity.serial == oracle["serial_number"].get<std::string>());
    CHECK(record.identity.firmware == oracle["firmware_version"].get<std::string>());
    CHECK(record.identity.capacity_bytes == oracle["user_capacity"]["bytes"].get<std::uint64_t>());
    CHECK(record.smart_status_passed == oracle["smart_status"]["passed"].get<bool>());
    CHECK(record.temperature_celsius == oracle["temperature"]["current"].get<int>());
    CHECK(record.power_on_hours == oracle["power_on_time"]["hours"].get<std::uint64_t>());

    const auto& table = oracle["ata_smart_attributes"]["table"];
    REQUIRE(record.ata->smart->attributes.size() == table.size());
    for (const auto& row : table) {
        const auto id = row["id"].get<std::uint8_t>();
        INFO("attribute " << int{id});
        const auto* attribute = record.ata->smart->find(id);
        REQUIRE(attribute != nullptr);
        CHECK(attribute->value == row["value"].get<unsigned>());
        CHECK(attribute->worst == row["worst"].get<unsigned>());
        CHECK(attribute->threshold ==
              std::optional<std::uint8_t>(row["thresh"].get<std::uint8_t>()));
        CHECK(attribute->raw48() == (row["raw"]["value"].get<std::uint64_t>() & 0xFFFFFFFFFFFFULL));
    }
    const auto& tests = oracle["ata_smart_self_test_log"]["standard"]["table"];
    REQUIRE(record.ata->self_test_log.has_value());
    CHECK(record.ata->self_test_log->entries.size() == tests.size());
}
