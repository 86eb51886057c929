// The tools on the machine the tests run on. Whatever its health, they must judge something
// and exit 0, 1 or 2; these carry the ctest label "live".

#include "run_tool.hpp"
#include "support/contracts.hpp"

#include <catch2/catch.hpp>

TEST_CASE("live: diag-sys and diag-report on / give findings and exit 0, 1 or 2", "[live]") {
    for (const char* tool : {"diag-sys", "diag-report"}) {
        const auto run = diag::test::run_tool(tool, {"--json"});
        INFO(diag::test::describe(run));
        REQUIRE(run.exit_code.has_value());
        CHECK(*run.exit_code >= 0);
        CHECK(*run.exit_code <= 2);
        const auto json = diag::test::json_of(run);
        CHECK(json.at("diag").at("root") == "/");
        CHECK(json.at("diag").at("exit_status") == *run.exit_code);
        CHECK_FALSE(json.at("host").at("kernel_release").get<std::string>().empty());
        // Every Linux box has these files, so these checks always have data.
        CHECK(diag::test::has_finding(json, "sys.memory.available"));
        CHECK(diag::test::has_finding(json, "sys.load"));
        CHECK(diag::test::has_finding(json, "sys.uptime"));
        CHECK(diag::test::has_finding(json, "sys.fs.space"));
        // Two readings were taken, so the CPU shares exist.
        CHECK(diag::test::has_finding(json, "sys.cpu"));
        CHECK(json.at("assessed_checks_count").get<int>() >= 5);
    }
}

TEST_CASE("live: diag-sys --nagios on / prints a contract status line", "[live]") {
    const auto run = diag::test::run_tool("diag-sys", {"--nagios", "--sample", "0"});
    INFO(diag::test::describe(run));
    REQUIRE(run.exit_code.has_value());
    CHECK(*run.exit_code <= 2);
    const auto line = diag::test::first_line(run);
    CHECK(diag::test::is_nagios_status_line(line));
    CHECK_THAT(line, Catch::Contains("'mem_available_pct'="));
}

TEST_CASE("live: diag-sys text on / has a header with the kernel and a summary", "[live]") {
    const auto run = diag::test::run_tool("diag-sys", {"--sample", "0", "--color=never"});
    INFO(diag::test::describe(run));
    CHECK_THAT(run.out, Catch::StartsWith("diag-sys on "));
    CHECK_THAT(run.out, Catch::Contains("(Linux "));
    CHECK_THAT(run.out, Catch::Contains("\nSummary: "));
    CHECK_THAT(run.out, Catch::Contains("sys.memory.available"));
}
