// /proc/meminfo, /proc/vmstat, /proc/net/snmp and /proc/net/netstat on real files from
// shared/data/sysfs-fixtures (node_exporter's fixtures and the veth capture on Linux 6.18).

#include "support/shared_data.hpp"

#include <diag/sys/key_values.hpp>

#include <catch2/catch.hpp>

namespace {

diag::sys::KeyValues snmp_file(const std::string& relative) {
    return diag::sys::parse_snmp(
        diag::test::read_file(diag::test::require_shared_data("sysfs-fixtures/" + relative)));
}

std::int64_t value_of(const diag::sys::KeyValues& values, std::string_view key) {
    auto value = diag::sys::find(values, key);
    INFO("key " << key);
    REQUIRE(value.has_value());
    return *value;
}

}  // namespace

TEST_CASE("meminfo: node_exporter's fixture decodes kB to bytes, HardwareCorrupted included") {
    const auto meminfo = diag::sys::parse_meminfo(diag::test::read_file(
        diag::test::require_shared_data("sysfs-fixtures/node_exporter/proc/meminfo")));

    CHECK(value_of(meminfo, "MemTotal") == 3742148LL * 1024);
    CHECK(value_of(meminfo, "MemFree") == 225472LL * 1024);
    CHECK(value_of(meminfo, "SwapTotal") == 4194300LL * 1024);
    CHECK(value_of(meminfo, "Active(anon)") == 2020004LL * 1024);
    CHECK(value_of(meminfo, "VmallocTotal") == 34359738367LL * 1024);
    // Present and zero is not the same as absent.
    CHECK(value_of(meminfo, "HardwareCorrupted") == 0);
    // Unitless counts stay counts.
    CHECK(value_of(meminfo, "HugePages_Total") == 0);
    CHECK(value_of(meminfo, "Hugepagesize") == 2048LL * 1024);
    // This kernel predates MemAvailable (Linux 3.14): it must be absent, not zero.
    CHECK_FALSE(diag::sys::find(meminfo, "MemAvailable").has_value());
    CHECK(meminfo.size() == 42);
}

TEST_CASE("meminfo: odd lines are skipped and unitless values kept as they are") {
    const auto meminfo = diag::sys::parse_meminfo(
        "MemTotal: 100 kB\n"
        "garbage line\n"
        ": 5 kB\n"
        "Broken: x kB\n"
        "Negative: -5 kB\n"
        "HugePages_Free: 7\r\n");
    CHECK(meminfo.size() == 2);
    CHECK(value_of(meminfo, "MemTotal") == 102400);
    CHECK(value_of(meminfo, "HugePages_Free") == 7);
}

TEST_CASE("vmstat: name value pairs, with anything else skipped") {
    const auto vmstat = diag::sys::parse_vmstat(
        "nr_free_pages 5\noom_kill 3\npswpin 120\n"
        "bad\nthree fields here\nx y\n");
    CHECK(vmstat.size() == 3);
    CHECK(value_of(vmstat, "oom_kill") == 3);
    CHECK(value_of(vmstat, "pswpin") == 120);
}

TEST_CASE("snmp: node_exporter's /proc/net/snmp keeps negative Tcp:MaxConn and every pair") {
    const auto snmp = snmp_file("node_exporter/proc/net/snmp");
    CHECK(value_of(snmp, "Tcp:MaxConn") == -1);
    CHECK(value_of(snmp, "Tcp:RtoMax") == 120000);
    CHECK(value_of(snmp, "Tcp:OutSegs") == 54915039);
    CHECK(value_of(snmp, "Tcp:RetransSegs") == 227);
    CHECK(value_of(snmp, "Udp:RcvbufErrors") == 9);
    CHECK(value_of(snmp, "Udp:SndbufErrors") == 8);
    CHECK(value_of(snmp, "Ip:InReceives") == 57740232);
    CHECK(value_of(snmp, "IcmpMsg:OutType3") == 120);
    CHECK(value_of(snmp, "UdpLite:InDatagrams") == 0);
    // Ip 19, Icmp 27, IcmpMsg 2, Tcp 15, Udp 7, UdpLite 7.
    CHECK(snmp.size() == 77);
}

