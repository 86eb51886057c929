#include "support/shared_data.hpp"

#include <diag/net/softnet_stat.hpp>

#include <catch2/catch.hpp>

using diag::net::parse_softnet_stat;
using diag::net::softnet_delta;

TEST_CASE("softnet_stat: the 11-column layout has no CPU ids and hex counters") {
    const auto text = diag::test::read_file(
        diag::test::require_shared_data("sysfs-fixtures/node_exporter/proc/net/softnet_stat"));
    const auto stat = parse_softnet_stat(text);
    CHECK(stat.columns == 11);
    CHECK(stat.skipped_lines == 0);
    REQUIRE(stat.cpus.size() == 4);
    CHECK_FALSE(stat.cpus[0].cpu.has_value());
    CHECK(stat.cpus[0].processed == 0x49279U);
    CHECK(stat.cpus[1].dropped == 0x29U);
    CHECK(stat.cpus[1].time_squeeze == 0x0aU);
    CHECK(stat.cpus[2].time_squeeze == 0x55U);
    CHECK(stat.cpus[3].line == 3);
    CHECK(stat.cpus[3].flow_limit_count == 0U);
    CHECK_FALSE(stat.cpus[3].backlog_length.has_value());
}

TEST_CASE("softnet_stat: the 15-column layout of Linux 6.18 names each CPU") {
    const auto text = diag::test::read_file(diag::test::require_shared_data(
        "sysfs-fixtures/captured-veth-linux-6.18/t1/nsA/proc/net/softnet_stat"));
    const auto stat = parse_softnet_stat(text);
    CHECK(stat.columns == 15);
    REQUIRE(stat.cpus.size() == 2);
    CHECK(stat.cpus[0].cpu == 0U);
    CHECK(stat.cpus[1].cpu == 1U);
    CHECK(stat.cpus[1].processed == 0x1018fU);
    CHECK(stat.cpus[1].time_squeeze == 3U);
    CHECK(stat.cpus[1].input_queue_length == 0U);
    CHECK(stat.cpus[1].process_queue_length == 0U);
}

TEST_CASE("softnet_stat: the 13-column layout keeps CPU ids across an offline CPU") {
    // Linux 5.10 to 6.3: backlog length and CPU id; CPU 1 offline, so the lines are CPUs 0 and 2.
    const auto stat = parse_softnet_stat(
        "0000000a 00000001 00000002 00000000 00000000 00000000 00000000 00000000 00000000 "
        "00000004 00000000 00000003 00000000\n"
        "ffffffff 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 "
        "00000000 00000000 00000000 00000002\n");
    CHECK(stat.columns == 13);
    REQUIRE(stat.cpus.size() == 2);
    CHECK(stat.cpus[0].cpu == 0U);
    CHECK(stat.cpus[0].received_rps == 4U);
    CHECK(stat.cpus[0].backlog_length == 3U);
    CHECK(stat.cpus[1].cpu == 2U);
    CHECK(stat.cpus[1].line == 1);
    CHECK(stat.cpus[1].processed == 0xffffffffU);
    CHECK_FALSE(stat.cpus[1].input_queue_length.has_value());
}

TEST_CASE("softnet_stat: lines that are not hex are skipped and counted") {
    const auto stat =
        parse_softnet_stat("zzzz 0 0\n00000001 00000002\n00000001 00000002 0000000f\n");
    CHECK(stat.skipped_lines == 2);
    REQUIRE(stat.cpus.size() == 1);
    CHECK(stat.cpus[0].time_squeeze == 15U);
}

TEST_CASE("softnet_stat: a delta survives one wrap of the 32-bit counter") {
    CHECK(softnet_delta(10, 25) == 15);
    CHECK(softnet_delta(0xfffffff0U, 0x10U) == 0x20U);
    CHECK(softnet_delta(7, 7) == 0);
}
