#include <diag/crash/core_discovery.hpp>
#include <diag/crash/live_process.hpp>

#include <catch2/catch.hpp>

using namespace diag::crash;

TEST_CASE("core discovery: systemd-coredump file names give comm, uid, pid and time") {
    const auto core = parse_systemd_core_name(
        "core.my.server.1000.0123456789abcdef0123456789abcdef.4242.1700000000123456.zst");
    REQUIRE(core.has_value());
    CHECK(core->executable == "my.server");
    CHECK(core->uid == 1000U);
    CHECK(core->pid == 4242);
    CHECK(core->compression == "zst");
    REQUIRE(core->time.has_value());
    CHECK(
        std::chrono::duration_cast<std::chrono::seconds>(core->time->time_since_epoch()).count() ==
        1700000000);
    CHECK_FALSE(parse_systemd_core_name("core.x.1000.short.4242.1700000000123456").has_value());
    CHECK_FALSE(parse_systemd_core_name("notes.txt").has_value());
}

TEST_CASE("core discovery: apport reports give executable, signal and whether a core is there") {
    const auto with_core = parse_apport_report(
        "ProblemType: Crash\nDate: Thu Jan  2 03:04:05 2025\nExecutablePath: /usr/bin/foo\n"
        "Pid: 812\nSignal: 11\nUid: 1000\nCoreDump: base64\n H4sICAAAAAAC/0NvcmVEdW1wAA==\n");
    CHECK(with_core.executable == "/usr/bin/foo");
    CHECK(with_core.signal == 11);
    CHECK(with_core.pid == 812);
    CHECK(with_core.uid == 1000U);
    CHECK(with_core.core_present);
    const auto without = parse_apport_report("ProblemType: Crash\nExecutablePath: /bin/x\n");
    CHECK_FALSE(without.core_present);
    CHECK_FALSE(without.signal.has_value());
}

TEST_CASE("core discovery: only ELF cores look like cores") {
    std::string core(64, '\0');
    core.replace(0, 4,
                 "\x7f"
                 "ELF");
    core[16] = 4;
    CHECK(looks_like_core(core));
    core[16] = 2;
    CHECK_FALSE(looks_like_core(core));
    CHECK_FALSE(looks_like_core("core dumped\n"));
}

TEST_CASE("live process: the state letter comes after the last parenthesis of stat") {
    CHECK(stat_state("1234 (my (odd) name) D 1 1234 1234 0") == 'D');
    CHECK(stat_state("1 (init) S 0 1 1") == 'S');
    CHECK_FALSE(stat_state("garbage").has_value());
}
