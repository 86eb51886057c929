// Inputs that broke the sys decoders, found by the fuzz targets in fuzz/, kept as tests so the
// fixes stay. The sys assess case was found while reading the code those inputs reach.

#include <diag/sys/cpu_times.hpp>
#include <diag/sys/key_values.hpp>
#include <diag/sys/loadavg.hpp>
#include <diag/sys/mounts.hpp>
#include <diag/sys/pressure.hpp>
#include <diag/sys/sys_assess.hpp>

#include <catch2/catch.hpp>

TEST_CASE("meminfo: a kB value whose bytes overflow 64 bits is skipped, the rest still read") {
    const auto values = diag::sys::parse_meminfo(
        "MemTotal: 223341634359738367 kB\nMemFree: 9007199254740991 kB\nMemAvailable: 16 kB\n");
    CHECK_FALSE(values.contains("MemTotal"));
    CHECK(diag::sys::find(values, "MemFree") == std::int64_t{9007199254740991} * 1024);
    CHECK(diag::sys::find(values, "MemAvailable") == 16 * 1024);
}

TEST_CASE("pressure: a line that repeats a key instead of giving total is not read") {
    const auto pressure = diag::sys::parse_pressure(
        "some avg10=4.10 avg60=12.50 avg300=12.50 avg300=3.00\n"
        "full avg10=1.00 avg60=2.00 avg300=3.00 total=400\n");
    CHECK_FALSE(pressure.some.has_value());
    REQUIRE(pressure.full.has_value());
    CHECK(pressure.full->total_us == 400);
}

TEST_CASE("pressure: an average outside 0 to 100 percent is not a pressure line") {
    CHECK_FALSE(
        diag::sys::parse_pressure("some avg10=4.10 avg60=125.0 avg300=3.00 total=1\n").some);
    CHECK_FALSE(diag::sys::parse_pressure("some avg10=-1 avg60=0 avg300=0 total=1\n").some);
    CHECK(diag::sys::parse_pressure("some avg10=100.00 avg60=0.00 avg300=0 total=1\n").some);
}

TEST_CASE("loadavg: task counts too large for 32 bits are left at 0, not cut down to fit") {
    const auto load = diag::sys::parse_loadavg("0.50 0.40 0.30 79815989/77777777770 4\n");
    REQUIRE(load.has_value());
    CHECK(load->load1 == 0.5);
    CHECK(load->runnable == 0);
    CHECK(load->tasks == 0);
}

TEST_CASE("mountinfo: an id too large for 32 bits makes the line skipped, not wrapped") {
    const auto table = diag::sys::parse_mountinfo(
        "22 99999999999999991 8:1 / / rw - ext4 /dev/sda1 rw\n"
        "23 1 8:4294967296 / /srv rw - ext4 /dev/sda2 rw\n"
        "24 1 8:2 / /data rw - ext4 /dev/sda3 rw\n");
    CHECK(table.skipped == 2);
    REQUIRE(table.mounts.size() == 1);
    CHECK(table.mounts[0].mount_point == "/data");
}

TEST_CASE("cpu shares: a counter that goes backwards does not push a share past 100%") {
    diag::sys::CpuTimes before;
    before.user = 100;
    before.idle = 1000;
    before.iowait = 50;
    diag::sys::CpuTimes after = before;
    after.user = 110;    // +10
    after.idle = 950;    // went backwards: counts as no time
    after.iowait = 100;  // +50; against the totals' difference of 10 this was 500%
    const auto shares = diag::sys::cpu_shares(before, after);
    REQUIRE(shares.has_value());
    CHECK(shares->iowait_pct == Approx(100.0 * 50 / 60));
    CHECK(shares->busy_pct == Approx(100.0 * 10 / 60));
    CHECK(shares->steal_pct == 0.0);
    CHECK_FALSE(diag::sys::cpu_shares(after, after).has_value());
}

TEST_CASE("loadavg and uptime: nan and inf are not numbers /proc writes") {
    CHECK_FALSE(diag::sys::parse_loadavg("nan nan nan 1/2 3\n").has_value());
    CHECK_FALSE(diag::sys::parse_loadavg("0.1 inf 0.3 1/2 3\n").has_value());
    CHECK_FALSE(diag::sys::parse_uptime_seconds("inf 1.0\n").has_value());
    CHECK_FALSE(diag::sys::parse_uptime_seconds("1e400 1.0\n").has_value());
    CHECK(diag::sys::parse_uptime_seconds("35015.67 69231.04\n") == 35015.67);
}

TEST_CASE("sys assess: an absurd but finite uptime from a captured root is still reported") {
    diag::sys::SysSnapshot snapshot;
    snapshot.uptime_seconds = 1e300;
    const auto report = diag::sys::assess_sys(snapshot);
    REQUIRE(report.findings.size() == 1);
    CHECK(report.findings[0].check == "sys.uptime");
    CHECK(report.findings[0].severity == diag::Severity::ok);
}

TEST_CASE("proc stat: an aggregate line whose ticks overflow 64 bits when added is not read") {
    CHECK_FALSE(diag::sys::parse_proc_stat("cpu 18446744073709551615 1 0 0\n").has_value());
    const auto times = diag::sys::parse_proc_stat("cpu 18446744073709551614 1 0 0\ncpu0 1 1 1 1\n");
    REQUIRE(times.has_value());
    CHECK(times->total() == 18446744073709551615ULL);
    CHECK(times->cpu_count == 1);
}
