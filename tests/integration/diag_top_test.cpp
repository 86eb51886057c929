// diag-top end to end: the real executable in a tmux pane, driven with send-keys, its screens
// read with capture-pane and compared with the golden screens in golden/diag-top/. diag-top
// writes "ready keys=K resizes=R" to $DIAG_TOP_READY_FILE after each settled draw, so the test
// waits for that instead of sleeping. The clock is the only field that varies; it is masked.
// DIAG_UPDATE_GOLDEN=1 rewrites the golden files from what the screens show.

#include "support/process.hpp"
#include "support/shared_data.hpp"
#include "support/temp_dir.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include <unistd.h>

namespace {

namespace fs = std::filesystem;
using diag::test::run_process;

constexpr auto kWaitLimit = std::chrono::seconds{30};
constexpr auto kPoll = std::chrono::milliseconds{20};

std::string find_tmux() {
    const char* path = std::getenv("PATH");
    std::string dirs = path == nullptr ? "/usr/bin:/bin" : path;
    std::size_t start = 0;
    while (start <= dirs.size()) {
        const auto end = std::min(dirs.find(':', start), dirs.size());
        const fs::path candidate = fs::path(dirs.substr(start, end - start)) / "tmux";
        if (::access(candidate.c_str(), X_OK) == 0) {
            return candidate.string();
        }
        start = end + 1;
    }
    return {};
}

std::string mask_clock(const std::string& screen) {
    static const std::regex clock(R"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC)");
    return std::regex_replace(screen, clock, "YYYY-MM-DD hh:mm:ss UTC");
}

// One tmux server on its own socket with one pane running diag-top; killed when it goes.
class TopPane {
public:
    TopPane(const fs::path& workdir, std::size_t columns, std::size_t rows,
            const std::vector<std::string>& env, const std::vector<std::string>& args)
        : tmux_(find_tmux()), socket_(dir_.at("tmux.sock")), ready_(dir_.at("ready")) {
        if (tmux_.empty()) {
            diag::test::skip("tmux is not installed (scripts/setup.sh installs it)");
        }
        // tmux execs a command given as several arguments without a shell.
        std::vector<std::string> argv = {"new-session",
                                         "-d",
                                         "-s",
                                         "top",
                                         "-x",
                                         std::to_string(columns),
                                         "-y",
                                         std::to_string(rows),
                                         "-c",
                                         workdir.string(),
                                         "--",
                                         "env",
                                         "DIAG_TOP_READY_FILE=" + ready_.string()};
        argv.insert(argv.end(), env.begin(), env.end());
        argv.push_back((diag::test::binary_dir() / "tui" / "diag-top").string());
        argv.insert(argv.end(), args.begin(), args.end());
        const auto started = tmux(argv);
        INFO(diag::test::describe(started));
        REQUIRE(started.exit_code == 0);
    }
    ~TopPane() { tmux({"kill-server"}); }
    TopPane(const TopPane&) = delete;
    TopPane& operator=(const TopPane&) = delete;

    diag::test::ProcessResult tmux(std::vector<std::string> args) const {
        args.insert(args.begin(), {tmux_, "-f", "/dev/null", "-S", socket_.string()});
        return run_process(args);
    }

    // Waits until diag-top has drawn after `keys` keys and `resizes` resizes.
    void wait_ready(std::size_t keys, std::size_t resizes = 0) const {
        const auto wanted =
            "ready keys=" + std::to_string(keys) + " resizes=" + std::to_string(resizes) + "\n";
        const auto give_up = std::chrono::steady_clock::now() + kWaitLimit;
        std::string seen;
        while (std::chrono::steady_clock::now() < give_up) {
            std::ifstream in(ready_);
            seen.assign(std::istreambuf_iterator<char>(in), {});
            if (seen.find(wanted) != std::string::npos) {
                return;
            }
            std::this_thread::sleep_for(kPoll);
        }
        INFO("ready file: " << seen);
        INFO("screen:\n" << capture());
        FAIL("diag-top did not signal " << wanted);
    }

    void send(const std::string& key) {
        const auto sent = tmux({"send-keys", "-t", "top", key});
        REQUIRE(sent.exit_code == 0);
        ++keys_;
        wait_ready(keys_, resizes_);
    }

    void resize(std::size_t columns, std::size_t rows) {
        const auto done = tmux({"resize-window", "-t", "top", "-x", std::to_string(columns), "-y",
                                std::to_string(rows)});
        REQUIRE(done.exit_code == 0);
        ++resizes_;
        wait_ready(keys_, resizes_);
    }

    [[nodiscard]] std::string capture(bool attributes = false) const {
        std::vector<std::string> args = {"capture-pane", "-p", "-t", "top"};
        if (attributes) {
            args.push_back("-e");
        }
        return tmux(args).out;
    }

