// Runs every captured-root scenario in scenarios/ through diag-report and checks that each
// finding its expected-findings.txt names is there, with that severity.

#include "integration/run_tool.hpp"
#include "support/shared_data.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct ExpectedFinding {
    std::string severity;
    std::string check;
    std::string subject;
};

// "severity check subject...": the subject is the rest of the line, so it may hold spaces.
std::vector<ExpectedFinding> read_expected(const std::filesystem::path& path) {
    std::vector<ExpectedFinding> expected;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line.front() == '#') {
            continue;
        }
        std::istringstream fields(line);
        ExpectedFinding finding;
        fields >> finding.severity >> finding.check >> std::ws;
        std::getline(fields, finding.subject);
        while (!finding.subject.empty() && finding.subject.back() == ' ') {
            finding.subject.pop_back();
        }
        expected.push_back(finding);
    }
    return expected;
}

std::vector<std::filesystem::path> captured_scenarios() {
    std::vector<std::filesystem::path> found;
    for (const auto& entry :
         std::filesystem::directory_iterator(diag::test::source_dir() / "scenarios")) {
        if (std::filesystem::exists(entry.path() / "root") &&
            std::filesystem::exists(entry.path() / "expected-findings.txt")) {
            found.push_back(entry.path());
        }
    }
    return found;
}

}  // namespace

TEST_CASE("scenarios: every captured root yields its expected findings in diag-report") {
    const auto scenarios = captured_scenarios();
    REQUIRE_FALSE(scenarios.empty());
    for (const auto& scenario : scenarios) {
        INFO("scenario " << scenario.filename().string());
        const auto expected = read_expected(scenario / "expected-findings.txt");
        REQUIRE_FALSE(expected.empty());
        const auto run =
            diag::test::run_tool("diag-report", {"--root", (scenario / "root").string(), "--json"});
        const auto json = diag::test::json_of(run);
        for (const auto& want : expected) {
            INFO("expected " << want.severity << " " << want.check << " " << want.subject);
            bool seen = false;
            for (const auto& finding : json.at("findings")) {
                if (finding.at("check") == want.check && finding.at("subject") == want.subject) {
                    seen = true;
                    CHECK(finding.at("severity") == want.severity);
                }
            }
            CHECK(seen);
        }
    }
}

TEST_CASE("scenarios: a read-only root after errors is critical and exits 2") {
    const auto root = diag::test::source_dir() / "scenarios/readonly-root-after-errors/root";
    const auto run = diag::test::run_tool("diag-sys", {"--root", root.string()});
    CHECK(run.exit_code == 2);
    CHECK_THAT(run.out, Catch::Contains("is read-only though /etc/fstab mounts it read-write"));
    CHECK_THAT(run.out, Catch::Contains("fs_errors_count=3"));
}
