// ATA page decoders against real captured pages: the libatasmart blobs (checked against
// smartctl 7.3's decode of the same bytes) and the ticket-1070 SAT trace pages.

#include "unit/disk/disk_test_data.hpp"

#include <diag/disk/ata_checksum.hpp>
#include <diag/disk/ata_error_log.hpp>
#include <diag/disk/ata_log_directory.hpp>
#include <diag/disk/ata_pages.hpp>
#include <diag/disk/ata_self_test_log.hpp>
#include <diag/disk/skblob.hpp>

#include <catch2/catch.hpp>

using diag::disk::page_bytes;
using nlohmann::json;

namespace {

constexpr std::uint64_t kRaw48Mask = 0xFFFFFFFFFFFFULL;

std::string when_failed(diag::disk::ThresholdState state) {
    switch (state) {
        case diag::disk::ThresholdState::failed_now:
            return "now";
        case diag::disk::ThresholdState::failed_past:
            return "past";
        default:
            return "";
    }
}

// Our attribute table against smartctl's: id, value, worst, threshold, flags, raw value and
// the threshold verdict; names are left out on purpose (ours are our own).
void check_attributes_equal(const diag::disk::AtaSmartData& ours, const json& table) {
    REQUIRE(ours.attributes.size() == table.size());
    for (const auto& row : table) {
        const auto id = row["id"].get<std::uint8_t>();
        INFO("attribute " << int{id} << " " << row["name"].get<std::string>());
        const auto* attribute = ours.find(id);
        REQUIRE(attribute != nullptr);
        CHECK(attribute->value == row["value"].get<unsigned>());
        CHECK(attribute->worst == row["worst"].get<unsigned>());
        REQUIRE(attribute->threshold.has_value());
        CHECK(*attribute->threshold == row["thresh"].get<unsigned>());
        CHECK(attribute->flags == row["flags"]["value"].get<unsigned>());
        // smartctl's raw.value is the six raw bytes, with the reserved byte above them for
        // its 56-bit formats.
        const auto raw = row["raw"]["value"].get<std::uint64_t>();
        CHECK(attribute->raw48() == (raw & kRaw48Mask));
        if (raw > kRaw48Mask) {
            CHECK(attribute->reserved == (raw >> 48U));
        }
        CHECK(when_failed(threshold_state(*attribute)) == row["when_failed"].get<std::string>());
    }
}

void check_identity_equal(const diag::disk::DiskRecord& record, const json& replay) {
    const auto& identify = *record.ata->identify;
    CHECK(identify.model == replay["model_name"].get<std::string>());
    CHECK(identify.serial == replay["serial_number"].get<std::string>());
    CHECK(identify.firmware == replay["firmware_version"].get<std::string>());
    REQUIRE(identify.capacity_bytes.has_value());
    CHECK(*identify.capacity_bytes == replay["user_capacity"]["bytes"].get<std::uint64_t>());
    REQUIRE(identify.major_version_word.has_value());
    CHECK(*identify.major_version_word == replay["ata_version"]["major_value"].get<unsigned>());
    CHECK(identify.smart_supported);
    if (replay.contains("rotation_rate")) {
        const auto rpm = replay["rotation_rate"].get<unsigned>();
        CHECK(identify.solid_state == std::optional<bool>(rpm == 0));
        if (rpm != 0) {
            CHECK(identify.rotation_rate_rpm == std::optional<std::uint16_t>(rpm));
        }
    } else {
        CHECK_FALSE(identify.solid_state.has_value());
        CHECK_FALSE(identify.rotation_rate_rpm.has_value());
    }
}

void check_status_equal(const diag::disk::AtaPages& pages, const json& replay) {
    if (pages.return_status_passed) {
        CHECK(*pages.return_status_passed == replay["smart_status"]["passed"].get<bool>());
        return;
    }
    // No SMST section: smartctl had no RETURN STATUS either and judged by attributes.
    REQUIRE(replay["smartctl"].contains("messages"));
    CHECK(replay["smartctl"]["messages"][0]["string"].get<std::string>().find("Attribute check") !=
          std::string::npos);
}

}  // namespace

