// NVMe log decoders against the ecclesia pages and the nvme-cli values quoted with them.

#include "unit/disk/disk_test_data.hpp"

#include <diag/disk/disk_assess.hpp>
#include <diag/disk/nvme_error_log.hpp>
#include <diag/disk/nvme_health.hpp>
#include <diag/disk/nvme_identify.hpp>
#include <diag/disk/nvme_pages.hpp>
#include <diag/disk/nvme_self_test_log.hpp>

#include <algorithm>
#include <cstring>

#include <catch2/catch.hpp>

using diag::disk::page_bytes;

namespace {

std::uint64_t u64(const std::optional<diag::disk::Counter128>& counter) {
    REQUIRE(counter.has_value());
    REQUIRE(counter->to_u64().has_value());
    return *counter->to_u64();
}

void put_le(std::vector<std::uint8_t>& page, std::size_t at, std::uint64_t value,
            std::size_t width) {
    for (std::size_t i = 0; i < width; ++i) {
        page[at + i] = static_cast<std::uint8_t>(value >> (8U * i));
    }
}

void put_text(std::vector<std::uint8_t>& page, std::size_t at, std::size_t width,
              const std::string& text) {
    std::fill_n(page.begin() + static_cast<std::ptrdiff_t>(at), width, ' ');
    std::memcpy(page.data() + at, text.data(), std::min(width, text.size()));
}

// Identify Controller built for these tests: the fields diag reads, the rest zero.
std::vector<std::uint8_t> identify_page() {
    std::vector<std::uint8_t> page(4096, 0);
    put_le(page, 0, 0x144D, 2);
    put_text(page, 4, 20, "S466NX0M776250H");
    put_text(page, 24, 40, "Samsung SSD 970 EVO 500GB");
    put_text(page, 64, 8, "2B2QEXE7");
    put_le(page, 256, 0x0017, 2);  // OACS: self-test (bit 4) among others
    page[262] = 63;
    put_le(page, 266, 358, 2);      // WCTEMP 85 C
    put_le(page, 268, 358 + 3, 2);  // CCTEMP 88 C
    put_le(page, 280, 500107862016ULL, 8);
    put_le(page, 516, 1, 4);
    return page;
}

}  // namespace

TEST_CASE("nvme: the ecclesia SMART / Health log decodes to the values nvme-cli printed") {
    const auto dir = diag::test::require_shared_data("smart/raw/nvme-ecclesia-logpages");
    const auto bytes = diag::test::read_bytes(dir / "nvme-smart-health-log-lid02.bin");
    const auto expected = diag::test::read_json(
        dir / "nvme-smart-health-log-lid02.expected.json")["decoded_from_bin_by_offsets"];
    const auto decoded = diag::disk::decode_nvme_health(page_bytes(bytes));
    CHECK(decoded.problems.empty());
    const auto& h = decoded.value;
    CHECK(h.critical_warning == expected["critical_warning"].get<unsigned>());
    CHECK(h.temperature_kelvin == expected["temperature_kelvin"].get<unsigned>());
    CHECK(h.temperature_celsius == std::optional<int>(41));  // nvme-cli: "41 C / 314 K"
    CHECK(h.available_spare_pct == expected["available_spare"].get<unsigned>());
    CHECK(h.available_spare_threshold_pct == expected["available_spare_threshold"].get<unsigned>());
    CHECK(h.percentage_used_pct == expected["percentage_used"].get<unsigned>());
    CHECK(u64(h.data_units_read) == expected["data_units_read"].get<std::uint64_t>());
    CHECK(u64(h.data_units_written) == expected["data_units_written"].get<std::uint64_t>());
    CHECK(u64(h.host_read_commands) == expected["host_read_commands"].get<std::uint64_t>());
    CHECK(u64(h.host_write_commands) == expected["host_write_commands"].get<std::uint64_t>());
    CHECK(u64(h.controller_busy_minutes) == expected["controller_busy_time"].get<std::uint64_t>());
    CHECK(u64(h.power_cycles) == expected["power_cycles"].get<std::uint64_t>());
    CHECK(u64(h.power_on_hours) == expected["power_on_hours"].get<std::uint64_t>());
    CHECK(u64(h.unsafe_shutdowns) == expected["unsafe_shutdowns"].get<std::uint64_t>());
    CHECK(u64(h.media_errors) == expected["media_errors"].get<std::uint64_t>());
    CHECK(u64(h.error_log_entries) == expected["num_err_log_entries"].get<std::uint64_t>());
    CHECK(h.warning_temperature_minutes == expected["warning_temp_time"].get<std::uint32_t>());
    CHECK(h.critical_temperature_minutes == expected["critical_comp_time"].get<std::uint32_t>());
    // 1044 data units of 1000 x 512 bytes.
    CHECK(diag::disk::nvme_data_units_bytes(*h.data_units_read) == 1044.0 * 512000.0);
}