TEST_CASE("netstat: node_exporter's TcpExt and IpExt counters decode") {
    const auto netstat = snmp_file("node_exporter/proc/net/netstat");
    CHECK(value_of(netstat, "TcpExt:ListenOverflows") == 0);
    CHECK(value_of(netstat, "TcpExt:ListenDrops") == 0);
    CHECK(value_of(netstat, "TcpExt:TW") == 388812);
    CHECK(value_of(netstat, "TcpExt:TCPTimeouts") == 115);
    CHECK(value_of(netstat, "IpExt:InOctets") == 6286396970);
    CHECK(netstat.size() == 96);
}

TEST_CASE("snmp: the veth capture on Linux 6.18 has the listen overflows of experiment 10") {
    const auto netstat = snmp_file("captured-veth-linux-6.18/t1/nsB/proc/net/netstat");
    CHECK(value_of(netstat, "TcpExt:ListenOverflows") == 114);
    CHECK(value_of(netstat, "TcpExt:ListenDrops") == 114);
    const auto snmp = snmp_file("captured-veth-linux-6.18/t1/nsA/proc/net/snmp");
    CHECK(value_of(snmp, "Tcp:MaxConn") == -1);
    CHECK(value_of(snmp, "Udp:SndbufErrors") == 501254);
}

TEST_CASE("snmp: t1 to t2 deltas of the veth capture match its SOURCES.md table") {
    const auto b1 = snmp_file("captured-veth-linux-6.18/t1/nsB/proc/net/snmp");
    const auto b2 = snmp_file("captured-veth-linux-6.18/t2/nsB/proc/net/snmp");
    const auto a1 = snmp_file("captured-veth-linux-6.18/t1/nsA/proc/net/snmp");
    const auto a2 = snmp_file("captured-veth-linux-6.18/t2/nsA/proc/net/snmp");
    auto delta = [](const auto& before, const auto& after, std::string_view key) {
        return value_of(after, key) - value_of(before, key);
    };

    CHECK(value_of(b1, "Udp:RcvbufErrors") == 195224);
    CHECK(value_of(b2, "Udp:RcvbufErrors") == 200218);
    CHECK(delta(b1, b2, "Udp:RcvbufErrors") == 4994);
    CHECK(delta(b1, b2, "Udp:InErrors") == 4994);
    CHECK(delta(b1, b2, "Ip:InReceives") == 5000);
    // Udp:InDatagrams counts only what the application read: nothing.
    CHECK(delta(b1, b2, "Udp:InDatagrams") == 0);
    CHECK(delta(a1, a2, "Ip:OutRequests") == 5000);
    CHECK(delta(a1, a2, "Udp:OutDatagrams") == 5000);
    // Counters nobody touched between the snapshots stay put.
    CHECK(delta(a1, a2, "Udp:SndbufErrors") == 0);
    CHECK(delta(b1, b2, "Ip:InHdrErrors") == 0);
}

TEST_CASE("snmp: a value line shorter than its header is read as far as both go") {
    const auto snmp = diag::sys::parse_snmp("Tcp: A B C\nTcp: 1 2\nUdp: X\nUdp: 5\n");
    CHECK(value_of(snmp, "Tcp:A") == 1);
    CHECK(value_of(snmp, "Tcp:B") == 2);
    CHECK_FALSE(diag::sys::find(snmp, "Tcp:C").has_value());
    CHECK(value_of(snmp, "Udp:X") == 5);
}

TEST_CASE("snmp: a header without its value line and mismatched prefixes are ignored") {
    const auto snmp = diag::sys::parse_snmp("Ip: A B\nTcp: C\nTcp: 3\nUdp: D\n");
    CHECK(snmp.size() == 1);
    CHECK(value_of(snmp, "Tcp:C") == 3);
}
