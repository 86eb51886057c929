// History of counters per serial (--state-dir) and the kernel's evidence beside SMART.

#include <diag/disk/smart_collect.hpp>
#include <diag/disk/smart_history.hpp>

#include <catch2/catch.hpp>

using diag::Severity;
using diag::disk::DiskHistory;

namespace {

diag::Report report_with(const std::string& check, Severity severity) {
    diag::Report report;
    report.findings.push_back(
        {severity, check, "/dev/sda", "8 sectors pending reallocation", {}, std::nullopt, "rule"});
    return report;
}

DiskHistory history_of(const std::string& key, std::uint64_t value, const std::string& since) {
    DiskHistory history;
    history.values[key] = {value, since};
    return history;
}

}  // namespace

TEST_CASE("history: a grown counter raises its finding one level and says since when") {
    auto report = report_with("disk.smart.pending", Severity::warning);
    const auto grown = diag::disk::apply_history(report, "/dev/sda", {{"197", 8}},
                                                 history_of("197", 0, "2026-11-30"));
    CHECK(grown == 1);
    const auto& finding = report.findings[0];
    CHECK(finding.severity == Severity::critical);
    CHECK(finding.summary == "8 sectors pending reallocation (197: 0 -> 8 since 2026-11-30)");
    REQUIRE(finding.evidence.size() == 2);
    CHECK(finding.evidence[0].key == "previous_count");
}

TEST_CASE("history: each level goes up one step and critical stays critical") {
    for (const auto& [before, after] :
         {std::pair{Severity::ok, Severity::info}, std::pair{Severity::info, Severity::warning},
          std::pair{Severity::warning, Severity::critical},
          std::pair{Severity::critical, Severity::critical}}) {
        auto report = report_with("disk.kernel.io_errors", before);
        diag::disk::apply_history(report, "/dev/sda", {{"kernel_io_errors", 5}},
                                  history_of("kernel_io_errors", 2, "2026-12-01"));
        CHECK(report.findings[0].severity == after);
    }
}

TEST_CASE("history: an unchanged or smaller counter, or another disk's finding, is left alone") {
    auto same = report_with("disk.smart.pending", Severity::warning);
    CHECK(diag::disk::apply_history(same, "/dev/sda", {{"197", 8}},
                                    history_of("197", 8, "2026-11-30")) == 0);
    CHECK(same.findings[0].severity == Severity::warning);
    // A counter that went down (a pending sector rewritten, a reboot for ioerr_cnt) is no growth.
    auto smaller = report_with("disk.smart.pending", Severity::warning);
    CHECK(diag::disk::apply_history(smaller, "/dev/sda", {{"197", 1}},
                                    history_of("197", 8, "2026-11-30")) == 0);
    auto other = report_with("disk.smart.pending", Severity::warning);
    diag::disk::apply_history(other, "/dev/sdb", {{"197", 9}}, history_of("197", 8, "2026-11-30"));
    CHECK(other.findings[0].severity == Severity::warning);
}

TEST_CASE("history: remember keeps the date of a value that did not change") {
    diag::disk::DiskRecord record;
    record.identity.serial = "S1";
    record.identity.model = "M";
    record.identity.device = "/dev/sda";
    diag::disk::SmartState state;
    diag::disk::remember(state, record, {{"5", 0}, {"197", 0}}, "2026-11-30");
    diag::disk::remember(state, record, {{"5", 0}, {"197", 8}}, "2026-12-03");
    const auto& values = state.disks.at("S1").values;
    CHECK(values.at("5").since == "2026-11-30");
    CHECK(values.at("197").value == 8);
    CHECK(values.at("197").since == "2026-12-03");
    CHECK(state.disks.at("S1").last_seen == "2026-12-03");

    // A drive without a serial cannot be told apart next time: not remembered.
    diag::disk::DiskRecord anonymous;
    diag::disk::remember(state, anonymous, {{"5", 1}}, "2026-12-03");
    CHECK(state.disks.size() == 1);
}

TEST_CASE("history: the state file survives a round trip; a broken one is an error") {
    diag::disk::SmartState state;
    state.disks["S1"] = history_of("197", 8, "2026-11-30");
    state.disks["S1"].model = "Maxtor";
    state.tunnels["usb:152d:2338"] = "usbjmicron";
    const auto parsed = diag::disk::parse_smart_state(diag::disk::render_smart_state(state));
    REQUIRE(parsed.has_value());
    CHECK(parsed->disks.at("S1").values.at("197").value == 8);
    CHECK(parsed->disks.at("S1").model == "Maxtor");
    CHECK(parsed->tunnels.at("usb:152d:2338") == "usbjmicron");
    CHECK_FALSE(diag::disk::parse_smart_state("{\"version\": 2}").has_value());
    CHECK_FALSE(diag::disk::parse_smart_state("not json").has_value());
}

TEST_CASE("kernel evidence: ioerr_cnt above zero is info with the I/O counters beside it") {
    diag::disk::BlockDevice device;
    device.device_path = "/dev/sdd";
    device.kernel_io_errors = 26;
    device.holders = {"md0"};
    device.io_stat =
        diag::disk::BlockIoStat{1200, 96000, 800, 64000, 0, 700, std::nullopt, std::nullopt};
    const auto report = diag::disk::assess_kernel_io(device);
    REQUIRE(report.findings.size() == 1);
    const auto& finding = report.findings[0];
    CHECK(finding.severity == Severity::info);
    CHECK(finding.check == "disk.kernel.io_errors");
    CHECK(report.assessed_count == 1);
    CHECK(report.metrics.size() == 1);

    device.kernel_io_errors = 0;
    CHECK(diag::disk::assess_kernel_io(device).findings[0].severity == Severity::ok);
    // No counter (NVMe, virtio): nothing judged, not "no errors".
    device.kernel_io_errors.reset();
    CHECK(diag::disk::assess_kernel_io(device).findings.empty());
}
