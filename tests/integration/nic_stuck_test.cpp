// diag-nic when its collection is stuck where no probe deadline reaches: the caller stops
// waiting after the tool's time limit and reports an Issue instead of hanging.

#include "eio_mount.hpp"
#include "run_tool.hpp"
#include "support/process.hpp"
#include "support/shared_data.hpp"
#include "support/temp_dir.hpp"

#include <chrono>
#include <filesystem>
#include <optional>
#include <thread>

#include <catch2/catch.hpp>

#include <unistd.h>

using namespace std::chrono_literals;

TEST_CASE("diag-nic: a collection stuck past the time limit ends with an issue, not a hang",
          "[root]") {
    if (::geteuid() != 0) {
        diag::test::skip("needs root to mount FUSE");
    }
    if (::access("/dev/fuse", R_OK | W_OK) != 0) {
        diag::test::skip("no usable /dev/fuse: this kernel or container has no FUSE");
    }
    if (!std::filesystem::exists(diag::test::binary_dir() / "tests/fuse/eio_fs")) {
        diag::test::skip("eio_fs was not built (libfuse3-dev missing at configure time)");
    }
    diag::test::TempDir dir;
    dir.make_dir("root");
    // Declared before the mount, so it goes after it: the reader can only end once eio_fs has.
    std::optional<diag::test::BackgroundProcess> reader;
    diag::test::EioMount mount(dir.at("root"), dir.at("eio_fs.log"), 1ULL << 20U, 0, 1ULL << 20U,
                               {"--hang"});
    if (!mount.mounted()) {
        diag::test::skip("eio_fs could not mount FUSE here");
    }
    // The reader's request holds eio_fs's only thread, so every later request waits behind it,
    // as on a hung network mount: opening the captured root itself never returns, and no probe
    // deadline covers that.
    reader.emplace(std::vector<std::string>{"dd", "if=" + mount.file().string(), "of=/dev/null",
                                            "bs=4096", "count=1"},
                   dir.at("dd.log"));
    std::this_thread::sleep_for(300ms);
    REQUIRE(reader->running());

    const auto started = std::chrono::steady_clock::now();
    const auto run = diag::test::run_tool(
        "diag-nic", {"--json", "--timeout", "0.2", "--root", dir.at("root").string()});
    const auto took = std::chrono::steady_clock::now() - started;
    // The limit is four 200 ms deadlines and one second to spare; run_tool's own is far above.
    CHECK(took >= 1800ms);
    CHECK(took < 10s);
    CHECK(run.exit_code == 3);
    const auto json = diag::test::json_of(run);
    CHECK(diag::test::has_issue(json, {"no report within 1800 ms", "stuck"}));
    CHECK(json.at("findings").empty());
}
