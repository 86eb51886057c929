#pragma once

#include <filesystem>
#include <string>

namespace diag::test {

/// Exit status that ctest reads as "skipped" (SKIP_RETURN_CODE in tests/CMakeLists.txt).
inline constexpr int kSkipExitCode = 77;

/// The shared real-data folder: $DIAG_SHARED_DATA, else ../shared/data beside the project.
std::filesystem::path shared_data_dir();

/// shared_data_dir() / relative. When it does not exist, prints why to stderr and exits with
/// kSkipExitCode, so the test case shows as skipped with that message, never as passed.
std::filesystem::path require_shared_data(const std::string& relative);

/// The project's source directory (for committed fixtures under tests/fixtures).
std::filesystem::path source_dir();

/// The build directory (for the built executables under tools/).
std::filesystem::path binary_dir();

/// Reads a whole file; fails the test when it cannot.
std::string read_file(const std::filesystem::path& path);

/// Skips the current test case (exit 77) with a reason, such as "needs root".
[[noreturn]] void skip(const std::string& reason);

}  // namespace diag::test
