// --prom output against the real Prometheus tools from Debian: promtool's checker, and a
// node_exporter started here whose textfile collector serves the files. [prometheus] tests
// carry the ctest label "prometheus"; they skip only when the binaries are not installed.

#include "run_tool.hpp"
#include "support/contracts.hpp"
#include "support/shared_data.hpp"
#include "support/temp_dir.hpp"

#include <filesystem>
#include <thread>

#include <catch2/catch.hpp>

using namespace std::chrono_literals;

namespace {

constexpr const char* kPromtool = "/usr/bin/promtool";
constexpr const char* kNodeExporter = "/usr/bin/prometheus-node-exporter";
constexpr const char* kCurl = "/usr/bin/curl";

void require_binary(const char* path) {
    if (!std::filesystem::exists(path)) {
        diag::test::skip(std::string(path) + " is not installed (scripts/setup.sh installs it)");
    }
}

// Runs promtool check metrics on a file; passes when promtool finds nothing to say.
void check_with_promtool(const std::filesystem::path& file) {
    diag::test::ProcessOptions options;
    options.stdin_file = file;
    const auto run = diag::test::run_process({kPromtool, "check", "metrics"}, options);
    INFO(diag::test::describe(run) << "\n--- file\n" << diag::test::read_file(file));
    CHECK(run.exit_code == 0);
    CHECK(run.out.empty());
    CHECK(run.err.empty());
}

// Fetches a URL on the loopback with curl; nullopt while nothing answers.
std::optional<std::string> fetch(const std::string& url) {
    const auto run = diag::test::run_process({kCurl, "-sS", "--max-time", "5", url});
    if (run.exit_code != 0) {
        return std::nullopt;
    }
    return run.out;
}

// Starts node_exporter with only the textfile collector on a free loopback port, waits until
// it serves /metrics, and returns one scrape. The process is stopped when this returns.
std::string scrape_textfile_directory(const std::filesystem::path& directory,
                                      const std::filesystem::path& log) {
    const int port = diag::test::free_loopback_port();
    const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/metrics";
    diag::test::BackgroundProcess exporter(
        {kNodeExporter, "--collector.disable-defaults", "--collector.textfile",
         "--collector.textfile.directory=" + directory.string(),
         "--web.listen-address=127.0.0.1:" + std::to_string(port)},
        log);
    std::optional<std::string> body;
    for (int attempt = 0; attempt < 100 && !body; ++attempt) {
        if (!exporter.running()) {
            break;
        }
        std::this_thread::sleep_for(100ms);
        body = fetch(url);
    }
    exporter.stop();
    INFO("node_exporter log:\n" << diag::test::read_file(log));
    REQUIRE(body.has_value());
    return *body;
}

}  // namespace

TEST_CASE("prometheus: promtool accepts --prom output of both tools, live and captured",
          "[prometheus]") {
    require_binary(kPromtool);
    diag::test::TempDir out;
    struct Case {
        std::string tool;
        std::vector<std::string> args;
    };
    std::vector<Case> cases{{"diag-sys", {"--sample", "0"}}, {"diag-report", {}}};
    // The captured tree is shared data; without it the live runs are still checked.
    const auto node_exporter_root = diag::test::shared_data_dir() / "sysfs-fixtures/node_exporter";
    if (std::filesystem::exists(node_exporter_root)) {
        cases.push_back({"diag-sys", {"--root", node_exporter_root.string()}});
        cases.push_back({"diag-report", {"--root", node_exporter_root.string()}});
    } else {
        WARN("shared data " << node_exporter_root.string() << " is absent: live runs only");
    }
    int index = 0;
    for (const auto& c : cases) {
        const auto file = out.at("run" + std::to_string(index++) + ".prom");
        auto args = c.args;
        args.insert(args.end(), {"-q", "--prom", file.string()});
        const auto run = diag::test::run_tool(c.tool, args);
        INFO(diag::test::describe(run));
        REQUIRE(run.exit_code.has_value());
        CHECK(*run.exit_code <= 2);
        CHECK(diag::test::prometheus_problems(diag::test::read_file(file)).empty());
        check_with_promtool(file);
    }
}

TEST_CASE("prometheus: node_exporter's textfile collector serves diag-sys and diag-report files",
          "[prometheus]") {
    require_binary(kNodeExporter);
    require_binary(kCurl);
    diag::test::TempDir textfiles;
    diag::test::TempDir logs;
    for (const char* tool : {"diag-sys", "diag-report"}) {
        const auto file = textfiles.at(std::string(tool) + ".prom");
        // Ranges that every memory reading breaks: a warning and a critical finding on the
        // same check and subject, which must still be one series.
        const auto run =
            diag::test::run_tool(tool, {"-q", "--nagios", "-w", "mem_available_pct=101:", "-c",
                                        "mem_available_pct=102:", "--prom", file.string()});
        INFO(diag::test::describe(run));
        REQUIRE(run.exit_code.has_value());
        CHECK(*run.exit_code <= 2);
        REQUIRE(std::filesystem::exists(file));
    }
    const auto log = logs.at("node_exporter.log");
    const auto body = scrape_textfile_directory(textfiles.path(), log);
    const auto log_text = diag::test::read_file(log);
    INFO("scrape:\n" << body << "\nlog:\n" << log_text);

    CHECK_THAT(body, Catch::Contains("node_textfile_scrape_error 0\n"));
    CHECK_THAT(body, Catch::Contains("diag_run_complete{tool=\"diag-sys\"}"));
    CHECK_THAT(body, Catch::Contains("diag_run_complete{tool=\"diag-report\"}"));
    CHECK_THAT(body, Catch::Contains("diag_finding_severity{check=\"sys.memory.available\""));
    CHECK_THAT(body, Catch::Contains("diag_sys_memory_total_bytes{tool=\"diag-sys\"}"));
    CHECK_THAT(body, Catch::Contains("diag_sys_memory_total_bytes{tool=\"diag-report\"}"));
    CHECK_THAT(body, Catch::Contains("diag_finding_severity{check=\"nagios.threshold\","
                                     "subject=\"mem_available_pct\",tool=\"diag-sys\"} 3"));
    CHECK_THAT(body, Catch::Contains("diag_finding_severity{check=\"nagios.threshold\","
                                     "subject=\"mem_available_pct\",tool=\"diag-report\"} 3"));
    // Duplicate series across the two files would be dropped with this error in the log.
    CHECK_THAT(log_text, !Catch::Contains("collected before"));
    CHECK_THAT(log_text, !Catch::Contains("level=error"));
}
