// diag-sys, diag-report and diag on captured roots: node_exporter's real fixture tree, roots
// made here with half their files, with FIFOs that never answer, and an empty one.

#include "run_tool.hpp"
#include "support/shared_data.hpp"
#include "support/temp_dir.hpp"

#include <chrono>

#include <catch2/catch.hpp>

using namespace std::chrono_literals;

namespace {

// Every tool here runs on a captured root without sampling, so its budget is a few deadlines
// (diag-report allows 3 per collector plus the sampling interval); the margin is for a busy CI.
constexpr int kTimeoutSeconds = 2;
constexpr auto kBudget = 3 * std::chrono::seconds(kTimeoutSeconds) + 1s + 10s;

const std::vector<std::string> kTools{"diag-sys", "diag-report"};

}  // namespace

TEST_CASE("captured root: node_exporter's tree gives findings from it and Issues for its gaps") {
    const auto root = diag::test::require_shared_data("sysfs-fixtures/node_exporter");
    for (const auto& tool : kTools) {
        const auto run = diag::test::run_tool(tool, {"--root", root.string(), "--json"});
        INFO(diag::test::describe(run));
        REQUIRE(run.exit_code.has_value());
        CHECK(*run.exit_code >= 0);
        CHECK(*run.exit_code <= 2);
        const auto json = diag::test::json_of(run);

        CHECK(json.at("diag").at("root") == root.string());
        CHECK(json.at("diag").at("exit_status") == *run.exit_code);
        CHECK(json.at("diag").at("complete") == false);
        CHECK(diag::test::has_finding(json, "sys.memory.hardware_corrupted"));
        CHECK(diag::test::has_finding(json, "sys.tcp"));
        CHECK(json.at("assessed_checks_count").get<int>() >= 2);
        for (const char* missing : {"/proc/stat", "/proc/pressure/cpu", "/proc/pressure/io",
                                    "/proc/loadavg", "/proc/self/mountinfo", "/proc/vmstat"}) {
            INFO("missing " << missing);
            CHECK(diag::test::has_issue(json, {root.string() + missing, "No such file"}));
        }
        // The tree's kernel predates MemAvailable: available memory is estimated, and says so.
        CHECK(diag::test::has_finding(json, "sys.memory.available"));
        for (const auto& finding : json.at("findings")) {
            if (finding.at("check") == "sys.memory.available") {
                CHECK(finding.at("evidence").at("available_estimated") == true);
            }
        }
    }
}

TEST_CASE("captured root: node_exporter's tree in text shows the findings and the gaps") {
    const auto root = diag::test::require_shared_data("sysfs-fixtures/node_exporter");
    const auto run = diag::test::run_tool("diag-sys", {"--root", root.string()});
    INFO(diag::test::describe(run));
    CHECK(run.exit_code == 0);
    CHECK_THAT(run.out, Catch::Contains("sys.memory.hardware_corrupted"));
    CHECK_THAT(run.out, Catch::Contains(", captured root " + root.string()));
    CHECK_THAT(run.out, Catch::Contains("Could not check ("));
    CHECK_THAT(run.out, Catch::Contains("open " + root.string() + "/proc/stat: No such file"));
    CHECK(run.out.find('\x1b') == std::string::npos);
}

TEST_CASE("captured root: a FIFO that never answers does not hang any tool") {
    diag::test::TempDir dir;
    dir.make_fifo("proc/meminfo");
    // A symlink to a FIFO, absolute, resolved inside the root.
    dir.make_fifo("run/stuck");
    dir.make_symlink("proc/stat", "/run/stuck");
    dir.write("proc/loadavg", "0.10 0.20 0.30 1/100 42\n");
    dir.write("proc/sys/kernel/tainted", "0\n");

    const std::vector<std::vector<std::string>> commands{
        {"diag-sys"}, {"diag-report"}, {"diag", "sys"}, {"diag", "report"}};
    for (const auto& command : commands) {
        std::vector<std::string> args(command.begin() + 1, command.end());
        for (const auto& arg : {std::string("--root"), dir.path().string(), std::string("--json"),
                                std::string("--timeout"), std::to_string(kTimeoutSeconds)}) {
            args.push_back(arg);
        }
        diag::test::ProcessOptions options;
        options.hard_timeout = 60s;
        const auto run = diag::test::run_tool(command[0], args, options);
        INFO(diag::test::describe(run));
        CHECK(run.elapsed < kBudget);
        CHECK(run.exit_code == 0);
        const auto json = diag::test::json_of(run);
        CHECK(diag::test::has_issue(json, {"/proc/meminfo", "not a regular file"}));
        CHECK(diag::test::has_issue(json, {"/proc/stat", "not a regular file"}));
        CHECK(diag::test::has_finding(json, "sys.load"));
        CHECK(diag::test::has_finding(json, "sys.kernel.taint"));
    }
}

