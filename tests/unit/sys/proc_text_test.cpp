// Small /proc formats the shared data lacks. The inputs are my own, written in the shapes that
// Documentation/accounting/psi.rst, Documentation/filesystems/proc.rst and proc(5) give.

#include <diag/sys/cpu_times.hpp>
#include <diag/sys/loadavg.hpp>
#include <diag/sys/pressure.hpp>
#include <diag/sys/text_fields.hpp>

#include <catch2/catch.hpp>

TEST_CASE("pressure: some and full lines decode to percent and microseconds") {
    const auto pressure = diag::sys::parse_pressure(
        "some avg10=1.53 avg60=63.51 avg300=39.30 total=194887113\n"
        "full avg10=0.00 avg60=0.25 avg300=0.10 total=12345\n");
    REQUIRE(pressure.some.has_value());
    CHECK(pressure.some->avg10_pct == Approx(1.53));
    CHECK(pressure.some->avg60_pct == Approx(63.51));
    CHECK(pressure.some->avg300_pct == Approx(39.30));
    CHECK(pressure.some->total_us == 194887113);
    REQUIRE(pressure.full.has_value());
    CHECK(pressure.full->avg60_pct == Approx(0.25));
    CHECK(pressure.full->total_us == 12345);
}

TEST_CASE("pressure: the cpu file before Linux 5.13 has no full line") {
    const auto pressure =
        diag::sys::parse_pressure("some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
    CHECK(pressure.some.has_value());
    CHECK_FALSE(pressure.full.has_value());
}

TEST_CASE("pressure: a line with a missing or broken field is absent, not zero") {
    const auto pressure = diag::sys::parse_pressure(
        "some avg10=0.10 avg60=0.20 total=5\n"
        "full avg10=x avg60=0.20 avg300=0.30 total=5\n");
    CHECK_FALSE(pressure.some.has_value());
    CHECK_FALSE(pressure.full.has_value());
    CHECK_FALSE(diag::sys::parse_pressure("").some.has_value());
}

TEST_CASE("pressure: unknown extra fields from a newer kernel are ignored") {
    const auto pressure =
        diag::sys::parse_pressure("some avg10=0.10 avg60=0.20 avg300=0.30 avg900=0.40 total=5\n");
    REQUIRE(pressure.some.has_value());
    CHECK(pressure.some->avg300_pct == Approx(0.30));
}

TEST_CASE("proc stat: the modern cpu line with ten fields and per-CPU lines") {
    const auto times = diag::sys::parse_proc_stat(
        "cpu  10132153 290696 3084719 46828483 16683 0 25195 175 0 0\n"
        "cpu0 1393280 32966 572056 13343292 6130 0 17875 100 0 0\n"
        "cpu1 1335367 28612 553048 13361587 3810 0 3541 75 0 0\n"
        "intr 199292 0 9 0\n"
        "ctxt 3434233\n"
        "btime 1700000000\n");
    REQUIRE(times.has_value());
    CHECK(times->user == 10132153);
    CHECK(times->nice == 290696);
    CHECK(times->system == 3084719);
    CHECK(times->idle == 46828483);
    CHECK(times->iowait == 16683);
    CHECK(times->irq == 0);
    CHECK(times->softirq == 25195);
    CHECK(times->steal == 175);
    CHECK(times->cpu_count == 2);
    CHECK(times->total() == 10132153ULL + 290696 + 3084719 + 46828483 + 16683 + 25195 + 175);
}

TEST_CASE("proc stat: the old four-field cpu line of Linux 2.4") {
    const auto times = diag::sys::parse_proc_stat("cpu  100 20 30 400\ncpu0 100 20 30 400\n");
    REQUIRE(times.has_value());
    CHECK(times->user == 100);
    CHECK(times->idle == 400);
    CHECK(times->iowait == 0);
    CHECK(times->steal == 0);
    CHECK(times->cpu_count == 1);
}

TEST_CASE("proc stat: no aggregate line, too few fields or garbage give nothing") {
    CHECK_FALSE(diag::sys::parse_proc_stat("cpu0 1 2 3 4\nintr 5\n").has_value());
    CHECK_FALSE(diag::sys::parse_proc_stat("cpu 1 2 3\n").has_value());
    CHECK_FALSE(diag::sys::parse_proc_stat("cpu 1 2 x 4\n").has_value());
    CHECK_FALSE(diag::sys::parse_proc_stat("").has_value());
}

TEST_CASE("cpu shares: iowait, steal and busy between two readings") {
    diag::sys::CpuTimes before;
    before.user = 100;
    before.idle = 1000;
    diag::sys::CpuTimes after = before;
    after.user += 30;
    after.idle += 40;
    after.iowait += 20;
    after.steal += 10;
    const auto shares = diag::sys::cpu_shares(before, after);
    REQUIRE(shares.has_value());
    CHECK(shares->iowait_pct == Approx(20.0));
    CHECK(shares->steal_pct == Approx(10.0));
    CHECK(shares->busy_pct == Approx(40.0));
    CHECK_FALSE(diag::sys::cpu_shares(after, after).has_value());
}

TEST_CASE("loadavg: three averages and runnable/total tasks") {
    const auto load = diag::sys::parse_loadavg("0.52 1.58 12.59 3/345 12345\n");
    REQUIRE(load.has_value());
    CHECK(load->load1 == Approx(0.52));
    CHECK(load->load5 == Approx(1.58));
    CHECK(load->load15 == Approx(12.59));
    CHECK(load->runnable == 3);
    CHECK(load->tasks == 345);
}

TEST_CASE("loadavg: without the task field the averages still count; garbage does not") {
    const auto load = diag::sys::parse_loadavg("0.00 0.01 0.05");
    REQUIRE(load.has_value());
    CHECK(load->load15 == Approx(0.05));
    CHECK_FALSE(diag::sys::parse_loadavg("0.1 0.2\n").has_value());
    CHECK_FALSE(diag::sys::parse_loadavg("a b c 1/2 3\n").has_value());
    CHECK_FALSE(diag::sys::parse_loadavg("-1 0.2 0.3\n").has_value());
    CHECK_FALSE(diag::sys::parse_loadavg("").has_value());
}

TEST_CASE("uptime: the first field is seconds since boot") {
    CHECK(diag::sys::parse_uptime_seconds("1138.25 2200.10\n").value_or(0) == Approx(1138.25));
    CHECK_FALSE(diag::sys::parse_uptime_seconds("up\n").has_value());
    CHECK_FALSE(diag::sys::parse_uptime_seconds("").has_value());
}

TEST_CASE("text fields: split on blanks and lines, parse whole numbers only") {
    CHECK(diag::sys::split_fields("  a\t b  c ") == std::vector<std::string_view>{"a", "b", "c"});
    CHECK(diag::sys::split_lines("x\r\ny\n\nz\n") ==
          std::vector<std::string_view>{"x", "y", "", "z"});
    CHECK(diag::sys::parse_int("-12") == -12);
    CHECK_FALSE(diag::sys::parse_int("12 ").has_value());
    CHECK_FALSE(diag::sys::parse_int("").has_value());
    CHECK_FALSE(diag::sys::parse_uint("-1").has_value());
    CHECK(diag::sys::parse_uint("18446744073709551615") == 18446744073709551615ULL);
    CHECK_FALSE(diag::sys::parse_uint("18446744073709551616").has_value());
    CHECK(diag::sys::parse_double("0.5").value_or(0) == Approx(0.5));
}
