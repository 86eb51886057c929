#include "support/shared_data.hpp"

#include <diag/core/root.hpp>
#include <diag/net/nic_assess.hpp>
#include <diag/net/nic_snapshot.hpp>
#include <diag/net/nic_window.hpp>

#include <algorithm>
#include <array>

#include <catch2/catch.hpp>
#include <fmt/format.h>

using diag::net::LinkCounter;
using diag::net::NicSnapshot;

namespace {

constexpr double kSecondsApart = 10.0;

// Probes one side of the captured veth pair at t1 and t2, placed kSecondsApart apart.
std::array<NicSnapshot, 2> captured_pair(const std::string& side) {
    std::array<NicSnapshot, 2> snaps;
    for (int t = 0; t < 2; ++t) {
        const auto dir = diag::test::require_shared_data(
            fmt::format("sysfs-fixtures/captured-veth-linux-6.18/t{}/{}", t + 1, side));
        auto root = diag::Root::open(dir.string());
        REQUIRE(root.has_value());
        diag::net::NicProbeOptions options;
        options.selection.all = true;
        auto collected = diag::net::probe_nic(*root, options);
        snaps.at(static_cast<std::size_t>(t)) = std::move(collected.data);
        snaps.at(static_cast<std::size_t>(t)).monotonic_seconds = t * kSecondsApart;
    }
    return snaps;
}

std::uint64_t delta(const diag::net::InterfaceWindow& w, LinkCounter counter) {
    REQUIRE(w.get(counter).has_value());
    return w.get(counter)->delta;
}

std::uint64_t snmp_delta(const diag::net::NicWindow& w, const std::string& key) {
    const auto it = w.snmp.find(key);
    REQUIRE(it != w.snmp.end());
    return it->second.delta;
}

const diag::Finding* finding(const diag::Report& report, std::string_view check,
                             std::string_view subject) {
    const auto it =
        std::find_if(report.findings.begin(), report.findings.end(),
                     [&](const auto& f) { return f.check == check && f.subject == subject; });
    return it == report.findings.end() ? nullptr : &*it;
}

}  // namespace

TEST_CASE("window: the receiving veth's t1 to t2 deltas match the capture's notes") {
    const auto snaps = captured_pair("nsB");
    const auto window = diag::net::compute_window(snaps);
    CHECK(window.seconds == Approx(kSecondsApart));
    const auto* vb = window.find("vb");
    REQUIRE(vb != nullptr);
    CHECK(delta(*vb, LinkCounter::rx_packets) == 5010);
    CHECK(delta(*vb, LinkCounter::rx_dropped) == 10);
    CHECK(vb->get(LinkCounter::rx_packets)->per_second == Approx(501.0));
    CHECK(vb->get(LinkCounter::rx_dropped)->resets == 0);
    REQUIRE(vb->carrier_changes.has_value());
    CHECK(vb->carrier_changes->delta == 4);
    REQUIRE(vb->carrier_down.has_value());
    CHECK(vb->carrier_down->delta == 2);
    CHECK(snmp_delta(window, "Ip:InReceives") == 5000);
    CHECK(snmp_delta(window, "Udp:InErrors") == 4994);
    CHECK(snmp_delta(window, "Udp:RcvbufErrors") == 4994);
    // Without notifications the two flaps are placed at the later sample.
    CHECK(std::count_if(window.events.begin(), window.events.end(), [](const auto& e) {
              return e.interface == "vb" && e.between_samples;
          }) == 2);
}

TEST_CASE("window: the sending veth's t1 to t2 deltas match the capture's notes") {
    const auto snaps = captured_pair("nsA");
    const auto window = diag::net::compute_window(snaps);
    const auto* va = window.find("va");
    REQUIRE(va != nullptr);
    CHECK(delta(*va, LinkCounter::tx_packets) == 5010);
    CHECK(delta(*va, LinkCounter::tx_bytes) == 1210600);
    CHECK(va->carrier_changes->delta == 4);
    CHECK(va->carrier_down->delta == 2);
    CHECK(snmp_delta(window, "Ip:OutRequests") == 5000);
    CHECK(snmp_delta(window, "Udp:OutDatagrams") == 5000);
}

