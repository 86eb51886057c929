#include "support/shared_data.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

namespace diag::test {

std::filesystem::path shared_data_dir() {
    if (const char* env = std::getenv("DIAG_SHARED_DATA"); env != nullptr && *env != '\0') {
        return env;
    }
    return DIAG_SHARED_DATA_DEFAULT;
}

void skip(const std::string& reason) {
    std::fprintf(stderr, "SKIPPED: %s\n", reason.c_str());
    std::fflush(stderr);
    std::_Exit(kSkipExitCode);
}

std::filesystem::path require_shared_data(const std::string& relative) {
    auto path = shared_data_dir() / relative;
    if (!std::filesystem::exists(path)) {
        skip("shared data " + path.string() +
             " is absent (set DIAG_SHARED_DATA to the shared/data folder)");
    }
    return path;
}

std::filesystem::path source_dir() {
    return DIAG_SOURCE_DIR;
}

std::filesystem::path binary_dir() {
    return DIAG_BINARY_DIR;
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        FAIL("cannot read " << path.string());
    }
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

}  // namespace diag::test
