// assess_sys on handcrafted snapshots: each rule, at and around its threshold, and silence when
// its data is missing.

#include "support/contracts.hpp"

#include <diag/render/prometheus.hpp>
#include <diag/sys/sys_assess.hpp>

#include <algorithm>

#include <catch2/catch.hpp>

namespace {

using diag::Severity;
using diag::sys::SysSnapshot;

const diag::Finding* find_check(const diag::Report& report, std::string_view check,
                                std::string_view subject = {}) {
    auto it = std::find_if(report.findings.begin(), report.findings.end(), [&](const auto& f) {
        return f.check == check && (subject.empty() || f.subject == subject);
    });
    return it == report.findings.end() ? nullptr : &*it;
}

const diag::Finding& require_check(const diag::Report& report, std::string_view check,
                                   std::string_view subject = {}) {
    const auto* finding = find_check(report, check, subject);
    INFO("check " << check << " " << subject);
    REQUIRE(finding != nullptr);
    return *finding;
}

SysSnapshot with_memory(std::int64_t total_kib, std::int64_t available_kib) {
    SysSnapshot snap;
    snap.meminfo = diag::sys::KeyValues{{"MemTotal", total_kib * 1024},
                                        {"MemAvailable", available_kib * 1024}};
    return snap;
}

diag::sys::Filesystem filesystem(std::string mount_point, std::string type,
                                 std::string mount_options, std::string super_options) {
    diag::sys::Filesystem fs;
    fs.mount.mount_point = std::move(mount_point);
    fs.mount.fs_type = std::move(type);
    fs.mount.source = "/dev/sdb1";
    fs.mount.mount_options = std::move(mount_options);
    fs.mount.super_options = std::move(super_options);
    return fs;
}

diag::sys::FsUsage usage(std::uint64_t size, std::uint64_t free, std::uint64_t available) {
    return {size, free, available, 1000, 900};
}

}  // namespace

TEST_CASE("assess: an empty snapshot gives no finding and nothing assessed") {
    const auto report = diag::sys::assess_sys(SysSnapshot{});
    CHECK(report.findings.empty());
    CHECK(report.metrics.empty());
    CHECK(report.perfdata.empty());
    CHECK(report.assessed_count == 0);
    CHECK(diag::exit_status(report) == 3);
}

TEST_CASE("assess: MemAvailable at 3% of MemTotal is critical") {
    const auto report = diag::sys::assess_sys(with_memory(1000000, 30000));
    const auto& finding = require_check(report, "sys.memory.available");
    CHECK(finding.severity == Severity::critical);
    CHECK(diag::exit_status(report) == 2);
    REQUIRE_FALSE(report.perfdata.empty());
    CHECK(report.perfdata[0].label == "mem_available_pct");
    CHECK(report.perfdata[0].value == Approx(3.0));
}

TEST_CASE("assess: MemAvailable grades ok at 50%, warning at 8%, critical just under 5%") {
    CHECK(require_check(diag::sys::assess_sys(with_memory(1000000, 500000)), "sys.memory.available")
              .severity == Severity::ok);
    CHECK(require_check(diag::sys::assess_sys(with_memory(1000000, 80000)), "sys.memory.available")
              .severity == Severity::warning);
    CHECK(require_check(diag::sys::assess_sys(with_memory(1000000, 49999)), "sys.memory.available")
              .severity == Severity::critical);
}

TEST_CASE("assess: meminfo without MemAvailable judges no availability and says why") {
    SysSnapshot snap;
    snap.meminfo = diag::sys::KeyValues{{"MemTotal", 1024}, {"MemFree", 10}};
    const auto report = diag::sys::assess_sys(snap);
    CHECK(find_check(report, "sys.memory.available") == nullptr);
    CHECK(std::any_of(report.issues.begin(), report.issues.end(), [](const diag::Issue& issue) {
        return issue.reason.find("MemAvailable") != std::string::npos;
    }));
}