TEST_CASE("assess: the t1 to t2 window puts each fault in its layer") {
    const auto snaps = captured_pair("nsB");
    const auto window = diag::net::compute_window(snaps);
    diag::net::NicSelection all;
    all.all = true;
    const auto report = diag::net::assess_nic(snaps[1], &window, all);

    // 10 unknown-ethertype frames of 5010: 0.2% is above 1e-4 and below 1e-2.
    const auto* drops = finding(report, "net.stack.drops", "vb");
    REQUIRE(drops != nullptr);
    CHECK(drops->severity == diag::Severity::warning);
    // Two flaps in 10 s: a warning, not the five that make it critical.
    const auto* flaps = finding(report, "net.link.flaps", "vb");
    REQUIRE(flaps != nullptr);
    CHECK(flaps->severity == diag::Severity::warning);
    // 4994 datagrams lost, none read: all of them.
    const auto* udp = finding(report, "net.stack.udp_rcvbuf_errors", "udp");
    REQUIRE(udp != nullptr);
    CHECK(udp->severity == diag::Severity::critical);
    // No CRC errors on a veth: no physical finding at all.
    CHECK(finding(report, "net.phys.crc_errors", "vb") == nullptr);
    CHECK(report.worst() == diag::Severity::critical);
    const auto errors = std::find_if(report.perfdata.begin(), report.perfdata.end(),
                                     [](const auto& p) { return p.label == "drops_per_s"; });
    REQUIRE(errors != report.perfdata.end());
    CHECK(errors->value == Approx(1.0));
}

TEST_CASE("assess: counters since boot are judged mildly") {
    const auto snaps = captured_pair("nsB");
    diag::net::NicSelection all;
    all.all = true;
    const auto report = diag::net::assess_nic(snaps[1], nullptr, all);
    const auto* drops = finding(report, "net.stack.drops", "vb");
    REQUIRE(drops != nullptr);
    CHECK(drops->severity == diag::Severity::info);
    const auto* flaps = finding(report, "net.link.flaps", "vb");
    REQUIRE(flaps != nullptr);
    CHECK(flaps->severity == diag::Severity::info);
    CHECK(report.worst() == diag::Severity::info);
}

TEST_CASE("window: a counter that went down is a reset, counted from zero") {
    std::array<NicSnapshot, 3> snaps;
    const std::array<std::uint64_t, 3> values{1000, 1500, 200};
    for (std::size_t i = 0; i < snaps.size(); ++i) {
        diag::net::Interface eth;
        eth.name = "eth0";
        eth.index = 2;
        eth.counters.set(LinkCounter::rx_packets, values.at(i));
        snaps.at(i).interfaces.push_back(eth);
        snaps.at(i).monotonic_seconds = static_cast<double>(i);
    }
    const auto window = diag::net::compute_window(snaps);
    const auto* eth = window.find("eth0");
    REQUIRE(eth != nullptr);
    const auto& rx = eth->get(LinkCounter::rx_packets);
    REQUIRE(rx.has_value());
    CHECK(rx->delta == 700);
    CHECK(rx->resets == 1);
    CHECK(rx->peak_per_second == Approx(500.0));
    CHECK(rx->per_second == Approx(350.0));
}

TEST_CASE("window: 32-bit counters wrap instead of resetting") {
    std::array<NicSnapshot, 2> snaps;
    const std::array<std::uint64_t, 2> values{0xfffffff0ULL, 0x10ULL};
    for (std::size_t i = 0; i < snaps.size(); ++i) {
        diag::net::Interface eth;
        eth.name = "eth0";
        eth.counters_32bit = true;
        eth.counters.set(LinkCounter::rx_bytes, values.at(i));
        snaps.at(i).interfaces.push_back(eth);
        snaps.at(i).monotonic_seconds = static_cast<double>(i);
    }
    const auto window = diag::net::compute_window(snaps);
    const auto& rx = window.find("eth0")->get(LinkCounter::rx_bytes);
    REQUIRE(rx.has_value());
    CHECK(rx->delta == 0x20);
    CHECK(rx->resets == 0);
}