TEST_CASE("ata: every libatasmart blob decodes to the table smartctl 7.3 read from the bytes") {
    const auto dir = diag::test::require_shared_data("smart/raw/ata-libatasmart-blobs");
    const auto blobs = diag::test::files_ending(dir, ".skblob");
    REQUIRE(blobs.size() == 17);
    for (const auto& blob : blobs) {
        INFO(blob.filename().string());
        const auto bytes = diag::test::read_bytes(blob);
        const auto pages = diag::disk::ata_pages_from_skblob(page_bytes(bytes));
        CHECK(pages.problems.empty());
        REQUIRE(pages.value.identify.has_value());
        REQUIRE(pages.value.smart_data.has_value());
        REQUIRE(pages.value.thresholds.has_value());

        const auto record = diag::disk::build_ata_record(pages.value, "");
        CHECK(record.issues.empty());
        const auto replay =
            diag::test::read_json(diag::test::stem_of(blob) + ".smartctl73-replay.json");
        const auto& smart = *record.ata->smart;
        CHECK(smart.checksum_valid);
        CHECK(smart.thresholds_checksum_valid);
        check_attributes_equal(smart, replay["ata_smart_attributes"]["table"]);
        check_identity_equal(record, replay);
        check_status_equal(pages.value, replay);
        const auto& data = replay["ata_smart_data"];
        CHECK(smart.offline_status ==
              data["offline_data_collection"]["status"]["value"].get<unsigned>());
        CHECK(smart.self_test_status == data["self_test"]["status"]["value"].get<unsigned>());
    }
}

TEST_CASE("ata: temperature and power-on hours agree with smartctl where both read them alike") {
    const auto dir = diag::test::require_shared_data("smart/raw/ata-libatasmart-blobs");
    for (const auto& blob : diag::test::files_ending(dir, ".skblob")) {
        INFO(blob.filename().string());
        const auto bytes = diag::test::read_bytes(blob);
        const auto record = diag::disk::build_ata_record(
            diag::disk::ata_pages_from_skblob(page_bytes(bytes)).value, "");
        const auto replay =
            diag::test::read_json(diag::test::stem_of(blob) + ".smartctl73-replay.json");
        if (replay.contains("temperature")) {
            CHECK(record.temperature_celsius == replay["temperature"]["current"].get<int>());
        } else {
            CHECK_FALSE(record.temperature_celsius.has_value());
        }
        // FUJITSU MHY2xx0BH 0085000B: smartctl's drivedb reads attribute 9 as hours,
        // libatasmart (and diag, see ata_quirks.cpp) as minutes: 129691 "hours" on a laptop
        // drive with 493 power cycles is 14.8 years, 129691 minutes is 3 months.
        const bool fujitsu_minutes = blob.filename().string().find("0085000B") != std::string::npos;
        if (replay.contains("power_on_time") && !fujitsu_minutes) {
            CHECK(record.power_on_hours == replay["power_on_time"]["hours"].get<std::uint64_t>());
        }
        if (fujitsu_minutes) {
            CHECK(*record.power_on_hours ==
                  replay["power_on_time"]["hours"].get<std::uint64_t>() / 60);
        }
    }
}

TEST_CASE("ata: a flipped byte in SMART READ DATA is reported and the values kept as untrusted") {
    const auto dir = diag::test::require_shared_data("smart/raw/ata-libatasmart-blobs");
    const auto bytes = diag::test::read_bytes(dir / "Maxtor_96147H8--BAC51KJ0.skblob");
    auto pages = diag::disk::ata_pages_from_skblob(page_bytes(bytes)).value;
    REQUIRE(pages.smart_data.has_value());
    auto& data = *pages.smart_data;
    REQUIRE(diag::disk::ata_checksum_valid(page_bytes(data)));

    // Attribute entries start at offset 2, 12 bytes each; raw byte 0 sits at +5. Raise
    // attribute 5's raw count from 69 to 70.
    std::size_t entry = 2;
    while (entry < 2 + 30 * 12 && data[entry] != 5) {
        entry += 12;
    }
    REQUIRE(data[entry] == 5);
    data[entry + 5] = static_cast<std::uint8_t>(data[entry + 5] + 1);
    CHECK_FALSE(diag::disk::ata_checksum_valid(page_bytes(data)));

    const auto decoded = diag::disk::decode_ata_smart_data(page_bytes(data));
    CHECK_FALSE(decoded.value.checksum_valid);
    REQUIRE(decoded.problems.size() == 1);
    CHECK(decoded.problems[0].find("checksum") != std::string::npos);
    const auto* reallocated = decoded.value.find(5);
    REQUIRE(reallocated != nullptr);
    CHECK(reallocated->raw48() == 70);
    CHECK_FALSE(reallocated->trusted);

    const auto record = diag::disk::build_ata_record(pages, "/dev/sdx");
    REQUIRE(record.issues.size() == 1);
    CHECK(record.issues[0].subject == "/dev/sdx");
    CHECK(record.issues[0].reason.find("SMART READ DATA") != std::string::npos);
}

