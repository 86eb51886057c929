#include <diag/crash/core_enable.hpp>

#include <string>

#include <catch2/catch.hpp>

using diag::crash::CoreLimit;
using diag::crash::CoreSetup;

namespace {

// The "Max core file size" line as Linux 6.1 prints it in /proc/PID/limits.
const std::string kLimits =
    "Limit                     Soft Limit           Hard Limit           Units     \n"
    "Max cpu time              unlimited            unlimited            seconds   \n"
    "Max core file size        0                    unlimited            bytes     \n"
    "Max resident set          unlimited            unlimited            bytes     \n";

CoreSetup setup_with(const std::string& pattern, CoreLimit limit) {
    CoreSetup setup;
    setup.pattern = diag::crash::parse_core_pattern(pattern);
    setup.pid = 4242;
    setup.limit = limit;
    setup.pipe_program_present = true;
    setup.working_directory = "/srv/app";
    return setup;
}

}  // namespace

TEST_CASE("core enable: the core line of /proc/PID/limits gives soft and hard limits") {
    const auto limit = diag::crash::parse_core_limit(kLimits);
    REQUIRE(limit.has_value());
    CHECK(limit->soft_bytes == 0U);
    CHECK_FALSE(limit->hard_bytes.has_value());
    CHECK_FALSE(diag::crash::parse_core_limit("Max cpu time  unlimited  unlimited  seconds\n"));
    CHECK_FALSE(diag::crash::parse_core_limit("Max core file size  lots  unlimited  bytes\n"));
}

TEST_CASE(
    "core enable: a file pattern with RLIMIT_CORE 0 leaves no core and the limit is to "
    "blame") {
    const auto verdict = diag::crash::assess_core_setup(setup_with("core\n", {0, std::nullopt}));
    CHECK_FALSE(verdict.core_kept);
    CHECK(verdict.limit_blocks);
    CHECK(verdict.summary == "no core: RLIMIT_CORE is 0 (ulimit -c 0)");
}

TEST_CASE("core enable: a relative file pattern writes into the process's working directory") {
    const auto verdict =
        diag::crash::assess_core_setup(setup_with("core.%p\n", {std::nullopt, std::nullopt}));
    CHECK(verdict.core_kept);
    CHECK_FALSE(verdict.limit_blocks);
    CHECK(verdict.summary == "core written to /srv/app/core.%p");
    CHECK(verdict.reasons.at(1) == "RLIMIT_CORE of pid 4242: soft unlimited, hard unlimited");
}

TEST_CASE(
    "core enable: systemd-coredump keeps nothing under a zero limit and keeps the core "
    "otherwise") {
    const std::string pattern = "|/lib/systemd/systemd-coredump %P %u %g %s %t %c %h\n";
    const auto blocked = diag::crash::assess_core_setup(setup_with(pattern, {0, std::nullopt}));
    CHECK_FALSE(blocked.core_kept);
    CHECK(blocked.limit_blocks);
    CHECK(blocked.summary.starts_with("no core kept: systemd-coredump honours RLIMIT_CORE"));
    const auto kept =
        diag::crash::assess_core_setup(setup_with(pattern, {std::nullopt, std::nullopt}));
    CHECK(kept.core_kept);
    auto none = setup_with(pattern, {std::nullopt, std::nullopt});
    none.coredump_storage = "none";
    CHECK_FALSE(diag::crash::assess_core_setup(none).core_kept);
}

TEST_CASE("core enable: a pipe to a program that is not there leaves no core") {
    auto setup = setup_with("|/usr/share/apport/apport %p %s %c\n", {std::nullopt, std::nullopt});
    setup.pipe_program_present = false;
    const auto verdict = diag::crash::assess_core_setup(setup);
    CHECK_FALSE(verdict.core_kept);
    CHECK(verdict.summary ==
          "no core: the core_pattern program /usr/share/apport/apport does not exist");
}
