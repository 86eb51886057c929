// The command-line contract every tool shares: output forms, usage errors, help, version, and
// the diag front command.

#include "run_tool.hpp"
#include "support/contracts.hpp"
#include "support/shared_data.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

namespace {

const std::vector<std::string> kTools{"diag-sys", "diag-report"};

// A small root that gives one warning (an OOM kill) and one ok finding, quickly.
void make_small_root(const diag::test::TempDir& dir) {
    dir.write("proc/meminfo", "MemTotal: 1000000 kB\nMemAvailable: 500000 kB\n");
    dir.write("proc/vmstat", "oom_kill 1\n");
}

}  // namespace

TEST_CASE("cli: --json prints one object that parses, with the tool's name and argv") {
    diag::test::TempDir dir;
    make_small_root(dir);
    for (const auto& tool : kTools) {
        const auto run = diag::test::run_tool(tool, {"--root", dir.path().string(), "--json"});
        INFO(diag::test::describe(run));
        CHECK(run.exit_code == 1);
        const auto json = diag::test::json_of(run);
        CHECK(json.at("json_format_version").at(0) == 1);
        CHECK(json.at("diag").at("tool") == tool);
        CHECK(json.at("diag").at("argv").back() == "--json");
        CHECK(json.at("diag").at("exit_status") == 1);
        CHECK(json.at("worst_severity") == "warning");
    }
}