TEST_CASE("ata: a blob whose section runs past the end keeps the sections before it") {
    const auto dir = diag::test::require_shared_data("smart/raw/ata-libatasmart-blobs");
    auto bytes = diag::test::read_bytes(dir / "SAMSUNG_HD501LJ--CR100-12.skblob");
    bytes.resize(bytes.size() - 100);  // cut into the last section (SMTH)
    const auto sections = diag::disk::parse_skblob(page_bytes(bytes));
    REQUIRE(sections.problems.size() == 1);
    CHECK(sections.problems[0].find("claims 512 bytes") != std::string::npos);
    REQUIRE(sections.value.size() == 3);
    CHECK(sections.value[0].tag == "IDFY");
    CHECK(sections.value[2].tag == "SMDT");
}

TEST_CASE("ata: the ticket-1070 SAT pages decode as smartctl 7.3 replayed them") {
    const auto dir =
        diag::test::require_shared_data("smart/raw/ata-sat-trace-ticket1070-intel-ssdsc2kb019t7r");
    diag::disk::AtaPages pages;
    pages.identify = diag::test::read_bytes(dir / "identify-device.bin");
    pages.smart_data = diag::test::read_bytes(dir / "smart-read-data.bin");
    pages.thresholds = diag::test::read_bytes(dir / "smart-read-thresholds.bin");
    pages.self_test_log = diag::test::read_bytes(dir / "smart-read-log-06-selftest.bin");
    pages.return_status_passed = diag::disk::decode_smart_return_status(0x4F, 0xC2);
    const auto record = diag::disk::build_ata_record(pages, "/dev/sda");
    CHECK(record.issues.empty());

    const auto replay = diag::test::read_json(dir / "smartctl73-replay-a.json");
    check_identity_equal(record, replay);
    CHECK(record.identity.solid_state == std::optional<bool>(true));
    check_attributes_equal(*record.ata->smart, replay["ata_smart_attributes"]["table"]);
    CHECK(record.smart_status_passed == std::optional<bool>(true));
    CHECK(record.temperature_celsius == replay["temperature"]["current"].get<int>());
    CHECK(record.power_on_hours == replay["power_on_time"]["hours"].get<std::uint64_t>());

    // The self-test ring starts at byte 508's index and runs newest first, as smartctl
    // prints it.
    const auto& table = replay["ata_smart_self_test_log"]["standard"]["table"];
    const auto& entries = record.ata->self_test_log->entries;
    REQUIRE(entries.size() == table.size());
    for (std::size_t i = 0; i < entries.size(); ++i) {
        INFO("self-test entry " << i);
        CHECK(entries[i].test_type == table[i]["type"]["value"].get<unsigned>());
        CHECK(entries[i].status_byte == table[i]["status"]["value"].get<unsigned>());
        CHECK(entries[i].hours_logged == table[i]["lifetime_hours"].get<unsigned>());
        CHECK(entries[i].lifetime_hours == table[i]["lifetime_hours"].get<std::uint64_t>());
    }
}

TEST_CASE("ata: the ticket-1070 log directory lists the logs the drive has and not 01h or 09h") {
    const auto dir =
        diag::test::require_shared_data("smart/raw/ata-sat-trace-ticket1070-intel-ssdsc2kb019t7r");
    const auto bytes = diag::test::read_bytes(dir / "smart-read-log-00-directory.bin");
    const auto directory = diag::disk::decode_ata_log_directory(page_bytes(bytes));
    CHECK(directory.problems.empty());
    CHECK(directory.value.version == 1);
    CHECK(directory.value.pages(0x06) == 1);
    CHECK(directory.value.pages(0x02) == 8);
    CHECK(directory.value.pages(0x30) == 9);
    // The drive keeps no summary error log (01h) and no selective self-test log (09h): the
    // trace shows READ LOG 09h aborted with ABRT.
    CHECK(directory.value.pages(0x01) == 0);
    CHECK(directory.value.pages(0x09) == 0);
}

TEST_CASE("ata: SMART RETURN STATUS reads 4Fh/C2h as passed, F4h/2Ch as failing, else unknown") {
    const auto dir =
        diag::test::require_shared_data("smart/raw/ata-sat-trace-ticket1070-intel-ssdsc2kb019t7r");
    const auto vectors = diag::test::read_json(dir / "sat-passthrough-vectors.json");
    const auto& registers = vectors["smart_return_status"]["ata_output_registers"];
    const auto reg = [](const json& text) {
        return static_cast<std::uint8_t>(std::stoul(text.get<std::string>(), nullptr, 16));
    };
    CHECK(diag::disk::decode_smart_return_status(
              reg(registers["lba_mid"]), reg(registers["lba_high"])) == std::optional<bool>(true));
    CHECK(diag::disk::decode_smart_return_status(0xF4, 0x2C) == std::optional<bool>(false));
    CHECK_FALSE(diag::disk::decode_smart_return_status(0x00, 0x00).has_value());
}
