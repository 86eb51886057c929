#include <diag/crash/core_pattern.hpp>

#include <catch2/catch.hpp>

using namespace diag::crash;

TEST_CASE("core_pattern: a pipe to systemd-coredump is recognised with its program") {
    const auto pattern =
        parse_core_pattern("|/lib/systemd/systemd-coredump %P %u %g %s %t %c %h\n");
    CHECK(pattern.is_pipe);
    CHECK(pattern.handler == CoreHandler::systemd_coredump);
    CHECK(pattern.program == "/lib/systemd/systemd-coredump");
    CHECK(pattern.has_pid);
    CHECK(pattern.unknown_specifiers.empty());
}

TEST_CASE("core_pattern: apport and abrt pipes are told apart from other programs") {
    CHECK(parse_core_pattern("|/usr/share/apport/apport -p%p -s%s -c%c -d%d -P%P -- %E").handler ==
          CoreHandler::apport);
    CHECK(parse_core_pattern("|/usr/libexec/abrt-hook-ccpp %s %c %p %u %g %t e %P %I %h").handler ==
          CoreHandler::abrt);
    CHECK(parse_core_pattern("|/usr/local/bin/catch-core %p").handler == CoreHandler::other);
}

TEST_CASE("core_pattern: a file pattern splits into directory and name") {
    const auto pattern = parse_core_pattern("/var/cores/core.%e.%p.%t\n");
    CHECK_FALSE(pattern.is_pipe);
    CHECK(pattern.handler == CoreHandler::none);
    CHECK(pattern.directory == "/var/cores");
    CHECK(pattern.file_pattern == "core.%e.%p.%t");
    CHECK(pattern.has_pid);
}

TEST_CASE("core_pattern: the bare default has no directory and no pid") {
    const auto pattern = parse_core_pattern("core\n");
    CHECK(pattern.directory.empty());
    CHECK(pattern.file_pattern == "core");
    CHECK_FALSE(pattern.has_pid);
    CHECK(parse_core_pattern("").file_pattern == "core");
}

TEST_CASE("core_pattern: unknown specifiers are reported") {
    const auto pattern = parse_core_pattern("/tmp/core.%z.%p");
    REQUIRE(pattern.unknown_specifiers.size() == 1);
    CHECK(pattern.unknown_specifiers.front() == "%z");
}

TEST_CASE("core_pattern: expansion follows the kernel's specifiers and %%") {
    CoreNameFields fields;
    fields.pid = 4242;
    fields.uid = 1000;
    fields.signal = 11;
    fields.time_seconds = 1700000000;
    fields.hostname = "web1";
    fields.comm = "nginx";
    CHECK(expand_core_pattern("core.%e.%p.%u.%s.%t.%h.%%", fields) ==
          "core.nginx.4242.1000.11.1700000000.web1.%");
    CHECK(expand_core_pattern("core.%g", fields) == "core.");
}

TEST_CASE("core_pattern: names made by a pattern match it and others do not") {
    CHECK(matches_core_pattern("core.%e.%p", "core.nginx.4242"));
    CHECK(matches_core_pattern("core.%p", "core.17"));
    CHECK_FALSE(matches_core_pattern("core.%p", "core."));
    CHECK_FALSE(matches_core_pattern("core.%e.%p", "vmcore.nginx.1"));
    CHECK(matches_core_pattern("core", "core"));
    CHECK_FALSE(matches_core_pattern("core", "core.1"));
    CHECK(matches_core_pattern("x%%%p", "x%12"));
}
