// EDAC decoding and the memory error history: node_exporter's csrow tree (shared data), and
// the dimm-layout and partial trees under tests/fixtures.

#include "support/shared_data.hpp"
#include "support/temp_dir.hpp"

#include <diag/mem/edac.hpp>
#include <diag/mem/mem_history.hpp>
#include <diag/mem/mem_state.hpp>

#include <algorithm>
#include <filesystem>

#include <catch2/catch.hpp>

using namespace std::chrono_literals;

namespace {

diag::Root open_root(const std::filesystem::path& path) {
    auto root = diag::Root::open(path.string(), 10s);
    REQUIRE(root.has_value());
    return *root;
}

const diag::mem::EdacDimm* find_dimm(const diag::mem::EdacController& mc, std::string_view name) {
    const auto it = std::ranges::find(mc.dimms, name, &diag::mem::EdacDimm::name);
    return it == mc.dimms.end() ? nullptr : &*it;
}

const diag::Finding* find_finding(const diag::Report& report, std::string_view check,
                                  std::string_view subject) {
    const auto it = std::ranges::find_if(report.findings, [&](const diag::Finding& f) {
        return f.check == check && f.subject == subject;
    });
    return it == report.findings.end() ? nullptr : &*it;
}

double metric(const diag::Report& report, std::string_view name, std::string_view dimm) {
    for (const auto& m : report.metrics) {
        const bool match =
            m.name == name && (dimm.empty() || std::ranges::any_of(m.labels, [&](const auto& l) {
                                   return l.name == "dimm" && l.value == dimm;
                               }));
        if (match) {
            return m.value;
        }
    }
    FAIL("no metric " << name << " for " << dimm);
    return -1;
}

}  // namespace

TEST_CASE("edac counters: decimal with a newline reads, anything else is absent") {
    CHECK(diag::mem::parse_edac_count("12\n") == 12U);
    CHECK(diag::mem::parse_edac_count("0") == 0U);
    CHECK_FALSE(diag::mem::parse_edac_count(""));
    CHECK_FALSE(diag::mem::parse_edac_count("-1\n"));
    CHECK_FALSE(diag::mem::parse_edac_count("3 errors\n"));
    CHECK(diag::mem::parse_edac_text("  CPU0_DIMM_A1 \n") == "CPU0_DIMM_A1");
    CHECK_FALSE(diag::mem::parse_edac_text("\n"));
}

TEST_CASE("edac csrow layout: node_exporter's tree gives per-channel modules and row totals") {
    const auto dir = diag::test::require_shared_data("sysfs-fixtures/node_exporter");
    const auto collected = diag::mem::probe_mem_history(open_root(dir));
    REQUIRE(collected.data.edac_present);
    REQUIRE(collected.data.controllers.size() == 1);
    const auto& mc = collected.data.controllers[0];
    CHECK(mc.name == "mc0");
    CHECK(mc.layout == diag::mem::EdacLayout::csrow);
    CHECK(mc.ce_count == 1U);
    CHECK(mc.ue_count == 5U);
    CHECK(mc.ce_noinfo_count == 2U);
    CHECK(mc.ue_noinfo_count == 6U);
    REQUIRE(mc.csrows.size() == 3);
    CHECK(mc.csrows[0].ce_count == 3U);
    CHECK(mc.csrows[2].ue_count == 5U);
    REQUIRE(mc.dimms.size() == 6);
    const auto* ch = find_dimm(mc, "csrow1/ch1");
    REQUIRE(ch != nullptr);
    CHECK(ch->label == "mc0csrow1channel1");
    CHECK(ch->ue_count == 2U);
    // csrow2 has no chN_ue_count files: absent, not zero.
    const auto* row2 = find_dimm(mc, "csrow2/ch0");
    REQUIRE(row2 != nullptr);
    CHECK(row2->ce_count == 0U);
    CHECK_FALSE(row2->ue_count.has_value());
    CHECK(collected.data.hardware_corrupted_bytes == 0U);
}

