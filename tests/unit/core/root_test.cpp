#include "support/shared_data.hpp"
#include "support/temp_dir.hpp"

#include <diag/core/root.hpp>

#include <cerrno>
#include <chrono>

#include <catch2/catch.hpp>

using namespace std::chrono_literals;

namespace {

diag::Root open_root(const diag::test::TempDir& dir,
                     std::chrono::milliseconds deadline = diag::Root::kDefaultDeadline) {
    auto root = diag::Root::open(dir.path().string(), deadline);
    REQUIRE(root.has_value());
    return *root;
}

}  // namespace

TEST_CASE("root: a captured tree is read below its directory and named with it in messages") {
    diag::test::TempDir dir;
    dir.write("proc/loadavg", "0.10 0.20 0.30 1/100 42\n");
    const auto root = open_root(dir);

    CHECK_FALSE(root.is_live());
    CHECK(root.path() == dir.path().string());
    CHECK(root.display("/proc/loadavg") == dir.path().string() + "/proc/loadavg");

    auto text = root.read_file("/proc/loadavg");
    REQUIRE(text.has_value());
    CHECK(*text == "0.10 0.20 0.30 1/100 42\n");
    // The leading slash is optional: paths are always taken inside the root.
    CHECK(root.read_file("proc/loadavg").value_or("") == *text);
}

TEST_CASE("root: a missing file is an error naming the operation, the file and errno") {
    diag::test::TempDir dir;
    const auto root = open_root(dir);

    auto text = root.read_file("/proc/meminfo");
    REQUIRE_FALSE(text.has_value());
    CHECK(text.error().operation == "open");
    CHECK(text.error().object == dir.path().string() + "/proc/meminfo");
    CHECK(text.error().errno_value == ENOENT);
    CHECK(text.error().reason == "No such file or directory");
}

TEST_CASE("root: read_file stops at max_bytes") {
    diag::test::TempDir dir;
    dir.write("big", std::string(200000, 'a'));
    const auto root = open_root(dir);

    CHECK(root.read_file("/big", 10).value_or("") == std::string(10, 'a'));
    CHECK(root.read_file("/big").value_or("").size() == 200000);
}

TEST_CASE("root: an absolute symlink in a captured tree resolves inside it, not on the host") {
    diag::test::TempDir dir;
    dir.write("etc/passwd", "captured passwd\n");
    dir.make_symlink("proc/escape", "/etc/passwd");
    const auto root = open_root(dir);

    auto text = root.read_file("/proc/escape");
    REQUIRE(text.has_value());
    CHECK(*text == "captured passwd\n");
}

TEST_CASE("root: an absolute symlink to a file the tree lacks fails instead of reading the host") {
    diag::test::TempDir dir;
    dir.make_symlink("proc/escape", "/etc/passwd");
    const auto root = open_root(dir);

    auto text = root.read_file("/proc/escape");
    REQUIRE_FALSE(text.has_value());
    CHECK(text.error().errno_value == ENOENT);
}

TEST_CASE("root: '..' in a symlink or in the path cannot climb out of a captured tree") {
    diag::test::TempDir outer;
    outer.write("outside", "HOST FILE\n");
    outer.write("tree/outside", "inside copy\n");
    outer.make_symlink("tree/a/up", "../../outside");
    auto root = diag::Root::open(outer.at("tree").string());
    REQUIRE(root.has_value());

    // tree/a/../../outside would be the host's file; clamped at the root it is tree/outside.
    CHECK(root->read_file("/a/up").value_or("") == "inside copy\n");
    CHECK(root->read_file("/../outside").value_or("") == "inside copy\n");
    CHECK(root->read_file("/../../../../outside").value_or("") == "inside copy\n");
}

