#include "support/shared_data.hpp"
#include "support/temp_dir.hpp"

#include <diag/core/atomic_file.hpp>

#include <filesystem>
#include <set>

#include <catch2/catch.hpp>

#include <sys/stat.h>

namespace {

std::set<std::string> names_in(const std::filesystem::path& dir) {
    std::set<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        names.insert(entry.path().filename().string());
    }
    return names;
}

mode_t permissions_of(const std::filesystem::path& path) {
    struct stat info {};
    REQUIRE(::stat(path.c_str(), &info) == 0);
    return info.st_mode & 07777U;
}

}  // namespace

TEST_CASE("atomic file: writes the content with the requested mode and leaves no temp file") {
    diag::test::TempDir dir;
    const auto target = dir.at("diag-sys.prom");
    const std::string content = "# HELP x y\n# TYPE x gauge\nx 1\n";

    auto written = diag::write_file_atomically(target.string(), content, 0640);
    REQUIRE(written.has_value());
    CHECK(diag::test::read_file(target) == content);
    CHECK(permissions_of(target) == 0640);
    CHECK(names_in(dir.path()) == std::set<std::string>{"diag-sys.prom"});

    // mkstemp makes 0600; the mode must be the one asked for, not the umask's or mkstemp's.
    REQUIRE(diag::write_file_atomically(target.string(), content, 0644).has_value());
    CHECK(permissions_of(target) == 0644);
}

TEST_CASE("atomic file: replaces an existing file whole") {
    diag::test::TempDir dir;
    dir.write("out.prom", std::string(10000, 'o'));
    const auto target = dir.at("out.prom");

    REQUIRE(diag::write_file_atomically(target.string(), "new\n", 0644).has_value());
    CHECK(diag::test::read_file(target) == "new\n");
    CHECK(names_in(dir.path()) == std::set<std::string>{"out.prom"});
}

TEST_CASE("atomic file: a missing directory is an error naming the path, and creates nothing") {
    diag::test::TempDir dir;
    const auto target = dir.at("no/such/dir/out.prom");

    auto written = diag::write_file_atomically(target.string(), "x\n", 0644);
    REQUIRE_FALSE(written.has_value());
    CHECK(written.error().object == target.string());
    CHECK(written.error().errno_value == ENOENT);
    CHECK(names_in(dir.path()).empty());
}

TEST_CASE("atomic file: a failed rename removes the temporary file and keeps the target") {
    diag::test::TempDir dir;
    // A non-empty directory where the file should go: the temp file is created and written,
    // then rename fails, which is the late failure that must clean up after itself.
    dir.write("out.prom/keep", "old");
    const auto target = dir.at("out.prom");

    auto written = diag::write_file_atomically(target.string(), "x\n", 0644);
    REQUIRE_FALSE(written.has_value());
    CHECK(written.error().object == target.string());
    CHECK(names_in(dir.path()) == std::set<std::string>{"out.prom"});
    CHECK(diag::test::read_file(dir.at("out.prom/keep")) == "old");
}

TEST_CASE("atomic file: a relative path without a directory is written in the current one") {
    diag::test::TempDir dir;
    const auto previous = std::filesystem::current_path();
    std::filesystem::current_path(dir.path());
    auto written = diag::write_file_atomically("plain.prom", "y\n", 0644);
    std::filesystem::current_path(previous);

    REQUIRE(written.has_value());
    CHECK(diag::test::read_file(dir.at("plain.prom")) == "y\n");
    CHECK(names_in(dir.path()) == std::set<std::string>{"plain.prom"});
}