TEST_CASE("nvme: the ecclesia Device Self-test log gives three passed results at hour 95") {
    const auto dir = diag::test::require_shared_data("smart/raw/nvme-ecclesia-logpages");
    const auto bytes = diag::test::read_bytes(dir / "nvme-device-self-test-log-lid06.bin");
    const auto expected = diag::test::read_json(
        dir / "nvme-device-self-test-log-lid06.expected.json")["nvme_cli_reported"];
    const auto decoded = diag::disk::decode_nvme_self_test_log(page_bytes(bytes));
    CHECK(decoded.problems.empty());
    CHECK(decoded.value.current_operation == expected["current_operation"].get<unsigned>());
    CHECK(decoded.value.current_completion_pct ==
          expected["current_completion_pct"].get<unsigned>());
    const auto& results = expected["results"];
    REQUIRE(decoded.value.results.size() == results.size());
    for (std::size_t i = 0; i < results.size(); ++i) {
        INFO("result " << i);
        const auto& ours = decoded.value.results[i];
        CHECK(ours.code == results[i]["self_test_code"].get<unsigned>());
        CHECK(ours.result == results[i]["operation_result"].get<unsigned>());
        CHECK(ours.power_on_hours == results[i]["power_on_hours"].get<std::uint64_t>());
        CHECK(ours.valid_info == results[i]["valid_diagnostic_information"].get<unsigned>());
        CHECK_FALSE(ours.failing_lba.has_value());
        CHECK_FALSE(ours.failed());
    }
    CHECK(diag::disk::nvme_self_test_code_name(decoded.value.results[0].code) == "extended");
}

TEST_CASE("nvme: a short SMART / Health log keeps the fields that fit and says so") {
    const auto dir = diag::test::require_shared_data("smart/raw/nvme-ecclesia-logpages");
    auto bytes = diag::test::read_bytes(dir / "nvme-smart-health-log-lid02.bin");
    bytes.resize(150);
    const auto decoded = diag::disk::decode_nvme_health(page_bytes(bytes));
    REQUIRE(decoded.problems.size() == 1);
    CHECK(decoded.value.temperature_kelvin == std::optional<std::uint16_t>(314));
    CHECK(u64(decoded.value.power_on_hours) == 408);
    CHECK_FALSE(decoded.value.media_errors.has_value());
    CHECK_FALSE(decoded.value.warning_temperature_minutes.has_value());
}

TEST_CASE("nvme: every critical warning bit has a name, reserved bits included") {
    const auto all = diag::disk::nvme_critical_warnings(0xFF);
    REQUIRE(all.size() == 8);
    CHECK(all[0].name == "available_spare_low");
    CHECK(all[1].name == "temperature");
    CHECK(all[2].name == "reliability_degraded");
    CHECK(all[3].name == "read_only");
    CHECK(all[4].name == "volatile_backup_failed");
    CHECK(all[5].name == "persistent_memory_unreliable");
    CHECK(all[7].name == "reserved_bit_7");
    const auto two = diag::disk::nvme_critical_warnings(0x0C);
    REQUIRE(two.size() == 2);
    CHECK(two[0].bit == 2);
    CHECK(two[1].bit == 3);
    CHECK(diag::disk::nvme_critical_warnings(0).empty());
}

