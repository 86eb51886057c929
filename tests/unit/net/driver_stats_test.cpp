#include "support/shared_data.hpp"

#include <diag/net/driver_info.hpp>
#include <diag/net/driver_stats.hpp>

#include <array>
#include <cstring>

#include <catch2/catch.hpp>

using diag::net::classify_driver_stat;
using diag::net::DriverStatKind;
using diag::net::parse_ethtool_stats_text;

TEST_CASE("ethtool -S: e1000e text with dotted, spaced and near-duplicate names") {
    const auto text = diag::test::read_file(
        diag::test::require_shared_data("sysfs-fixtures/node_exporter/ethtool/eth0/statistics"));
    const auto stats = parse_ethtool_stats_text(text);
    CHECK_FALSE(stats.error.has_value());
    CHECK(stats.skipped_lines == 0);
    CHECK(stats.stats.size() == 16);
    CHECK(stats.find("port.rx_dropped") == 12028U);
    CHECK(stats.find("rx_missed") == 401U);
    CHECK(stats.find("duplicate metric") == 1U);
    CHECK(stats.find("duplicate_metric") == 2U);
    CHECK(stats.repeated_names.empty());
    CHECK_FALSE(stats.find("NIC statistics").has_value());
}

TEST_CASE("ethtool -S: a bare \"ERROR: 1\" is an error, not a statistic named ERROR") {
    const auto text = diag::test::read_file(
        diag::test::require_shared_data("sysfs-fixtures/node_exporter/ethtool/bond0/statistics"));
    const auto stats = parse_ethtool_stats_text(text);
    REQUIRE(stats.error.has_value());
    CHECK(*stats.error == "ERROR: 1");
    CHECK(stats.stats.empty());
}

TEST_CASE("ethtool -S: a name the driver repeats is kept twice and reported") {
    const auto stats = parse_ethtool_stats_text(
        "NIC statistics:\n     rx_drops: 3\n     tx_drops: 1\n     rx_drops: 5\n   junk line\n");
    REQUIRE(stats.stats.size() == 3);
    CHECK(stats.find("rx_drops") == 3U);
    CHECK(stats.stats[2].value == 5);
    REQUIRE(stats.repeated_names.size() == 1);
    CHECK(stats.repeated_names[0] == "rx_drops");
    CHECK(stats.skipped_lines == 1);
}

TEST_CASE("ethtool -S: the veth driver's per-queue listing of Linux 6.18") {
    const auto text = diag::test::read_file(diag::test::require_shared_data(
        "sysfs-fixtures/captured-veth-linux-6.18/t1/nsB/ethtool-S.txt"));
    const auto stats = parse_ethtool_stats_text(text);
    CHECK(stats.find("peer_ifindex") == 6U);
    CHECK(stats.find("rx_queue_0_drops") == 0U);
    CHECK(stats.stats.size() == 10);
}

TEST_CASE("ethtool GSTRINGS and GSTATS answers pair up name by name") {
    std::array<char, 3 * diag::net::kEthtoolStringLength> strings{};
    std::memcpy(strings.data(), "rx_crc_errors", 13);
    // A name of exactly 32 characters has no terminating NUL.
    std::memcpy(strings.data() + 32, "abcdefghijklmnopqrstuvwxyz012345", 32);
    std::memcpy(strings.data() + 64, "rx_crc_errors", 13);
    const std::array<std::uint64_t, 2> values{7, 9};
    const auto stats = diag::net::pair_driver_stats(strings, values);
    REQUIRE(stats.stats.size() == 2);
    CHECK(stats.stats[0].name == "rx_crc_errors");
    CHECK(stats.stats[0].value == 7);
    CHECK(stats.stats[1].name == "abcdefghijklmnopqrstuvwxyz012345");
    CHECK(stats.stats[1].value == 9);
}

TEST_CASE("driver statistics are sorted into layers by their common names") {
    CHECK(classify_driver_stat("rx_crc_errors") == DriverStatKind::crc_errors);
    CHECK(classify_driver_stat("rx_crc_errors_phy") == DriverStatKind::crc_errors);
    CHECK(classify_driver_stat("align_errors") == DriverStatKind::alignment_errors);
    CHECK(classify_driver_stat("rx_symbol_err_phy") == DriverStatKind::symbol_errors);
    CHECK(classify_driver_stat("tx_late_coll") == DriverStatKind::late_collisions);
    CHECK(classify_driver_stat("rx_missed") == DriverStatKind::rx_missed);
    CHECK(classify_driver_stat("rx_no_buffer_count") == DriverStatKind::rx_no_buffer);
    CHECK(classify_driver_stat("port.rx_dropped") == DriverStatKind::rx_no_buffer);
    CHECK_FALSE(classify_driver_stat("rx_queue_0_drops").has_value());
    CHECK_FALSE(classify_driver_stat("tx_packets").has_value());
}

TEST_CASE("ethtool -i: driver, firmware and bus of an e1000e") {
    const auto text = diag::test::read_file(
        diag::test::require_shared_data("sysfs-fixtures/node_exporter/ethtool/eth0/driver"));
    const auto info = diag::net::parse_ethtool_driver_text(text);
    REQUIRE(info.has_value());
    CHECK(info->driver == "e1000e");
    CHECK(info->firmware_version == "0.5-4");
    CHECK(info->bus_info == "0000:00:1f.6");
    CHECK_FALSE(diag::net::parse_ethtool_driver_text("ERROR: 1").has_value());
}