TEST_CASE("assess: HardwareCorrupted above zero is critical, zero is ok") {
    SysSnapshot snap;
    snap.meminfo = diag::sys::KeyValues{{"HardwareCorrupted", 4096}};
    const auto bad = diag::sys::assess_sys(snap);
    CHECK(require_check(bad, "sys.memory.hardware_corrupted").severity == Severity::critical);

    snap.meminfo = diag::sys::KeyValues{{"HardwareCorrupted", 0}};
    const auto good = diag::sys::assess_sys(snap);
    CHECK(require_check(good, "sys.memory.hardware_corrupted").severity == Severity::ok);
}

TEST_CASE("assess: an ext4 mounted read-only while fstab mounts it read-write is critical") {
    SysSnapshot snap;
    auto fs = filesystem("/srv", "ext4", "ro,relatime", "ro,errors=remount-ro");
    fs.fstab_options = "defaults,errors=remount-ro";
    snap.filesystems.push_back(fs);
    const auto report = diag::sys::assess_sys(snap);
    const auto& finding = require_check(report, "sys.fs.read_only", "/srv");
    CHECK(finding.severity == Severity::critical);
    CHECK_THAT(finding.summary, Catch::Contains("read-only"));
}

TEST_CASE("assess: read-only as fstab asks is info; errors on a read-write ext4 a warning") {
    SysSnapshot snap;
    auto wanted = filesystem("/ro", "ext4", "ro", "ro");
    wanted.fstab_options = "ro,noatime";
    snap.filesystems.push_back(wanted);
    auto errors = filesystem("/data", "ext4", "rw", "rw");
    errors.ext4_errors = 3;
    snap.filesystems.push_back(errors);
    auto remounted = filesystem("/var", "ext4", "ro", "ro");
    remounted.ext4_errors = 1;
    snap.filesystems.push_back(remounted);
    auto fine = filesystem("/", "xfs", "rw", "rw");
    snap.filesystems.push_back(fine);

    const auto report = diag::sys::assess_sys(snap);
    CHECK(require_check(report, "sys.fs.read_only", "/ro").severity == Severity::info);
    CHECK(require_check(report, "sys.fs.read_only", "/data").severity == Severity::warning);
    CHECK(require_check(report, "sys.fs.read_only", "/var").severity == Severity::critical);
    CHECK(require_check(report, "sys.fs.read_only", "/").severity == Severity::ok);
}

TEST_CASE("assess: a filesystem 96% used is critical, 91% a warning, 50% ok") {
    SysSnapshot snap;
    auto full = filesystem("/full", "ext4", "rw", "rw");
    full.usage = usage(1000, 40, 40);
    auto tight = filesystem("/tight", "ext4", "rw", "rw");
    tight.usage = usage(1000, 90, 90);
    auto roomy = filesystem("/roomy", "ext4", "rw", "rw");
    roomy.usage = usage(1000, 500, 500);
    snap.filesystems = {full, tight, roomy};

    const auto report = diag::sys::assess_sys(snap);
    CHECK(require_check(report, "sys.fs.space", "/full").severity == Severity::critical);
    CHECK(require_check(report, "sys.fs.space", "/tight").severity == Severity::warning);
    CHECK(require_check(report, "sys.fs.space", "/roomy").severity == Severity::ok);
}

TEST_CASE("assess: space counts as df does, without the root reserve") {
    SysSnapshot snap;
    // 1000 blocks, 100 free but only 30 of them for users: 900 / (900 + 30) = 96.8% used.
    auto fs = filesystem("/var", "ext4", "rw", "rw");
    fs.usage = usage(1000, 100, 30);
    snap.filesystems.push_back(fs);
    CHECK(require_check(diag::sys::assess_sys(snap), "sys.fs.space").severity ==
          Severity::critical);
}

TEST_CASE("assess: inodes running out are judged like space") {
    SysSnapshot snap;
    auto fs = filesystem("/mail", "ext4", "rw", "rw");
    fs.usage = diag::sys::FsUsage{1000, 900, 900, 1000, 20};
    snap.filesystems.push_back(fs);
    CHECK(require_check(diag::sys::assess_sys(snap), "sys.fs.space").severity ==
          Severity::critical);
}

