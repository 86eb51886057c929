#pragma once

// Shared by the integration tests: run a built diag executable and read its outputs.

#include "support/process.hpp"

#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

namespace diag::test {

/// Runs build/tools/TOOL with args; the hard timeout kills it and fails the test. In the
/// sanitizer build a report from AddressSanitizer, LeakSanitizer or UBSan on stderr fails the
/// test too, whatever the exit status.
inline ProcessResult run_tool(std::string_view tool, std::vector<std::string> args,
                              ProcessOptions options = {}) {
    args.insert(args.begin(), tool_path(tool).string());
    auto result = run_process(args, options);
    INFO(describe(result));
    CHECK(result.err.find("Sanitizer") == std::string::npos);
    CHECK(result.err.find("runtime error:") == std::string::npos);
    return result;
}

/// stdout parsed as JSON; fails the test with the run's account when it does not parse.
inline nlohmann::json json_of(const ProcessResult& result) {
    INFO(describe(result));
    REQUIRE(nlohmann::json::accept(result.out));
    return nlohmann::json::parse(result.out);
}

/// The first line of stdout.
inline std::string first_line(const ProcessResult& result) {
    return result.out.substr(0, result.out.find('\n'));
}

/// True when some issue in the JSON output has a message containing every part given.
inline bool has_issue(const nlohmann::json& json, const std::vector<std::string>& parts) {
    for (const auto& issue : json.at("issues")) {
        const auto message = issue.at("message").get<std::string>();
        bool all = true;
        for (const auto& part : parts) {
            all = all && message.find(part) != std::string::npos;
        }
        if (all) {
            return true;
        }
    }
    return false;
}

/// True when some finding in the JSON output has this check id.
inline bool has_finding(const nlohmann::json& json, std::string_view check) {
    for (const auto& finding : json.at("findings")) {
        if (finding.at("check") == check) {
            return true;
        }
    }
    return false;
}

}  // namespace diag::test