TEST_CASE("edac csrow layout: uncorrected errors make the controller and modules critical") {
    const auto dir = diag::test::require_shared_data("sysfs-fixtures/node_exporter");
    const auto report = diag::mem::collect_mem_history(open_root(dir), std::nullopt,
                                                       std::chrono::system_clock::now());
    const auto* mc = find_finding(report, "mem.edac.errors", "mc0");
    REQUIRE(mc != nullptr);
    CHECK(mc->severity == diag::Severity::critical);
    const auto* module = find_finding(report, "mem.edac.module", "mc0/csrow0/ch1");
    REQUIRE(module != nullptr);
    CHECK(module->severity == diag::Severity::critical);
    CHECK(module->summary.find("mc0csrow0channel1") != std::string::npos);
    CHECK(find_finding(report, "mem.hardware_corrupted", "memory")->severity == diag::Severity::ok);
    CHECK(metric(report, "diag_edac_mc_uncorrectable_errors_total", "") == 5.0);
    CHECK(metric(report, "diag_edac_uncorrectable_errors_total", "csrow0/ch0") == 2.0);
    CHECK(diag::exit_status(report) == 2);
}

TEST_CASE("edac dimm layout: labels, locations, sizes and counts of dimmN and rankN") {
    const auto dir = diag::test::source_dir() / "tests/fixtures/edac-dimm";
    const auto collected = diag::mem::probe_mem_history(open_root(dir));
    // The fixture holds EDAC only: rasdaemon's database and /dev/kmsg are info gaps.
    CHECK(std::ranges::all_of(collected.issues, [](const diag::Issue& issue) {
        return issue.level == diag::IssueLevel::info;
    }));
    CHECK(collected.issues.size() == 2);
    REQUIRE(collected.data.controllers.size() == 2);
    const auto& mc0 = collected.data.controllers[0];
    CHECK(mc0.layout == diag::mem::EdacLayout::dimm);
    REQUIRE(mc0.dimms.size() == 2);
    CHECK(mc0.dimms[1].name == "dimm1");
    CHECK(mc0.dimms[1].label == "CPU0_DIMM_A2");
    CHECK(mc0.dimms[1].location == "channel 0 slot 1");
    CHECK(mc0.dimms[1].ce_count == 7U);
    CHECK(mc0.dimms[1].size_mib == 16384U);
    const auto& mc1 = collected.data.controllers[1];
    REQUIRE(mc1.dimms.size() == 2);
    CHECK(mc1.dimms[0].name == "rank0");
    CHECK_FALSE(mc1.dimms[0].label.has_value());
    CHECK(mc1.dimms[1].ue_count == 1U);
    CHECK(collected.data.hardware_corrupted_bytes == 8192U);
}

TEST_CASE("edac dimm layout: corrected errors warn, uncorrected and poisoned pages are critical") {
    const auto dir = diag::test::source_dir() / "tests/fixtures/edac-dimm";
    const auto report = diag::mem::collect_mem_history(open_root(dir), std::nullopt,
                                                       std::chrono::system_clock::now());
    const auto* corrected = find_finding(report, "mem.edac.module", "mc0/dimm1");
    REQUIRE(corrected != nullptr);
    CHECK(corrected->severity == diag::Severity::warning);
    CHECK(corrected->source.find("Schroeder") != std::string::npos);
    CHECK(find_finding(report, "mem.edac.module", "mc0/dimm0") == nullptr);
    CHECK(find_finding(report, "mem.edac.errors", "mc0")->severity == diag::Severity::warning);
    CHECK(find_finding(report, "mem.edac.module", "mc1/rank1")->severity ==
          diag::Severity::critical);
    CHECK(find_finding(report, "mem.hardware_corrupted", "memory")->severity ==
          diag::Severity::critical);
    CHECK(metric(report, "diag_edac_correctable_errors_total", "dimm1") == 7.0);
    CHECK(metric(report, "diag_edac_dimm_size_bytes", "rank0") == 8192.0 * 1048576.0);
    CHECK(metric(report, "diag_mem_hardware_corrupted_bytes", "") == 8192.0);
}