TEST_CASE("cli: --nagios prints a contract status line and exits 0 to 3") {
    diag::test::TempDir dir;
    make_small_root(dir);
    for (const auto& tool : kTools) {
        const auto run = diag::test::run_tool(tool, {"--root", dir.path().string(), "--nagios"});
        INFO(diag::test::describe(run));
        CHECK(run.exit_code == 1);
        const auto line = diag::test::first_line(run);
        CHECK(diag::test::is_nagios_status_line(line));
        std::string upper(tool);
        std::transform(upper.begin(), upper.end(), upper.begin(),
                       [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
        CHECK_THAT(line, Catch::StartsWith(upper + " WARNING - memory: 1 processes killed"));
        CHECK_THAT(line, Catch::Contains(" | 'mem_available_pct'=50%;;;0;100"));
    }
}

TEST_CASE("cli: -w and -c thresholds change the Nagios state") {
    diag::test::TempDir dir;
    dir.write("proc/meminfo", "MemTotal: 1000000 kB\nMemAvailable: 500000 kB\n");
    const auto root = dir.path().string();

    const auto ok = diag::test::run_tool("diag-sys", {"--root", root, "--nagios", "-w", "20:"});
    INFO(diag::test::describe(ok));
    CHECK(ok.exit_code == 0);
    CHECK_THAT(diag::test::first_line(ok), Catch::Contains("'mem_available_pct'=50%;20:;;0;100"));

    const auto critical = diag::test::run_tool(
        "diag-sys", {"--root", root, "--nagios", "-c", "mem_available_pct=60:"});
    INFO(diag::test::describe(critical));
    CHECK(critical.exit_code == 2);
    CHECK(diag::test::is_nagios_status_line(diag::test::first_line(critical)));

    const auto unknown_label =
        diag::test::run_tool("diag-sys", {"--root", root, "--nagios", "-w", "nope=1"});
    INFO(diag::test::describe(unknown_label));
    CHECK(unknown_label.exit_code == 3);
    CHECK_THAT(unknown_label.err, Catch::Contains("'nope'"));
}

TEST_CASE("cli: a usage error exits 64, or 3 under --nagios, and points to --help") {
    for (const auto& tool : kTools) {
        for (const std::vector<std::string>& args : {std::vector<std::string>{"--no-such-option"},
                                                     {"--color=sometimes"},
                                                     {"--timeout", "0"},
                                                     {"--timeout", "0.0004"},
                                                     {"--timeout", "nan"},
                                                     {"--json", "--json=x"},
                                                     {"-w", "10"},
                                                     {"--root"}}) {
            const auto run = diag::test::run_tool(tool, args);
            INFO(diag::test::describe(run));
            CHECK(run.exit_code == 64);
            CHECK(run.out.empty());
            CHECK_THAT(run.err, Catch::Contains("Try '" + tool + " --help'"));
        }
        for (const std::vector<std::string>& args :
             {std::vector<std::string>{"--nagios", "--no-such-option"}, {"--json", "--nagios"}}) {
            const auto nagios = diag::test::run_tool(tool, args);
            INFO(diag::test::describe(nagios));
            CHECK(nagios.exit_code == 3);
            CHECK_THAT(nagios.err, Catch::Contains("Try '" + tool + " --help'"));
        }
    }
    const auto sample = diag::test::run_tool("diag-sys", {"--sample", "61"});
    CHECK(sample.exit_code == 64);
    CHECK_THAT(sample.err, Catch::Contains("--sample"));
}

TEST_CASE("cli: -h lists the option groups and the exit codes") {
    for (const auto& tool : kTools) {
        for (const char* flag : {"-h", "--help"}) {
            const auto run = diag::test::run_tool(tool, {flag});
            INFO(diag::test::describe(run));
            CHECK(run.exit_code == 0);
            CHECK_THAT(run.out, Catch::StartsWith("Usage: " + tool + " "));
            for (const char* part : {"\nInput:\n", "\nOutput:\n", "\nGeneral:\n", "--root",
                                     "--json", "--nagios", "--prom", "--color", "--timeout",
                                     "Exit status:", " 64 ", "usage error", "diag(7)"}) {
                CHECK_THAT(run.out, Catch::Contains(part));
            }
        }
    }
    CHECK_THAT(diag::test::run_tool("diag-report", {"-h"}).out, Catch::Contains("--list"));
    CHECK_THAT(diag::test::run_tool("diag-sys", {"-h"}).out, Catch::Contains("--sample"));
}

TEST_CASE("cli: -V prints the tool's name and version") {
    for (const auto& tool : kTools) {
        const auto run = diag::test::run_tool(tool, {"-V"});
        INFO(diag::test::describe(run));
        CHECK(run.exit_code == 0);
        CHECK_THAT(run.out, Catch::StartsWith(tool + " (diag) "));
    }
    const auto front = diag::test::run_tool("diag", {"--version"});
    CHECK(front.exit_code == 0);
    CHECK_THAT(front.out, Catch::StartsWith("diag "));
}

TEST_CASE("cli: -q prints nothing and the exit status still tells") {
    diag::test::TempDir dir;
    make_small_root(dir);
    const auto run = diag::test::run_tool("diag-sys", {"--root", dir.path().string(), "-q"});
    CHECK(run.exit_code == 1);
    CHECK(run.out.empty());
}

TEST_CASE("cli: colour follows --color, and auto stays plain when stdout is not a terminal") {
    diag::test::TempDir dir;
    make_small_root(dir);
    const auto root = dir.path().string();
    diag::test::ProcessOptions terminal_env;
    terminal_env.set_env = {{"TERM", "xterm-256color"}};
    terminal_env.unset_env = {"NO_COLOR"};

    const auto always = diag::test::run_tool("diag-sys", {"--root", root, "--color=always"});
    CHECK_THAT(always.out, Catch::Contains("\x1b[1;33mWARNING"));
    const auto never =
        diag::test::run_tool("diag-sys", {"--root", root, "--color=never"}, terminal_env);
    CHECK(never.out.find('\x1b') == std::string::npos);
    const auto automatic = diag::test::run_tool("diag-sys", {"--root", root}, terminal_env);
    CHECK(automatic.out.find('\x1b') == std::string::npos);
    CHECK_THAT(automatic.out, Catch::Contains("WARNING"));
}

TEST_CASE("cli: diag alone lists the tools, and 'diag sys' runs diag-sys") {
    const auto alone = diag::test::run_tool("diag", {});
    INFO(diag::test::describe(alone));
    CHECK(alone.exit_code == 0);
    CHECK_THAT(alone.out, Catch::Contains("Usage: diag TOOL"));
    CHECK_THAT(alone.out, Catch::Contains("\n  sys "));
    CHECK_THAT(alone.out, Catch::Contains("\n  report "));

    diag::test::TempDir dir;
    make_small_root(dir);
    const auto sys = diag::test::run_tool("diag", {"sys", "--root", dir.path().string(), "--json"});
    INFO(diag::test::describe(sys));
    CHECK(sys.exit_code == 1);
    const auto json = diag::test::json_of(sys);
    CHECK(json.at("diag").at("tool") == "diag-sys");
    CHECK(json.at("diag").at("argv").at(0) == "diag-sys");

    const auto help = diag::test::run_tool("diag", {"report", "--help"});
    CHECK(help.exit_code == 0);
    CHECK_THAT(help.out, Catch::StartsWith("Usage: diag-report "));
}

TEST_CASE("cli: diag with an unknown tool exits 64 and says so") {
    const auto run = diag::test::run_tool("diag", {"frobnicate"});
    INFO(diag::test::describe(run));
    CHECK(run.exit_code == 64);
    CHECK_THAT(run.err, Catch::Contains("unknown tool 'frobnicate'"));
    CHECK_THAT(run.err, Catch::Contains("Try 'diag --help'"));
}

TEST_CASE("cli: diag-report --list names the collectors") {
    const auto run = diag::test::run_tool("diag-report", {"--list"});
    INFO(diag::test::describe(run));
    CHECK(run.exit_code == 0);
    CHECK_THAT(run.out, Catch::StartsWith("sys "));
}

TEST_CASE("cli: a --prom file that cannot be written turns a clean run into exit 3") {
    diag::test::TempDir dir;
    dir.write("proc/meminfo", "MemTotal: 1000000 kB\nMemAvailable: 500000 kB\n");
    const auto target = dir.at("missing-dir/diag-sys.prom").string();
    const auto run =
        diag::test::run_tool("diag-sys", {"--root", dir.path().string(), "-q", "--prom", target});
    INFO(diag::test::describe(run));
    CHECK(run.exit_code == 3);
    CHECK_THAT(run.err, Catch::Contains(target));
    CHECK_FALSE(std::filesystem::exists(dir.at("missing-dir")));
}

TEST_CASE("cli: a --prom file that cannot be written does not hide a warning") {
    diag::test::TempDir dir;
    make_small_root(dir);
    const auto target = dir.at("missing-dir/diag-sys.prom").string();
    const auto run =
        diag::test::run_tool("diag-sys", {"--root", dir.path().string(), "-q", "--prom", target});
    INFO(diag::test::describe(run));
    CHECK(run.exit_code == 1);
    CHECK_THAT(run.err, Catch::Contains(target));
}

TEST_CASE("cli: --prom writes the metrics file with mode 0644 and nothing else") {
    diag::test::TempDir dir;
    make_small_root(dir);
    diag::test::TempDir out;
    const auto target = out.at("diag-sys.prom");
    const auto run = diag::test::run_tool(
        "diag-sys", {"--root", dir.path().string(), "--json", "--prom", target.string()});
    INFO(diag::test::describe(run));
    CHECK(run.exit_code == 1);
    CHECK_NOTHROW(diag::test::json_of(run));
    const auto text = diag::test::read_file(target);
    CHECK(diag::test::prometheus_problems(text).empty());
    CHECK_THAT(text, Catch::Contains("diag_sys_oom_kills_total{tool=\"diag-sys\"} 1\n"));
    CHECK((std::filesystem::status(target).permissions() & std::filesystem::perms::all) ==
          (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
           std::filesystem::perms::group_read | std::filesystem::perms::others_read));
    CHECK(std::distance(std::filesystem::directory_iterator(out.path()),
                        std::filesystem::directory_iterator{}) == 1);
}