TEST_CASE("captured root: the FIFO Issue is shown in text and in Nagios output too") {
    diag::test::TempDir dir;
    dir.make_fifo("proc/meminfo");
    dir.write("proc/uptime", "5000.00 9000.00\n");
    const auto root = dir.path().string();

    const auto text = diag::test::run_tool("diag-sys", {"--root", root, "--timeout", "2"});
    INFO(diag::test::describe(text));
    CHECK(text.exit_code == 0);
    CHECK_THAT(text.out, Catch::Contains("open " + root + "/proc/meminfo: not a regular file"));

    const auto nagios =
        diag::test::run_tool("diag-sys", {"--root", root, "--timeout", "2", "--nagios"});
    INFO(diag::test::describe(nagios));
    CHECK(nagios.exit_code == 0);
    CHECK_THAT(nagios.out, Catch::Contains("could not check: open " + root +
                                           "/proc/meminfo: not a regular file"));
}

TEST_CASE("captured root: half the files give partial findings and an Issue per gap") {
    diag::test::TempDir dir;
    dir.write("proc/meminfo", "MemTotal: 1000000 kB\nMemAvailable: 30000 kB\n");
    dir.write("proc/sys/kernel/tainted", "0\n");
    dir.write("proc/self/mountinfo",
              "22 1 254:1 / / ro,relatime - ext4 /dev/vda1 ro,errors=remount-ro\n");
    dir.write("etc/fstab", "/dev/vda1 / ext4 errors=remount-ro 0 1\n");

    for (const auto& tool : kTools) {
        const auto run = diag::test::run_tool(tool, {"--root", dir.path().string(), "--json"});
        INFO(diag::test::describe(run));
        // MemAvailable at 3% and / read-only against fstab are both critical.
        CHECK(run.exit_code == 2);
        const auto json = diag::test::json_of(run);
        CHECK(json.at("worst_severity") == "critical");
        CHECK(diag::test::has_finding(json, "sys.memory.available"));
        CHECK(diag::test::has_finding(json, "sys.fs.read_only"));
        CHECK(diag::test::has_finding(json, "sys.kernel.taint"));
        CHECK_FALSE(diag::test::has_finding(json, "sys.load"));
        CHECK(diag::test::has_issue(json, {"/proc/loadavg", "No such file"}));
        CHECK(diag::test::has_issue(json, {"/proc/stat", "No such file"}));
        CHECK(diag::test::has_issue(json, {"/proc/uptime", "No such file"}));
    }
}

TEST_CASE("captured root: an empty root exits 3, and UNKNOWN under --nagios") {
    diag::test::TempDir dir;
    const auto root = dir.path().string();
    for (const auto& tool : kTools) {
        const auto text = diag::test::run_tool(tool, {"--root", root});
        INFO(diag::test::describe(text));
        CHECK(text.exit_code == 3);
        CHECK_THAT(text.out, Catch::Contains("Summary: nothing could be assessed"));

        const auto json =
            diag::test::json_of(diag::test::run_tool(tool, {"--root", root, "--json"}));
        CHECK(json.at("diag").at("exit_status") == 3);
        CHECK(json.at("findings").empty());
        CHECK_FALSE(json.at("issues").empty());

        const auto nagios = diag::test::run_tool(tool, {"--root", root, "--nagios"});
        INFO(diag::test::describe(nagios));
        CHECK(nagios.exit_code == 3);
        CHECK_THAT(diag::test::first_line(nagios), Catch::Contains(" UNKNOWN - "));
    }
    CHECK(diag::test::run_tool("diag", {"sys", "--root", root}).exit_code == 3);
}

TEST_CASE("captured root: a root that does not exist is an Issue and exit 3") {
    diag::test::TempDir dir;
    const auto missing = dir.at("nope").string();
    const auto run = diag::test::run_tool("diag-sys", {"--root", missing, "--json"});
    INFO(diag::test::describe(run));
    CHECK(run.exit_code == 3);
    const auto json = diag::test::json_of(run);
    CHECK(diag::test::has_issue(json, {"open root", missing, "No such file"}));
}
