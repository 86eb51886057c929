// diag-nic's command line on captured roots: the output contracts, sampling refused offline,
// usage errors, and the diag front command.

#include "run_tool.hpp"
#include "support/contracts.hpp"
#include "support/shared_data.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

namespace {

std::string veth_root(int t, const char* side) {
    return diag::test::require_shared_data("sysfs-fixtures/captured-veth-linux-6.18/t" +
                                           std::to_string(t) + "/" + side)
        .string();
}

}  // namespace

TEST_CASE("diag-nic: a captured veth tree is judged since boot, each finding in its layer") {
    const auto run = diag::test::run_tool("diag-nic", {"--root", veth_root(2, "nsB"), "--json"});
    REQUIRE(run.exit_code == 0);
    const auto json = diag::test::json_of(run);
    CHECK(json.at("diag").at("tool") == "diag-nic");
    CHECK(json.at("worst_severity") == "info");
    CHECK(diag::test::has_finding(json, "net.nic.interface"));
    CHECK(diag::test::has_finding(json, "net.stack.drops"));
    CHECK(diag::test::has_finding(json, "net.link.flaps"));
    CHECK(diag::test::has_finding(json, "net.tcp.listen_overflows"));
    CHECK(diag::test::has_finding(json, "net.stack.udp_rcvbuf_errors"));
    CHECK(diag::test::has_issue(json, {"only possible on the live machine"}));
}

TEST_CASE("diag-nic: --interval under a captured root says it judged counters since boot") {
    const auto run =
        diag::test::run_tool("diag-nic", {"--root", veth_root(1, "nsA"), "--json", "-i", "1"});
    REQUIRE(run.exit_code == 0);
    const auto json = diag::test::json_of(run);
    CHECK(diag::test::has_issue(json, {"sampling needs the live machine"}));
}

TEST_CASE("diag-nic: Prometheus metrics carry device and driver labels and pass the checks") {
    diag::test::TempDir dir;
    const auto prom = (dir.path() / "nic.prom").string();
    const auto run = diag::test::run_tool(
        "diag-nic", {"--root", veth_root(2, "nsB"), "-q", "--all", "--prom", prom});
    REQUIRE(run.exit_code == 0);
    const auto text = diag::test::read_file(prom);
    CHECK(diag::test::prometheus_problems(text).empty());
    CHECK_THAT(text,
               Catch::Contains(
                   "diag_nic_rx_dropped_total{tool=\"diag-nic\",device=\"vb\",driver=\"\"} 74"));
    CHECK_THAT(text,
               Catch::Contains("diag_nic_carrier_changes_total{tool=\"diag-nic\",device=\"vb\""));
    CHECK_THAT(text, Catch::Contains(
                         "diag_nic_softnet_time_squeeze_total{tool=\"diag-nic\",cpu=\"1\"} 3"));
}

TEST_CASE("diag-nic: --nagios on the live machine samples and prints rates as perfdata") {
    const auto run = diag::test::run_tool("diag-nic", {"--nagios", "-i", "0.2"});
    REQUIRE(run.exit_code.has_value());
    const auto line = diag::test::first_line(run);
    CHECK(diag::test::is_nagios_status_line(line));
    CHECK_THAT(line, Catch::Contains("'errors_per_s'="));
    CHECK_THAT(line, Catch::Contains("'flaps'="));
}

TEST_CASE("diag-nic: --count without --interval is a usage error") {
    const auto run = diag::test::run_tool("diag-nic", {"--count", "3"});
    CHECK(run.exit_code == 64);
    CHECK_THAT(run.err, Catch::Contains("--count needs --interval"));
    const auto nagios = diag::test::run_tool("diag-nic", {"--count", "3", "--nagios"});
    CHECK(nagios.exit_code == 3);
}

TEST_CASE("diag-nic: an interface that does not exist is an issue, not silence") {
    const auto run =
        diag::test::run_tool("diag-nic", {"--root", veth_root(1, "nsB"), "--json", "eth7"});
    const auto json = diag::test::json_of(run);
    CHECK(diag::test::has_issue(json, {"eth7", "no such interface"}));
}

TEST_CASE("diag-nic: 'diag nic' runs diag-nic") {
    const auto run = diag::test::run_tool("diag", {"nic", "--root", veth_root(1, "nsB"), "--json"});
    REQUIRE(run.exit_code == 0);
    CHECK(diag::test::json_of(run).at("diag").at("tool") == "diag-nic");
    CHECK_THAT(diag::test::run_tool("diag", {}).out, Catch::Contains("nic"));
}