TEST_CASE("assess: a filesystem without usage (not live) gets no space finding") {
    SysSnapshot snap;
    snap.filesystems.push_back(filesystem("/", "ext4", "rw", "rw"));
    const auto report = diag::sys::assess_sys(snap);
    CHECK(find_check(report, "sys.fs.space") == nullptr);
    CHECK(find_check(report, "sys.fs.read_only") != nullptr);
}

TEST_CASE("assess: kernel taint M is critical and names the flag") {
    SysSnapshot snap;
    snap.taint_mask = 16;
    const auto report = diag::sys::assess_sys(snap);
    const auto& finding = require_check(report, "sys.kernel.taint");
    CHECK(finding.severity == Severity::critical);
    CHECK_THAT(finding.summary, Catch::Contains("(M)"));

    snap.taint_mask = 0;
    CHECK(require_check(diag::sys::assess_sys(snap), "sys.kernel.taint").severity == Severity::ok);
    snap.taint_mask = 4096;  // out-of-tree module only
    CHECK(require_check(diag::sys::assess_sys(snap), "sys.kernel.taint").severity ==
          Severity::info);
}

TEST_CASE("assess: any OOM kill since boot is a warning") {
    SysSnapshot snap;
    snap.first.vmstat = diag::sys::KeyValues{{"oom_kill", 2}};
    CHECK(require_check(diag::sys::assess_sys(snap), "sys.memory.oom_kills").severity ==
          Severity::warning);
    snap.first.vmstat = diag::sys::KeyValues{{"oom_kill", 0}};
    CHECK(require_check(diag::sys::assess_sys(snap), "sys.memory.oom_kills").severity ==
          Severity::ok);
    // Kernels before 4.13 have no oom_kill: no finding, not "no kills".
    snap.first.vmstat = diag::sys::KeyValues{{"pswpin", 0}};
    CHECK(find_check(diag::sys::assess_sys(snap), "sys.memory.oom_kills") == nullptr);
}

TEST_CASE("assess: an unsynchronised clock is a warning") {
    SysSnapshot snap;
    snap.clock = diag::sys::ClockState{false, 16000000, 0};
    CHECK(require_check(diag::sys::assess_sys(snap), "sys.clock").severity == Severity::warning);
    snap.clock = diag::sys::ClockState{true, 100, 5};
    CHECK(require_check(diag::sys::assess_sys(snap), "sys.clock").severity == Severity::ok);
}

TEST_CASE("assess: memory pressure is judged on full avg60, cpu on some") {
    SysSnapshot snap;
    diag::sys::Pressure memory;
    memory.some = diag::sys::PressureLine{90.0, 90.0, 90.0, 1};
    memory.full = diag::sys::PressureLine{70.0, 65.0, 10.0, 1};
    snap.memory_pressure = memory;
    diag::sys::Pressure cpu;
    cpu.some = diag::sys::PressureLine{0.0, 55.0, 0.0, 1};
    cpu.full = diag::sys::PressureLine{0.0, 0.0, 0.0, 0};
    snap.cpu_pressure = cpu;
    diag::sys::Pressure io;
    io.some = diag::sys::PressureLine{30.0, 30.0, 30.0, 1};
    io.full = diag::sys::PressureLine{5.0, 5.0, 5.0, 1};
    snap.io_pressure = io;

    const auto report = diag::sys::assess_sys(snap);
    CHECK(require_check(report, "sys.pressure.memory").severity == Severity::critical);
    CHECK(require_check(report, "sys.pressure.cpu").severity == Severity::warning);
    CHECK(require_check(report, "sys.pressure.io").severity == Severity::ok);
}