TEST_CASE("edac partial tree: a damaged counter is an Issue and absent, the rest still read") {
    const auto dir = diag::test::source_dir() / "tests/fixtures/edac-partial";
    const auto collected = diag::mem::probe_mem_history(open_root(dir));
    REQUIRE(collected.data.controllers.size() == 1);
    const auto& mc = collected.data.controllers[0];
    CHECK(mc.ce_count == 3U);
    CHECK_FALSE(mc.ue_count.has_value());
    CHECK_FALSE(mc.ce_noinfo_count.has_value());
    REQUIRE(mc.dimms.size() == 2);
    CHECK(mc.dimms[0].ce_count == 3U);
    CHECK_FALSE(mc.dimms[0].ue_count.has_value());
    CHECK_FALSE(mc.dimms[1].ce_count.has_value());
    CHECK(mc.dimms[1].label == "DIMM_B1");
    CHECK(std::ranges::any_of(collected.issues, [](const diag::Issue& issue) {
        return issue.subject.ends_with("mc0/ue_count") && issue.operation == "parse";
    }));
    CHECK_FALSE(collected.data.hardware_corrupted_bytes.has_value());
    const auto report = diag::mem::assess_mem_history(collected.data, std::nullopt);
    CHECK(find_finding(report, "mem.hardware_corrupted", "memory") == nullptr);
    CHECK(find_finding(report, "mem.edac.module", "mc0/dimm0")->severity ==
          diag::Severity::warning);
}

TEST_CASE("edac absent: no controller directory is an info Issue and nothing assessed") {
    diag::test::TempDir dir;
    dir.write("proc/meminfo", "MemTotal: 1000 kB\n");
    const auto report = diag::mem::collect_mem_history(open_root(dir.path()), std::nullopt,
                                                       std::chrono::system_clock::now());
    CHECK(report.assessed_count == 0);
    // No EDAC, no rasdaemon database, no /dev/kmsg in the tree: three gaps, none an error.
    REQUIRE(report.issues.size() == 3);
    for (const auto& issue : report.issues) {
        CHECK(issue.level == diag::IssueLevel::info);
    }
    CHECK(diag::exit_status(report) == 3);
}

TEST_CASE("state: a saved state reads back with its counts and time") {
    diag::mem::MemState state;
    state.time = std::chrono::system_clock::time_point(1'700'000'000'123ms);
    state.counts["mc0/dimm1"] = {7U, 0U};
    state.counts["mc0"] = {std::nullopt, 2U};
    state.hardware_corrupted_bytes = 4096U;
    const auto back = diag::mem::decode_state(diag::mem::encode_state(state));
    REQUIRE(back.has_value());
    CHECK(back->time == state.time);
    CHECK(back->counts.at("mc0/dimm1").ce_count == 7U);
    CHECK_FALSE(back->counts.at("mc0").ce_count.has_value());
    CHECK(back->counts.at("mc0").ue_count == 2U);
    CHECK(back->hardware_corrupted_bytes == 4096U);
    CHECK_FALSE(diag::mem::decode_state("{\"version\": 2}"));
    CHECK_FALSE(diag::mem::decode_state("not json"));
}

