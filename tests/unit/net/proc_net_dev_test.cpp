#include "support/shared_data.hpp"

#include <diag/net/proc_net_dev.hpp>

#include <algorithm>

#include <catch2/catch.hpp>

using diag::net::LinkCounter;
using diag::net::parse_proc_net_dev;
using diag::net::ProcNetDevRow;

namespace {

const ProcNetDevRow* row_named(const std::vector<ProcNetDevRow>& rows, std::string_view name) {
    const auto it =
        std::find_if(rows.begin(), rows.end(), [&](const auto& r) { return r.name == name; });
    return it == rows.end() ? nullptr : &*it;
}

}  // namespace

TEST_CASE("proc/net/dev: every line of node_exporter's trap file is an interface") {
    const auto text = diag::test::read_file(
        diag::test::require_shared_data("sysfs-fixtures/node_exporter/proc/net/dev"));
    const auto dev = parse_proc_net_dev(text);
    CHECK(dev.skipped_lines == 0);
    REQUIRE(dev.rows.size() == 10);

    SECTION("a counter glued to the colon is still read") {
        const auto* eth0 = row_named(dev.rows, "eth0");
        REQUIRE(eth0 != nullptr);
        CHECK(eth0->rx_bytes == 68210035552ULL);
        CHECK(eth0->rx_packets == 520993275ULL);
        CHECK(eth0->tx_bytes == 9315587528ULL);
        CHECK(eth0->tx_packets == 43451486ULL);
    }
    SECTION("a name holding a colon keeps it") {
        const auto* alias = row_named(dev.rows, "ibr10:30");
        REQUIRE(alias != nullptr);
        CHECK(alias->rx_packets == 0);
    }
    SECTION("a dotted name and its tx drops") {
        const auto* flannel = row_named(dev.rows, "flannel.1");
        REQUIRE(flannel != nullptr);
        CHECK(flannel->tx_dropped == 64);
        CHECK(flannel->tx_packets == 258369223ULL);
    }
    SECTION("a UTF-8 name is kept byte for byte") {
        const auto* emoji = row_named(dev.rows,
                                      "\xf0\x9f\x92\xa9"
                                      "0");
        REQUIRE(emoji != nullptr);
        CHECK(emoji->rx_multicast == 72);
    }
}

TEST_CASE("proc/net/dev: summed columns never pass for a single kernel counter") {
    const auto dev = parse_proc_net_dev(
        "Inter-|   Receive |  Transmit\n"
        " face |bytes packets errs drop fifo frame compressed multicast|bytes packets errs drop "
        "fifo colls carrier compressed\n"
        "  eth1: 100 10 1 7 2 3 0 4 200 20 5 6 8 9 11 0\n");
    REQUIRE(dev.rows.size() == 1);
    const auto& row = dev.rows[0];
    CHECK(row.rx_dropped_and_missed == 7);
    CHECK(row.rx_frame_group == 3);
    CHECK(row.tx_carrier_group == 11);
    const auto counters = row.exact_counters();
    CHECK(counters.get(LinkCounter::rx_packets) == 10U);
    CHECK(counters.get(LinkCounter::tx_dropped) == 6U);
    CHECK(counters.get(LinkCounter::rx_fifo_errors) == 2U);
    CHECK(counters.get(LinkCounter::collisions) == 9U);
    CHECK_FALSE(counters.get(LinkCounter::rx_dropped).has_value());
    CHECK_FALSE(counters.get(LinkCounter::rx_missed_errors).has_value());
    CHECK_FALSE(counters.get(LinkCounter::rx_crc_errors).has_value());
    CHECK_FALSE(counters.get(LinkCounter::tx_carrier_errors).has_value());
}

TEST_CASE("proc/net/dev: a line with a missing or non-numeric column is counted, not guessed") {
    const auto dev = parse_proc_net_dev(
        "  eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15\n"
        "  eth1: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 x\n"
        "no colon here 1 2 3\n"
        "  eth2: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n");
    CHECK(dev.skipped_lines == 3);
    REQUIRE(dev.rows.size() == 1);
    CHECK(dev.rows[0].name == "eth2");
    CHECK(dev.rows[0].tx_compressed == 16);
}

TEST_CASE("proc/net/dev: the captured veth shows the MTU-mismatch drops of the transmit side") {
    const auto text = diag::test::read_file(diag::test::require_shared_data(
        "sysfs-fixtures/captured-veth-linux-6.18/t1/nsA/proc/net/dev"));
    const auto dev = parse_proc_net_dev(text);
    const auto* va = row_named(dev.rows, "va");
    REQUIRE(va != nullptr);
    CHECK(va->tx_dropped == 39);
    CHECK(va->tx_packets == 299689);
    CHECK(row_named(dev.rows, "lo") != nullptr);
}
