// diag-mem as a user runs it: the error history of captured EDAC trees, a small memory test,
// a planted fault reported at its word and bit, and sizes it must refuse.

#include "run_tool.hpp"
#include "support/shared_data.hpp"
#include "support/temp_dir.hpp"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include <catch2/catch.hpp>

namespace {

std::string fixture(const std::string& name) {
    return (diag::test::source_dir() / "tests/fixtures" / name).string();
}

const nlohmann::json* finding(const nlohmann::json& json, std::string_view check,
                              std::string_view subject) {
    for (const auto& f : json["findings"]) {
        if (f["check"] == check && f["subject"] == subject) {
            return &f;
        }
    }
    return nullptr;
}

}  // namespace

TEST_CASE("diag-mem: the dimm-layout tree's history is critical, with the module named") {
    const auto result =
        diag::test::run_tool("diag-mem", {"--root", fixture("edac-dimm"), "--json"});
    CHECK(result.exit_code == 2);
    const auto json = diag::test::json_of(result);
    const auto* module = finding(json, "mem.edac.module", "mc0/dimm1");
    REQUIRE(module != nullptr);
    CHECK((*module)["severity"] == "warning");
    CHECK((*module)["evidence"]["label"] == "CPU0_DIMM_A2");
    CHECK(finding(json, "mem.edac.module", "mc1/rank1") != nullptr);
}

TEST_CASE("diag-mem: a test on a captured root is refused with an issue") {
    const auto result =
        diag::test::run_tool("diag-mem", {"--root", fixture("edac-dimm"), "--size", "1M"});
    CHECK(result.out.find("live machine only") != std::string::npos);
}

TEST_CASE("diag-mem: a 4 MiB default-plan test passes on this box") {
    const auto result = diag::test::run_tool("diag-mem", {"--size", "4M", "--json"});
    const auto json = diag::test::json_of(result);
    const auto* test = finding(json, "mem.test.result", "memory test");
    REQUIRE(test != nullptr);
    CHECK((*test)["severity"] == "ok");
    CHECK((*test)["evidence"]["size_bytes"] == 4194304);
    CHECK((*test)["evidence"]["passes_completed"] == 1);
}

TEST_CASE("diag-mem: a planted fault is reported with its address, bit and test") {
    const auto result =
        diag::test::run_tool("diag-mem", {"--size", "4M", "--tests", "walking-ones",
                                          "--inject-fault", "walking-ones:12345:17", "--json"});
    CHECK(result.exit_code == 2);
    const auto json = diag::test::json_of(result);
    const nlohmann::json* failure = nullptr;
    for (const auto& f : json["findings"]) {
        if (f["check"] == "mem.test.failure") {
            failure = &f;
        }
    }
    REQUIRE(failure != nullptr);
    CHECK((*failure)["evidence"]["test"] == "walking-ones");
    CHECK((*failure)["evidence"]["bit_positions"] == "17");
    CHECK((*failure)["evidence"]["differing_bits"] == "0x0000000000020000");
    CHECK((*failure)["evidence"]["pass"] == 1);
}

TEST_CASE("diag-mem: usage errors exit 64 with the reason") {
    CHECK(diag::test::run_tool("diag-mem", {"--size", "12X"}).exit_code == 64);
    CHECK(diag::test::run_tool("diag-mem", {"--size", "1M", "--tests", "nope"}).exit_code == 64);
    CHECK(diag::test::run_tool("diag-mem", {"--size", "1M", "--loops", "0"}).exit_code == 64);
}

TEST_CASE("diag-mem: a size beyond MemAvailable is refused before anything is mapped") {
    const auto result = diag::test::run_tool("diag-mem", {"--size", "64T"});
    CHECK(result.out.find("refusing to test") != std::string::npos);
    CHECK(result.out.find("OOM") != std::string::npos);
}

TEST_CASE("diag-mem: a SIGTERM to the parent alone stops a long test, and what ran is reported") {
    // `kill PID` reaches only the parent; it must pass the signal on to the collecting child,
    // which stops at the end of a sweep and still prints and saves its partial result.
    diag::test::TempDir dir;
    const auto log = dir.path() / "out.json";
    diag::test::BackgroundProcess tool(
        {diag::test::tool_path("diag-mem").string(), "--size", "16M", "--tests", "memtester",
         "--loops", "0", "--time", "120", "--threads", "1", "--state-dir", dir.path().string(),
         "--json"},
        log);
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    const auto signalled = std::chrono::steady_clock::now();
    REQUIRE(::kill(tool.pid(), SIGTERM) == 0);
    while (tool.running() &&
           std::chrono::steady_clock::now() - signalled < std::chrono::seconds(30)) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    CHECK_FALSE(tool.running());
    std::ifstream in(log);
    std::stringstream text;
    text << in.rdbuf();
    INFO(text.str());
    const auto json = nlohmann::json::parse(text.str(), nullptr, false);
    REQUIRE_FALSE(json.is_discarded());
    CHECK(diag::test::has_issue(json, {"interrupted", "results cover what ran"}));
    const auto* test = finding(json, "mem.test.result", "memory test");
    REQUIRE(test != nullptr);
    CHECK((*test)["severity"] == "ok");
    // The partial result is saved too, and a later run without --size shows it.
    const auto later =
        diag::test::run_tool("diag-mem", {"--state-dir", dir.path().string(), "--json"});
    const auto history = diag::test::json_of(later);
    const auto* last = finding(history, "mem.test.last", "memory test");
    REQUIRE(last != nullptr);
    CHECK((*last)["evidence"]["stopped_by"] == "interrupted");
}

TEST_CASE("diag-mem: a failed test is saved under --state-dir and keeps the history critical") {
    diag::test::TempDir dir;
    const auto failed = diag::test::run_tool(
        "diag-mem", {"--size", "1M", "--tests", "solid-bits", "--inject-fault", "solid-bits:100:3",
                     "--state-dir", dir.path().string(), "--json"});
    CHECK(failed.exit_code == 2);
    const auto later =
        diag::test::run_tool("diag-mem", {"--state-dir", dir.path().string(), "--json"});
    CHECK(later.exit_code == 2);
    const auto later_json = diag::test::json_of(later);
    const auto* last = finding(later_json, "mem.test.last", "memory test");
    REQUIRE(last != nullptr);
    CHECK((*last)["severity"] == "critical");
    CHECK((*last)["evidence"]["failures"] == 1);
    // A passing test afterwards (the module replaced) is what the history then shows.
    diag::test::run_tool(
        "diag-mem", {"--size", "1M", "--tests", "solid-bits", "--state-dir", dir.path().string()});
    const auto after =
        diag::test::run_tool("diag-mem", {"--state-dir", dir.path().string(), "--json"});
    const auto after_json = diag::test::json_of(after);
    const auto* now = finding(after_json, "mem.test.last", "memory test");
    REQUIRE(now != nullptr);
    CHECK((*now)["severity"] == "ok");
}