TEST_CASE("state dir: corrected errors that grew since the last run become critical") {
    diag::test::TempDir root_dir;
    diag::test::TempDir state_dir;
    const std::string mc = "sys/devices/system/edac/mc/mc0/";
    root_dir.write("proc/meminfo", "MemTotal: 1000 kB\n");
    root_dir.write(mc + "ce_count", "3\n");
    root_dir.write(mc + "ue_count", "0\n");
    root_dir.write(mc + "dimm0/dimm_label", "A1\n");
    root_dir.write(mc + "dimm0/dimm_ce_count", "3\n");
    root_dir.write(mc + "dimm0/dimm_ue_count", "0\n");
    const auto root = open_root(root_dir.path());
    const auto now = std::chrono::system_clock::now();

    const auto first = diag::mem::collect_mem_history(root, state_dir.path().string(), now);
    CHECK(find_finding(first, "mem.edac.module", "mc0/dimm0")->severity == diag::Severity::warning);
    const auto state_file = state_dir.path() / "mem-edac.json";
    REQUIRE(std::filesystem::exists(state_file));
    CHECK((std::filesystem::status(state_file).permissions() & std::filesystem::perms::all) ==
          (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));

    // Same counts again: still a warning, with zero new errors as evidence.
    const auto same = diag::mem::collect_mem_history(root, state_dir.path().string(), now + 1h);
    CHECK(find_finding(same, "mem.edac.module", "mc0/dimm0")->severity == diag::Severity::warning);

    root_dir.write(mc + "ce_count", "5\n");
    root_dir.write(mc + "dimm0/dimm_ce_count", "5\n");
    const auto grown = diag::mem::collect_mem_history(root, state_dir.path().string(), now + 2h);
    const auto* module = find_finding(grown, "mem.edac.module", "mc0/dimm0");
    REQUIRE(module != nullptr);
    CHECK(module->severity == diag::Severity::critical);
    CHECK(std::ranges::any_of(module->evidence, [](const diag::Evidence& e) {
        return e.key == "new_corrected_errors" && e.value == diag::Value{std::uint64_t{2}};
    }));

    // A reboot resets the counters: lower than before is not growth.
    root_dir.write(mc + "ce_count", "1\n");
    root_dir.write(mc + "dimm0/dimm_ce_count", "1\n");
    const auto reset = diag::mem::collect_mem_history(root, state_dir.path().string(), now + 3h);
    CHECK(find_finding(reset, "mem.edac.module", "mc0/dimm0")->severity == diag::Severity::warning);
}

TEST_CASE("kernel log: machine checks and EDAC lines are counted per rule, others ignored") {
    auto counter = diag::mem::KernelMemoryCounter::make();
    REQUIRE(counter.has_value());
    auto kernel = [](std::string message, std::string stamp) {
        diag::logs::LogRecord record;
        record.program = "kernel";
        record.message = std::move(message);
        record.stamp = std::move(stamp);
        return record;
    };
    counter->add(
        kernel("mce: [Hardware Error]: CPU 2: Machine Check Exception: 5 Bank 4: "
               "be00000000800400",
               "[  100.000001]"));
    counter->add(kernel("mce: [Hardware Error]: Machine check events logged", "[  101.5]"));
    counter->add(kernel("mce: [Hardware Error]: Machine check events logged", "[  202.5]"));
    counter->add(kernel("mce: CPU supports 9 MCE banks", "[    0.1]"));
    counter->add(kernel("EDAC MC0: Giving out device to module skx_edac", "[    0.2]"));
    const auto events = counter->events();
    REQUIRE(events.size() == 2);
    CHECK(events[0].rule_id == "mem.machine_check");
    CHECK(events[0].severity == diag::Severity::critical);
    CHECK(events[0].count == 1);
    CHECK(events[1].rule_id == "mem.machine_check_logged");
    CHECK(events[1].count == 2);
    CHECK(events[1].first_stamp == "[  101.5]");
    CHECK(events[1].last_stamp == "[  202.5]");

    const auto report = diag::mem::assess_kernel_memory_events(events);
    REQUIRE(report.findings.size() == 2);
    CHECK(report.findings[0].check == "mem.kernel_log");
    CHECK(report.findings[0].severity == diag::Severity::critical);
    CHECK(report.findings[1].summary.starts_with("2 kernel messages since boot"));
    const auto quiet = diag::mem::assess_kernel_memory_events({});
    REQUIRE(quiet.findings.size() == 1);
    CHECK(quiet.findings[0].severity == diag::Severity::ok);
}

TEST_CASE("kernel log: running out of memory is not a memory error") {
    auto counter = diag::mem::KernelMemoryCounter::make();
    REQUIRE(counter.has_value());
    diag::logs::LogRecord record;
    record.program = "kernel";
    record.message =
        "Out of memory: Killed process 812 (java) total-vm:9000000kB, "
        "anon-rss:8000000kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:16000kB "
        "oom_score_adj:0";
    counter->add(record);
    record.message = "Memory failure: 0x4d1c3: recovery action for dirty LRU page: Recovered";
    counter->add(record);
    const auto events = counter->events();
    REQUIRE(events.size() == 1);
    CHECK(events[0].rule_id == "mem.memory_failure");
}
