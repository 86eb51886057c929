// probe_sys on captured roots built in a temp directory: what it reads, and the Issues it
// gives for what it cannot read.

#include "support/temp_dir.hpp"

#include <diag/sys/sys_assess.hpp>
#include <diag/sys/sys_snapshot.hpp>

#include <algorithm>

#include <catch2/catch.hpp>

using namespace std::chrono_literals;

namespace {

constexpr const char* kMountinfo =
    "22 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw,errors=remount-ro\n"
    "23 22 0:22 / /proc rw,nosuid shared:12 - proc proc rw\n"
    "40 22 8:17 / /srv ro,relatime shared:30 - ext4 /dev/sdb1 ro,errors=remount-ro\n";

diag::sys::SysProbeOptions no_sampling() {
    return diag::sys::SysProbeOptions{0.0};
}

diag::Root open_root(const diag::test::TempDir& dir) {
    auto root = diag::Root::open(dir.path().string(), 10s);
    REQUIRE(root.has_value());
    return *root;
}

bool has_issue(const std::vector<diag::Issue>& issues, std::string_view subject_end,
               std::string_view reason_part) {
    return std::any_of(issues.begin(), issues.end(), [&](const diag::Issue& issue) {
        return issue.subject.ends_with(subject_end) &&
               issue.reason.find(reason_part) != std::string::npos;
    });
}

std::string all_issues(const std::vector<diag::Issue>& issues) {
    std::string text;
    for (const auto& issue : issues) {
        text += diag::describe(issue) + "\n";
    }
    return text;
}

}  // namespace

TEST_CASE("probe: a full captured root is read and judged, ext4 errors through /sys/dev/block") {
    diag::test::TempDir dir;
    dir.write("proc/meminfo",
              "MemTotal: 1000000 kB\nMemAvailable: 30000 kB\n"
              "HardwareCorrupted: 0 kB\n");
    dir.write("proc/stat", "cpu  1 2 3 4 5 6 7 8 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\n");
    dir.write("proc/vmstat", "oom_kill 0\npswpin 0\n");
    dir.write("proc/net/snmp", "Tcp: OutSegs RetransSegs\nTcp: 1000 1\n");
    dir.write("proc/net/netstat", "TcpExt: ListenOverflows\nTcpExt: 0\n");
    for (const char* resource : {"cpu", "memory", "io"}) {
        dir.write(std::string("proc/pressure/") + resource,
                  "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"
                  "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
    }
    dir.write("proc/loadavg", "0.10 0.20 0.30 1/100 42\n");
    dir.write("proc/uptime", "5000.00 9000.00\n");
    dir.write("proc/sys/kernel/tainted", "0\n");
    dir.write("proc/self/mountinfo", kMountinfo);
    dir.write("etc/fstab", "/dev/vda1 / ext4 errors=remount-ro 0 1\n");
    dir.make_symlink("sys/dev/block/8:17", "../../devices/pci0000:00/block/sdb/sdb1");
    dir.write("sys/fs/ext4/sdb1/errors_count", "3\n");

    const auto collected = diag::sys::probe_sys(open_root(dir), no_sampling());
    const auto& snap = collected.data;
    INFO(all_issues(collected.issues));

    REQUIRE(snap.meminfo.has_value());
    CHECK(snap.first.cpu.has_value());
    CHECK(snap.cpu_pressure.has_value());
    CHECK(snap.load.has_value());
    CHECK(snap.uptime_seconds.value_or(0) == Approx(5000.0));
    CHECK(snap.taint_mask == std::uint64_t{0});
    REQUIRE(snap.filesystems.size() == 2);  // proc is left out
    CHECK(snap.filesystems[0].mount.mount_point == "/");
    CHECK(snap.filesystems[0].fstab_options == std::string("errors=remount-ro"));
    CHECK(snap.filesystems[1].mount.mount_point == "/srv");
    CHECK(snap.filesystems[1].ext4_errors == std::uint64_t{3});
    // Live-only measures are one info Issue under a captured root.
    CHECK_FALSE(snap.clock.has_value());
    CHECK_FALSE(snap.second.has_value());
    CHECK(has_issue(collected.issues, "filesystem space, clock and rates", "live machine"));

    const auto report = diag::sys::assess_sys(snap);
    CHECK(diag::exit_status(report) == 2);
    const auto srv = std::find_if(report.findings.begin(), report.findings.end(),
                                  [](const auto& f) { return f.subject == "/srv"; });
    REQUIRE(srv != report.findings.end());
    CHECK(srv->severity == diag::Severity::critical);
}

TEST_CASE("probe: a root lacking half its files gives partial data and an Issue for each gap") {
    diag::test::TempDir dir;
    dir.write("proc/meminfo", "MemTotal: 1000000 kB\nMemAvailable: 500000 kB\n");
    dir.write("proc/loadavg", "0.10 0.20 0.30 1/100 42\n");
    dir.write("proc/sys/kernel/tainted", "16\n");

    const auto collected = diag::sys::probe_sys(open_root(dir), no_sampling());
    INFO(all_issues(collected.issues));
    CHECK(collected.data.meminfo.has_value());
    CHECK(collected.data.load.has_value());
    CHECK(collected.data.taint_mask == std::uint64_t{16});
    CHECK_FALSE(collected.data.first.cpu.has_value());
    CHECK_FALSE(collected.data.uptime_seconds.has_value());
    CHECK_FALSE(collected.data.io_pressure.has_value());

    for (const char* missing : {"/proc/stat", "/proc/vmstat", "/proc/net/snmp", "/proc/uptime",
                                "/proc/pressure/io", "/proc/self/mountinfo"}) {
        INFO(missing);
        CHECK(has_issue(collected.issues, missing, "No such file or directory"));
    }
    const auto report = diag::sys::assess_sys(collected.data);
    CHECK(diag::exit_status(report) == 2);  // taint M
}

TEST_CASE("probe: a FIFO or a garbled file is an Issue and the rest is still read") {
    diag::test::TempDir dir;
    dir.make_fifo("proc/meminfo");
    dir.write("proc/loadavg", "not a load average\n");
    dir.write("proc/uptime", "5000.00 9000.00\n");

    const auto collected = diag::sys::probe_sys(open_root(dir), no_sampling());
    INFO(all_issues(collected.issues));
    CHECK_FALSE(collected.data.meminfo.has_value());
    CHECK_FALSE(collected.data.load.has_value());
    CHECK(collected.data.uptime_seconds.has_value());
    CHECK(has_issue(collected.issues, "/proc/meminfo", "not a regular file"));
    CHECK(has_issue(collected.issues, "/proc/loadavg", "unexpected format"));
}

TEST_CASE("probe: a missing /etc/fstab is reported, since read-only mounts cannot be compared") {
    diag::test::TempDir dir;
    dir.write("proc/self/mountinfo", kMountinfo);

    const auto collected = diag::sys::probe_sys(open_root(dir), no_sampling());
    INFO(all_issues(collected.issues));
    CHECK(collected.data.filesystems.size() == 2);
    CHECK(has_issue(collected.issues, "/etc/fstab", "No such file or directory"));
}

TEST_CASE("probe: an empty root gives nothing to assess") {
    diag::test::TempDir dir;
    const auto collected = diag::sys::probe_sys(open_root(dir), no_sampling());
    const auto report = diag::sys::assess_sys(collected.data);
    CHECK(report.findings.empty());
    CHECK(diag::exit_status(report) == 3);
    CHECK(collected.issues.size() >= 10);
}
