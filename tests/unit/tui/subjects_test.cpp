#include <diag/tui/screens.hpp>
#include <diag/tui/subjects.hpp>

#include <catch2/catch.hpp>

namespace {

using namespace diag;
using namespace diag::tui;

Metric nic(std::string name, std::string device, double value) {
    return {std::move(name), "", MetricType::counter, {{"device", std::move(device)}}, value};
}

Report net_report(double rx_bytes, double errors, double flaps) {
    Report report;
    report.metrics.push_back(nic("diag_nic_rx_bytes_total", "eth0", rx_bytes));
    report.metrics.push_back(nic("diag_nic_tx_bytes_total", "eth0", rx_bytes / 2));
    report.metrics.push_back(nic("diag_nic_rx_errors_total", "eth0", errors));
    report.metrics.push_back(nic("diag_nic_tx_dropped_total", "eth0", 1));
    report.metrics.push_back(nic("diag_nic_carrier_changes_total", "eth0", flaps));
    report.metrics.push_back(nic("diag_nic_carrier", "eth0", 1));
    report.metrics.push_back(nic("diag_nic_rx_bytes_total", "eth1", 5));
    report.findings.push_back(
        {Severity::warning, "net.link.flaps", "eth0", "link flapped", {}, {}, ""});
    report.findings.push_back({Severity::ok, "net.tcp", "tcp", "fine", {}, {}, ""});
    return report;
}

}  // namespace

TEST_CASE("tui subjects: findings are grouped by subject, worst subject first") {
    Report report;
    report.findings.push_back({Severity::ok, "disk.smart", "/dev/sda", "healthy", {}, {}, ""});
    report.findings.push_back(
        {Severity::critical, "disk.smart.pending", "/dev/sdb", "12 pending sectors", {}, {}, ""});
    report.findings.push_back({Severity::info, "disk.temp", "/dev/sdb", "41 C", {}, {}, ""});
    const auto rows = subjects_of(report);
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].subject == "/dev/sdb");
    CHECK(rows[0].worst == Severity::critical);
    CHECK(rows[0].finding_count == 2);
    CHECK(rows[0].summary == "12 pending sectors");
    CHECK(rows[1].subject == "/dev/sda");
}

TEST_CASE("tui network: rates and error increases come from consecutive readings") {
    NetHistory history;
    add_net_sample(history, net_report(1000, 0, 2), 10.0);
    CHECK_FALSE(last_rate(history["eth0"], &InterfaceSample::rx_bytes));
    add_net_sample(history, net_report(3000, 4, 2), 12.0);
    add_net_sample(history, net_report(7000, 4, 3), 14.0);
    const auto& eth0 = history["eth0"];
    REQUIRE(eth0.size() == 3);
    REQUIRE(last_rate(eth0, &InterfaceSample::rx_bytes));
    CHECK(*last_rate(eth0, &InterfaceSample::rx_bytes) == Approx(2000.0));
    // rx errors plus tx drops (1 each time).
    CHECK(increases(eth0, &InterfaceSample::errors) ==
          std::vector<std::optional<double>>{4.0, 0.0});
    CHECK(increases(eth0, &InterfaceSample::carrier_changes) ==
          std::vector<std::optional<double>>{0.0, 1.0});
    // eth1 has no error counters: absent, not zero.
    CHECK_FALSE(history["eth1"].back().errors);
    CHECK(increases(history["eth1"], &InterfaceSample::errors) ==
          std::vector<std::optional<double>>{std::nullopt, std::nullopt});
}

TEST_CASE("tui network: a counter that went backwards gives no rate") {
    NetHistory history;
    add_net_sample(history, net_report(5000, 0, 0), 1.0);
    add_net_sample(history, net_report(100, 0, 0), 2.0);
    CHECK_FALSE(last_rate(history["eth0"], &InterfaceSample::rx_bytes));
}

TEST_CASE("tui network: history keeps the last readings only") {
    NetHistory history;
    for (int i = 0; i < 40; ++i) {
        add_net_sample(history, net_report(i, 0, 0), i);
    }
    CHECK(history["eth0"].size() == kNetHistoryLength);
    CHECK(history["eth0"].front().at_seconds == Approx(10.0));
}

TEST_CASE("tui sparkline: zero is the lowest mark, absent a space, the highest the top") {
    const std::vector<std::optional<double>> values{0.0, std::nullopt, 1.0, 8.0};
    CHECK(sparkline(values, Glyphs{false}) == "_ :#");
    CHECK(sparkline(values, Glyphs{true}) == "\u2581 \u2583\u2588");
    CHECK(sparkline({}, Glyphs{}).empty());
}

TEST_CASE("tui network: rates are shown in decimal units") {
    CHECK(format_rate(340) == "340 B/s");
    CHECK(format_rate(1234567) == "1.2 MB/s");
}

TEST_CASE("tui network: the Network screen lists interfaces with link, rates and errors") {
    Snapshot snapshot;
    DomainState net{"net", "network", DomainStatus::fresh, net_report(7000, 4, 3), {}, {}};
    snapshot.domains = {net};
    add_net_sample(snapshot.net_history, net_report(1000, 0, 2), 10.0);
    add_net_sample(snapshot.net_history, net_report(7000, 4, 3), 12.0);
    UiState state;
    handle_key(state, Key{Key::kEnter}, snapshot, nullptr, Area{80, 24});
    REQUIRE(state.stack.back().kind == ScreenKind::subjects);
    auto text = to_text(compose_screen(state, snapshot, nullptr, Area{80, 24}, Glyphs{false}));
    CHECK(text.find(" Network: 3 subjects, 0 issues") != std::string::npos);
    CHECK(text.find(">WARNING  eth0         up   3.0 kB/s   1.5 kB/s   #  link flapped") !=
          std::string::npos);
    INFO(text);
    CHECK(text.find(" OK       eth1         ?    0 B/s      -             no finding") !=
          std::string::npos);

    handle_key(state, Key{Key::kEnter}, snapshot, nullptr, Area{80, 24});
    REQUIRE(state.stack.back().kind == ScreenKind::subject);
    text = to_text(compose_screen(state, snapshot, nullptr, Area{80, 24}, Glyphs{false}));
    CHECK(text.find(" Network: eth0") != std::string::npos);
    CHECK(text.find("   errors and drops  #") != std::string::npos);
    CHECK(text.find("diag_nic_rx_bytes_total{device=\"eth0\"} = 7000") != std::string::npos);
}

TEST_CASE("tui memory: the Memory screen tables EDAC's modules and names the last test") {
    Report mem;
    mem.findings.push_back({Severity::warning,
                            "mem.edac.module",
                            "mc0/dimm1",
                            "module CPU0_DIMM_A2 had 7 corrected errors",
                            {{"label", std::string("CPU0_DIMM_A2")},
                             {"location", std::string("channel 0 slot 1")},
                             {"corrected_errors", std::uint64_t{7}},
                             {"uncorrected_errors", std::uint64_t{0}}},
                            {},
                            ""});
    Snapshot snapshot;
    snapshot.domains = {DomainState{"mem", "memory", DomainStatus::fresh, mem, {}, {}}};
    UiState state;
    handle_key(state, Key{Key::kEnter}, snapshot, nullptr, Area{80, 24});
    const auto text =
        to_text(compose_screen(state, snapshot, nullptr, Area{80, 24}, Glyphs{false}));
    CHECK(text.find("  CPU0_DIMM_A2     channel 0 slot 1              7           0") !=
          std::string::npos);
    CHECK(text.find("Last memory test: none recorded") != std::string::npos);
    CHECK(text.find(">WARNING  mc0/dimm1") != std::string::npos);
}