TEST_CASE("assess: load is judged per CPU") {
    SysSnapshot snap;
    snap.load = diag::sys::LoadAverage{9.0, 9.0, 9.0, 1, 100};
    diag::sys::CpuTimes cpu;
    cpu.cpu_count = 4;
    snap.first.cpu = cpu;
    CHECK(require_check(diag::sys::assess_sys(snap), "sys.load").severity == Severity::warning);
    cpu.cpu_count = 2;
    snap.first.cpu = cpu;
    CHECK(require_check(diag::sys::assess_sys(snap), "sys.load").severity == Severity::critical);
    cpu.cpu_count = 16;
    snap.first.cpu = cpu;
    CHECK(require_check(diag::sys::assess_sys(snap), "sys.load").severity == Severity::ok);
}

TEST_CASE("assess: iowait and steal between two samples") {
    SysSnapshot snap;
    diag::sys::CpuTimes before;
    before.idle = 1000;
    diag::sys::CpuTimes after = before;
    after.idle += 30;
    after.iowait += 70;
    snap.first.cpu = before;
    snap.second = diag::sys::SysSample{after, {}, {}};
    snap.sample_seconds = 1.0;
    CHECK(require_check(diag::sys::assess_sys(snap), "sys.cpu").severity == Severity::critical);
    // One sample only: no rate, no finding.
    snap.second.reset();
    CHECK(find_check(diag::sys::assess_sys(snap), "sys.cpu") == nullptr);
}

TEST_CASE("assess: TCP retransmits and listen overflows during the sample") {
    SysSnapshot snap;
    snap.first.net = diag::sys::KeyValues{
        {"Tcp:OutSegs", 100000}, {"Tcp:RetransSegs", 10}, {"TcpExt:ListenOverflows", 5}};
    snap.second = diag::sys::SysSample{};
    snap.second->net = diag::sys::KeyValues{
        {"Tcp:OutSegs", 102000}, {"Tcp:RetransSegs", 310}, {"TcpExt:ListenOverflows", 5}};
    snap.sample_seconds = 1.0;
    // 300 of 2000 segments: 15%.
    CHECK(require_check(diag::sys::assess_sys(snap), "sys.tcp").severity == Severity::critical);

    snap.second->net = diag::sys::KeyValues{
        {"Tcp:OutSegs", 102000}, {"Tcp:RetransSegs", 10}, {"TcpExt:ListenOverflows", 9}};
    const auto overflow = diag::sys::assess_sys(snap);
    CHECK(require_check(overflow, "sys.tcp").severity == Severity::warning);
    CHECK_THAT(require_check(overflow, "sys.tcp").summary, Catch::Contains("4 connections"));
}

TEST_CASE("assess: a rich snapshot renders to sound Prometheus metrics") {
    SysSnapshot snap = with_memory(1000000, 30000);
    snap.meminfo->emplace("HardwareCorrupted", 0);
    snap.meminfo->emplace("SwapTotal", 1024);
    snap.meminfo->emplace("SwapFree", 512);
    snap.first.vmstat = diag::sys::KeyValues{{"oom_kill", 1}};
    snap.first.net = diag::sys::KeyValues{
        {"Tcp:OutSegs", 100}, {"Tcp:RetransSegs", 1}, {"TcpExt:ListenOverflows", 0}};
    snap.taint_mask = (1U << 4U) | (1U << 9U);
    snap.load = diag::sys::LoadAverage{1, 1, 1, 1, 10};
    snap.uptime_seconds = 100.0;
    snap.clock = diag::sys::ClockState{true, 1, 1};
    auto fs = filesystem("/", "ext4", "rw", "rw");
    fs.usage = usage(1000, 500, 500);
    snap.filesystems.push_back(fs);

    const auto report = diag::sys::assess_sys(snap);
    diag::RunInfo run;
    run.tool = "diag-sys";
    const auto text = diag::render_prometheus(report, run);
    INFO(text);
    CHECK(diag::test::prometheus_problems(text).empty());
    CHECK_THAT(text, Catch::Contains("# TYPE diag_sys_oom_kills_total counter\n"));
    CHECK_THAT(text, Catch::Contains("diag_sys_memory_hardware_corrupted_bytes"));
    CHECK_THAT(text, Catch::Contains("diag_sys_kernel_taint_flag{"));
}
