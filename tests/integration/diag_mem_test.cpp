// diag-mem as a user runs it: the error history of captured EDAC trees, a small memory test,
// a planted fault reported at its word and bit, and sizes it must refuse.

#include "run_tool.hpp"
#include "support/shared_data.hpp"

#include <algorithm>
#include <string>

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
