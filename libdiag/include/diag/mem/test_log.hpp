#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace diag::mem {

/// One failing address of a saved test run, with how often it failed.
struct SavedFailure {
    std::string test;
    std::uint64_t pass = 0;
    std::uint64_t virtual_address = 0;
    std::optional<std::uint64_t> physical_address;
    std::uint64_t expected = 0;
    std::uint64_t actual = 0;
    std::uint64_t count = 1;
};

/// What one memory test run found, as kept under --state-dir.
struct SavedTestRun {
    std::chrono::system_clock::time_point time;
    std::uint64_t size_bytes = 0;
    /// Names of the tests asked for, in plan order.
    std::vector<std::string> plan;
    /// Names of the tests that ran to the end at least once.
    std::vector<std::string> finished;
    std::uint64_t passes_completed = 0;
    /// "interrupted", "time budget" or empty when the run finished.
    std::string stopped_by;
    /// Words that read back wrong, all of them (also those not listed).
    std::uint64_t failure_count = 0;
    double elapsed_seconds = 0;
    std::uint64_t bytes_moved = 0;
    /// The first failing addresses (at most kSavedFailuresMax).
    std::vector<SavedFailure> failures;
};

/// The file under --state-dir.
inline constexpr std::string_view kTestLogFile = "mem-tests.json";
/// Runs kept in the file; older ones are dropped.
inline constexpr std::size_t kTestLogRunsMax = 50;
/// Failing addresses kept per run.
inline constexpr std::size_t kSavedFailuresMax = 64;

/// JSON text of the runs (oldest first), schema version 1, the last kTestLogRunsMax only.
std::string encode_test_log(const std::vector<SavedTestRun>& runs);

/// Reads the runs back; nullopt for text that is not a version 1 test log (a damaged file is
/// no history, never a passed test). Runs with missing fields are skipped.
std::optional<std::vector<SavedTestRun>> decode_test_log(std::string_view text);

}  // namespace diag::mem