    // The screen against golden/diag-top/NAME.txt. tmux reads diag-top's output on its own
    // time, so a screen that differs is read again for a while before the test fails.
    void expect_screen(const std::string& name) const {
        const auto golden =
            diag::test::source_dir() / "tests/integration/golden/diag-top" / (name + ".txt");
        std::string screen;
        if (std::getenv("DIAG_UPDATE_GOLDEN") != nullptr) {
            screen = mask_clock(capture());
            std::ofstream(golden) << screen;
            WARN("rewrote " << golden.string());
            return;
        }
        const std::string expected = diag::test::read_file(golden);
        const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds{3};
        do {
            screen = mask_clock(capture());
            if (screen == expected) {
                break;
            }
            std::this_thread::sleep_for(kPoll);
        } while (std::chrono::steady_clock::now() < give_up);
        INFO("golden " << golden.string());
        CHECK(screen == expected);
    }

    // Q, then the pane's command must end (and with it the session).
    void quit() {
        tmux({"send-keys", "-t", "top", "Q"});
        const auto give_up = std::chrono::steady_clock::now() + kWaitLimit;
        while (std::chrono::steady_clock::now() < give_up) {
            if (tmux({"has-session", "-t", "top"}).exit_code != 0) {
                return;
            }
            std::this_thread::sleep_for(kPoll);
        }
        FAIL("diag-top still runs after Q");
    }

private:
    diag::test::TempDir dir_;
    std::string tmux_;
    fs::path socket_;
    fs::path ready_;
    std::size_t keys_ = 0;
    std::size_t resizes_ = 0;
};

const std::vector<std::string> kUtf8 = {"LANG=C.UTF-8", "LC_ALL=C.UTF-8", "NO_COLOR="};
const std::vector<std::string> kScenario = {"--root", "scenarios/readonly-root-after-errors/root"};

// A captured tree with logs, written here: two sources, a disk error and an ext4 error that
// the built-in rules classify, an escape sequence inside a message, and a quiet hour later.
void write_log_root(const diag::test::TempDir& dir) {
    dir.write("root/proc/sys/kernel/hostname", "web1\n");
    dir.write("root/proc/sys/kernel/osrelease", "6.1.0-18-amd64\n");
    dir.write("root/proc/uptime", "93784.20 180000.00\n");
    dir.write("root/var/log/syslog",
              "2024-03-10T14:00:00.000000+00:00 web1 systemd[1]: Starting Daily apt upgrade\n"
              "2024-03-10T14:02:30.000000+00:00 web1 nginx[901]: upstream timed out \x1b[2J"
              "(110: Connection timed out)\n"
              "2024-03-10T15:00:00.000000+00:00 web1 sshd[812]: Accepted publickey for admin\n"
              "2024-03-10T15:00:01.000000+00:00 web1 sshd[812]: session opened for admin\n");
    dir.write("root/var/log/kern.log",
              "2024-03-10T14:02:10.000000+00:00 web1 kernel: [ 5001.000000] blk_update_request: "
              "I/O error, dev sda, sector 2048 op 0x0:(READ) flags 0x0 phys_seg 1 prio class 0\n"
              "2024-03-10T14:02:11.000000+00:00 web1 kernel: [ 5002.000000] EXT4-fs error "
              "(device sda1): ext4_find_entry:1455: inode #2: comm nginx: reading directory "
              "lblock 0\n"
              "2024-03-10T14:02:12.000000+00:00 web1 kernel: [ 5003.000000] EXT4-fs (sda1): "
              "Remounting filesystem read-only\n");
}

}  // namespace

TEST_CASE("diag-top: overview, a domain, a finding and help at 80x24; resizes; Q quits") {
    TopPane pane(diag::test::source_dir(), 80, 24, kUtf8, kScenario);
    pane.wait_ready(0);
    pane.expect_screen("overview-80x24");
    pane.send("Enter");
    pane.expect_screen("domain-sys-80x24");
    pane.send("Enter");
    pane.expect_screen("finding-80x24");
    pane.send("Escape");
    pane.send("BSpace");
    pane.send("F1");
    pane.expect_screen("help-80x24");
    pane.send("q");
    pane.send("Tab");
    pane.send("j");
    pane.expect_screen("overview-worst-pane-80x24");
    pane.resize(70, 20);
    pane.expect_screen("too-small-70x20");
    pane.resize(80, 24);
    pane.expect_screen("overview-worst-pane-80x24");
    pane.quit();
}