TEST_CASE("root: a FIFO is refused at once as not a regular file") {
    diag::test::TempDir dir;
    dir.make_fifo("proc/meminfo");
    // A long deadline: if the FIFO were opened or read blocking, the test would wait it out.
    const auto root = open_root(dir, 60s);

    const auto started = std::chrono::steady_clock::now();
    auto text = root.read_file("/proc/meminfo");
    const auto took = std::chrono::steady_clock::now() - started;

    REQUIRE_FALSE(text.has_value());
    CHECK(text.error().reason == "not a regular file");
    CHECK(text.error().object == dir.path().string() + "/proc/meminfo");
    CHECK(took < 30s);
}

TEST_CASE("root: a symlink to a FIFO is refused as not a regular file") {
    diag::test::TempDir dir;
    dir.make_fifo("run/pipe");
    dir.make_symlink("proc/meminfo", "/run/pipe");
    const auto root = open_root(dir, 60s);

    auto text = root.read_file("/proc/meminfo");
    REQUIRE_FALSE(text.has_value());
    CHECK(text.error().reason == "not a regular file");
}

TEST_CASE("root: a directory is not read as a file") {
    diag::test::TempDir dir;
    dir.make_dir("proc/meminfo");
    const auto root = open_root(dir);

    auto text = root.read_file("/proc/meminfo");
    REQUIRE_FALSE(text.has_value());
    CHECK(text.error().reason == "not a regular file");
}

TEST_CASE("root: list_dir gives sorted names without dot entries") {
    diag::test::TempDir dir;
    dir.write("sys/class/net/eth1/mtu", "1500\n");
    dir.write("sys/class/net/eth0/mtu", "1500\n");
    dir.write("sys/class/net/bonding_masters", "bond0\n");
    dir.make_symlink("sys/class/net/lo", "../../devices/virtual/net/lo");
    const auto root = open_root(dir);

    auto names = root.list_dir("/sys/class/net");
    REQUIRE(names.has_value());
    CHECK(*names == std::vector<std::string>{"bonding_masters", "eth0", "eth1", "lo"});

    auto missing = root.list_dir("/sys/class/nvme");
    REQUIRE_FALSE(missing.has_value());
    CHECK(missing.error().errno_value == ENOENT);
}

TEST_CASE("root: read_link returns the target as stored, and exists counts dangling links") {
    diag::test::TempDir dir;
    dir.make_symlink("sys/dev/block/8:0", "../../devices/pci0000:00/block/sda");
    const auto root = open_root(dir);

    CHECK(root.read_link("/sys/dev/block/8:0").value_or("") ==
          "../../devices/pci0000:00/block/sda");
    CHECK(root.exists("/sys/dev/block/8:0"));
    CHECK_FALSE(root.exists("/sys/dev/block/8:16"));

    auto not_link = root.read_link("/sys/dev");
    REQUIRE_FALSE(not_link.has_value());
    CHECK(not_link.error().errno_value == EINVAL);
}

TEST_CASE("root: opening something that is not a directory fails and names it") {
    diag::test::TempDir dir;
    dir.write("file", "x");

    auto root = diag::Root::open(dir.at("file").string());
    REQUIRE_FALSE(root.has_value());
    CHECK(root.error().object == dir.at("file").string());
    CHECK(root.error().errno_value == ENOTDIR);
    CHECK_FALSE(diag::Root::open(dir.at("absent").string()).has_value());
}

TEST_CASE("root: '/' is the live machine and reads the real /proc") {
    auto root = diag::Root::open("/");
    REQUIRE(root.has_value());
    CHECK(root->is_live());
    CHECK(root->path() == "/");
    CHECK(root->display("/proc/meminfo") == "/proc/meminfo");

    auto text = root->read_file("/proc/self/status");
    REQUIRE(text.has_value());
    CHECK_THAT(*text, Catch::Contains("Pid:"));
}

TEST_CASE("root: a trailing slash does not change how a captured root is named") {
    diag::test::TempDir dir;
    auto root = diag::Root::open(dir.path().string() + "//");
    REQUIRE(root.has_value());
    CHECK(root->path() == dir.path().string());
}
