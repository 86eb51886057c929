#include "support/temp_dir.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>
#include <vector>

#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

namespace diag::test {

TempDir::TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "diag-test-XXXXXX").string();
    std::vector<char> name(pattern.begin(), pattern.end());
    name.push_back('\0');
    if (::mkdtemp(name.data()) == nullptr) {
        FAIL("mkdtemp " << pattern << ": " << std::strerror(errno));
    }
    path_ = name.data();
}

TempDir::~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

std::filesystem::path TempDir::at(std::string_view relative) const {
    while (relative.starts_with('/')) {
        relative.remove_prefix(1);
    }
    return path_ / relative;
}

void TempDir::write(std::string_view relative, std::string_view content) const {
    const auto file = at(relative);
    std::filesystem::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    if (!out) {
        FAIL("cannot write " << file.string());
    }
}

void TempDir::make_fifo(std::string_view relative) const {
    const auto file = at(relative);
    std::filesystem::create_directories(file.parent_path());
    if (::mkfifo(file.c_str(), 0600) != 0) {
        FAIL("mkfifo " << file.string() << ": " << std::strerror(errno));
    }
}

void TempDir::make_symlink(std::string_view relative, std::string_view target) const {
    const auto link = at(relative);
    std::filesystem::create_directories(link.parent_path());
    if (::symlink(std::string(target).c_str(), link.c_str()) != 0) {
        FAIL("symlink " << link.string() << ": " << std::strerror(errno));
    }
}

void TempDir::make_dir(std::string_view relative) const {
    std::filesystem::create_directories(at(relative));
}

}  // namespace diag::test