TEST_CASE("nvme: error information entries decode, empty ones dropped, a partial one reported") {
    // Built for this test: entry 1 an unrecovered read error (status type 2, code 81h) on
    // LBA 0x1000 of namespace 1, entry 2 empty, then 10 stray bytes.
    std::vector<std::uint8_t> page(2 * 64 + 10, 0);
    put_le(page, 0, 62, 8);
    put_le(page, 8, 3, 2);
    put_le(page, 10, 0x0042, 2);
    put_le(page, 12, (2U << 9U) | (0x81U << 1U), 2);
    put_le(page, 16, 0x1000, 8);
    put_le(page, 24, 1, 4);
    const auto decoded = diag::disk::decode_nvme_error_log(page_bytes(page));
    REQUIRE(decoded.problems.size() == 1);
    REQUIRE(decoded.value.size() == 1);
    const auto& entry = decoded.value[0];
    CHECK(entry.error_count == 62);
    CHECK(entry.command_id == 0x42);
    CHECK(entry.status_code_type() == 2);
    CHECK(entry.status_code() == 0x81);
    CHECK(entry.media_error());
    CHECK(entry.lba == 0x1000);
    CHECK(entry.nsid == 1);
}

TEST_CASE("nvme: Identify Controller gives identity and the drive's temperature limits") {
    const auto page = identify_page();
    const auto decoded = diag::disk::decode_nvme_identify(page_bytes(page));
    CHECK(decoded.problems.empty());
    CHECK(decoded.value.model == "Samsung SSD 970 EVO 500GB");
    CHECK(decoded.value.serial == "S466NX0M776250H");
    CHECK(decoded.value.firmware == "2B2QEXE7");
    CHECK(decoded.value.self_test_supported);
    CHECK(decoded.value.warning_temperature_kelvin == std::optional<std::uint16_t>(358));
    CHECK(decoded.value.total_capacity_bytes->to_u64() ==
          std::optional<std::uint64_t>(500107862016ULL));
}

TEST_CASE("nvme: pages build a record judged against the drive's own WCTEMP and CCTEMP") {
    const auto dir = diag::test::require_shared_data("smart/raw/nvme-ecclesia-logpages");
    diag::disk::NvmePages pages;
    pages.identify = identify_page();
    pages.health = diag::test::read_bytes(dir / "nvme-smart-health-log-lid02.bin");
    pages.self_test_log = diag::test::read_bytes(dir / "nvme-device-self-test-log-lid06.bin");
    const auto record = diag::disk::build_nvme_record(pages, "/dev/nvme0");
    CHECK(record.issues.empty());
    CHECK(record.identity.model == "Samsung SSD 970 EVO 500GB");
    CHECK(record.temperature_celsius == std::optional<int>(41));
    CHECK(record.temperature_limits.warning_celsius == std::optional<int>(85));
    CHECK(record.temperature_limits.critical_celsius == std::optional<int>(88));
    CHECK(record.power_on_hours == std::optional<std::uint64_t>(408));

    const auto report = diag::disk::assess_disk(record);
    CHECK(report.worst() == diag::Severity::ok);
    const auto temperature =
        std::find_if(report.findings.begin(), report.findings.end(),
                     [](const diag::Finding& f) { return f.check == "disk.temperature"; });
    REQUIRE(temperature != report.findings.end());
    CHECK(temperature->source.find("WCTEMP") != std::string::npos);
    const auto selftest =
        std::find_if(report.findings.begin(), report.findings.end(),
                     [](const diag::Finding& f) { return f.check == "disk.selftest.failed"; });
    REQUIRE(selftest != report.findings.end());
    CHECK(selftest->summary == "3 self-tests logged, none failed");
}