TEST_CASE("diag-top: the timeline at 120x40, its search, errors and what was said around one") {
    diag::test::TempDir dir;
    write_log_root(dir);
    TopPane pane(dir.path(), 120, 40, kUtf8, {"--root", "root"});
    pane.wait_ready(0);
    pane.expect_screen("overview-120x40");
    pane.send("t");
    pane.expect_screen("timeline-120x40");
    pane.send("e");
    pane.send("e");
    pane.expect_screen("timeline-second-error-120x40");
    pane.send("Enter");
    pane.expect_screen("context-120x40");
    pane.send("q");
    pane.send("/");
    for (const char* key : {"s", "s", "h", "d"}) {
        pane.send(key);
    }
    pane.send("Enter");
    pane.send("n");
    pane.expect_screen("timeline-search-120x40");
    pane.send("f");
    for (const char* key : {"e", "x", "t", "4"}) {
        pane.send(key);
    }
    pane.send("Enter");
    pane.expect_screen("timeline-filter-120x40");
    pane.send("q");
    pane.send("i");
    pane.expect_screen("incidents-120x40");
    pane.quit();
}

TEST_CASE("diag-top: LANG=C and TERM=vt100 give an ASCII screen") {
    TopPane pane(diag::test::source_dir(), 80, 24, {"LANG=C", "LC_ALL=C", "TERM=vt100"}, kScenario);
    pane.wait_ready(0);
    const auto screen = pane.capture();
    CHECK(std::none_of(screen.begin(), screen.end(),
                       [](char c) { return static_cast<unsigned char>(c) >= 0x80; }));
    pane.expect_screen("overview-ascii-80x24");
    pane.send("Enter");
    pane.expect_screen("domain-sys-ascii-80x24");
    pane.send("q");
    pane.send("j");
    pane.send("j");
    pane.send("Enter");
    pane.expect_screen("network-ascii-80x24");
    pane.send("Enter");
    pane.expect_screen("network-subject-ascii-80x24");
    pane.send("q");
    pane.send("q");
    pane.send("G");
    pane.send("Enter");
    pane.expect_screen("disks-ascii-80x24");
    pane.quit();
}

TEST_CASE("diag-top: NO_COLOR leaves out colour, severity stays as text and bold") {
    // The same screen with colour forced, so the check below is known to see colour codes.
    const std::regex colour("\x1b\\[[0-9;]*(3[0-7]|9[0-7]|38;)[0-9;]*m");
    const std::regex bold_critical("\x1b\\[[0-9;]*1[0-9;]*mCRITICAL");
    {
        TopPane coloured(diag::test::source_dir(), 80, 24, {"LANG=C.UTF-8", "NO_COLOR="},
                         {"--root", kScenario[1], "--color=always"});
        coloured.wait_ready(0);
        CHECK(std::regex_search(coloured.capture(true), colour));
        coloured.quit();
    }
    TopPane pane(diag::test::source_dir(), 80, 24, {"LANG=C.UTF-8", "NO_COLOR=1"}, kScenario);
    pane.wait_ready(0);
    const auto screen = pane.capture(true);
    CHECK_FALSE(std::regex_search(screen, colour));
    CHECK(std::regex_search(screen, bold_critical));
    pane.expect_screen("overview-80x24");
    pane.quit();
}

TEST_CASE("diag-top: --version, --help, refused output options and no terminal") {
    const auto top = (diag::test::binary_dir() / "tui" / "diag-top").string();
    const auto version = run_process({top, "--version"});
    CHECK(version.exit_code == 0);
    CHECK(version.out.starts_with("diag-top (diag) "));
    const auto help = run_process({top, "--help"});
    CHECK(help.exit_code == 0);
    CHECK(help.out.find("--interval") != std::string::npos);
    const auto json = run_process({top, "--json"});
    CHECK(json.exit_code == 64);
    CHECK(json.err.find("diag-top is interactive") != std::string::npos);
    const auto interval = run_process({top, "--interval", "0"});
    CHECK(interval.exit_code == 64);
    // stdin is /dev/null here: no terminal, a clear message, and nothing drawn.
    const auto no_tty =
        run_process({top, "--root", (diag::test::source_dir() / kScenario[1]).string()});
    CHECK(no_tty.exit_code == 3);
    CHECK(no_tty.err.find("needs a terminal") != std::string::npos);
    CHECK(no_tty.out.empty());
}

TEST_CASE("diag-top: the Memory screen tables the modules of a captured EDAC tree") {
    TopPane pane(diag::test::source_dir(), 80, 24, kUtf8, {"--root", "tests/fixtures/edac-dimm"});
    pane.wait_ready(0);
    for (const char* key : {"j", "j", "j", "Enter"}) {
        pane.send(key);
    }
    pane.expect_screen("memory-80x24");
    pane.send("Enter");
    pane.expect_screen("memory-subject-80x24");
    pane.quit();
}
