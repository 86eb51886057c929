// diag-logs as a user runs it: on the captured web server in tests/fixtures/logs/root, on
// loghub's real samples, on a journal the test makes, and on files it writes itself.

#include "support/process.hpp"
#include "support/shared_data.hpp"
#include "support/temp_dir.hpp"

#include <diag/core/root.hpp>
#include <diag/logs/journal_reader.hpp>

#include <algorithm>
#include <array>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace {

struct RunResult {
    std::string out;
    int status = -1;
};

// Runs diag-logs with args (no shell), capturing stdout; stderr goes to the test's stderr.
RunResult run_logs(const std::vector<std::string>& args) {
    const std::string program = (diag::test::binary_dir() / "tools/diag-logs").string();
    std::vector<std::string> argv_strings{program};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& arg : argv_strings) {
        argv.push_back(arg.data());
    }
    argv.push_back(nullptr);
    std::array<int, 2> pipe_fds{};
    REQUIRE(::pipe(pipe_fds.data()) == 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
    pid_t pid = 0;
    const int spawned = posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(pipe_fds[1]);
    REQUIRE(spawned == 0);
    RunResult result;
    std::array<char, 65536> buffer{};
    ssize_t got = 0;
    while ((got = ::read(pipe_fds[0], buffer.data(), buffer.size())) > 0) {
        result.out.append(buffer.data(), static_cast<std::size_t>(got));
    }
    ::close(pipe_fds[0]);
    int wait_status = 0;
    REQUIRE(::waitpid(pid, &wait_status, 0) == pid);
    result.status = WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : -1;
    return result;
}

std::string fixture_root() {
    return (diag::test::source_dir() / "tests/fixtures/logs/root").string();
}

const nlohmann::json* find_finding(const nlohmann::json& report, const std::string& check) {
    for (const auto& finding : report["findings"]) {
        if (finding["check"] == check) {
            return &finding;
        }
    }
    return nullptr;
}

}  // namespace

TEST_CASE("diag-logs: the failing disk of the captured web server is one critical incident") {
    const auto run = run_logs({"--root", fixture_root(), "--since", "2024-03-10", "--json"});
    CHECK(run.status == 2);
    const auto report = nlohmann::json::parse(run.out);
    const auto* incident = find_finding(report, "logs.incident");
    REQUIRE(incident != nullptr);
    CHECK((*incident)["severity"] == "critical");
    const auto& evidence = (*incident)["evidence"];
    CHECK(evidence["first_domino_rule"] == "disk.io_error_legacy");
    CHECK(evidence["start"] == "2024-03-10T14:02:11.123Z");
    CHECK(evidence["events_count"] == 9);
    CHECK(evidence["shared_subjects"].get<std::string>().starts_with("device sda (3)"));

    // Each event once, although dmesg repeats the kernel's lines; the dmesg copy is dated
    // through the boot time and agrees with syslog to the microsecond.
    std::size_t io_errors = 0;
    for (const auto& finding : report["findings"]) {
        if (finding["check"] == "logs.disk.io_error_legacy") {
            ++io_errors;
            CHECK(finding["subject"] == "sda");
            CHECK(finding["evidence"]["sector"] == "1953456");
            CHECK(finding["time"] == "2024-03-10T14:02:11.200Z");
        }
    }
    CHECK(io_errors == 1);
    for (const auto* check :
         {"logs.disk.ata_exception", "logs.disk.ext4_error", "logs.disk.remount_read_only",
          "logs.web.apache_child_signal", "logs.web.apache_max_workers",
          "logs.web.nginx_upstream_timeout", "logs.web.nginx_upstream_closed",
          "logs.web.nginx_worker_connections"}) {
        CHECK(find_finding(report, check) != nullptr);
    }
}

TEST_CASE("diag-logs: --nagios and --prom give the plugin line and events by rule") {
    const auto prom = (std::filesystem::temp_directory_path() / "diag-logs-test.prom").string();
    const auto run =
        run_logs({"--root", fixture_root(), "--since", "2024-03-10", "--nagios", "--prom", prom});
    CHECK(run.status == 2);
    CHECK(run.out.starts_with("DIAG-LOGS CRITICAL - "));
    CHECK(run.out.find("'critical_events'=3;;;0") != std::string::npos);
    const auto metrics = diag::test::read_file(prom);
    CHECK(metrics.find("diag_log_events_total{tool=\"diag-logs\",rule=\"disk.ext4_error\","
                       "category=\"disk\",severity=\"critical\"} 1") != std::string::npos);
    CHECK(metrics.find("diag_log_incidents{tool=\"diag-logs\"} 2") != std::string::npos);
    std::filesystem::remove(prom);
}

TEST_CASE("diag-logs: --around a rule with --window shows every source near it, in order") {
    const auto run = run_logs({"--root", fixture_root(), "--around", "web.apache_max_workers",
                               "--window", "1s", "--color=never", "--utc"});
    CHECK(run.status == 1);
    const auto first = run.out.find("2024-03-10 14:02:30.551234");
    const auto second = run.out.find("2024-03-10 14:02:31.000001");
    CHECK(first != std::string::npos);
    CHECK(second != std::string::npos);
    CHECK(first < second);
    CHECK(run.out.find("14:02:12") == std::string::npos);
}

TEST_CASE("diag-logs: --source, --level and --grep narrow the timeline") {
    const auto nginx = run_logs({"--root", fixture_root(), "--since", "2024-03-01", "--source",
                                 "nginx", "--level", "err", "--color=never"});
    CHECK(nginx.out.find("upstream timed out") != std::string::npos);
    CHECK(nginx.out.find("signal process started") == std::string::npos);
    CHECK(nginx.out.find("EXT4-fs") == std::string::npos);

    const auto grep = run_logs({"--root", fixture_root(), "--since", "2024-03-01", "--grep",
                                "Remounting", "--color=never"});
    CHECK(grep.out.find("Remounting filesystem read-only") != std::string::npos);
    CHECK(grep.out.find("ata1.00") == std::string::npos);
}

TEST_CASE("diag-logs: control characters in a log line reach the terminal escaped") {
    const auto path = std::filesystem::temp_directory_path() / "diag-logs-escape-test.log";
    {
        std::ofstream out(path, std::ios::binary);
        out << "2024-03-10T14:02:11.000000+00:00 h evil: \x1b]0;pwned\x07\x1b[2J done\n";
    }
    const auto run = run_logs({path.string(), "--color=never"});
    CHECK(run.out.find('\x1b') == std::string::npos);
    CHECK(run.out.find("\\x1b]0;pwned\\x07\\x1b[2J done") != std::string::npos);
    std::filesystem::remove(path);
}

TEST_CASE("diag-logs: usage errors exit 64 and name the option") {
    const auto run = run_logs({"--since", "yesterday-ish"});
    CHECK(run.status == 64);
    const auto level = run_logs({"--level", "loud"});
    CHECK(level.status == 64);
}

TEST_CASE("diag-logs: --list-rules lists the catalogue") {
    const auto run = run_logs({"--list-rules"});
    CHECK(run.status == 0);
    CHECK(std::count(run.out.begin(), run.out.end(), '\n') >= 50);
    CHECK(run.out.find("mem.oom_kill ") != std::string::npos);
}

TEST_CASE("diag-logs: loghub's Linux_2k reads whole with --year and --tz, 2000 records") {
    const auto dir = diag::test::require_shared_data("logs");
    const auto run =
        run_logs({(dir / "Linux_2k.log").string(), "--year", "2005", "--tz", "UTC", "--json"});
    const auto report = nlohmann::json::parse(run.out);
    bool counted = false;
    for (const auto& metric : report["metrics"]) {
        if (metric["name"] == "diag_log_records_total") {
            CHECK(metric["value"] == 2000);
            CHECK(metric["labels"]["format"] == "rfc3164");
            counted = true;
        }
    }
    CHECK(counted);
}

namespace {

// A captured root whose only log is a journal file that systemd-journal-remote writes from the
// export text below: a kernel I/O error (with both stamps) and a program's message. Skips when
// the converter is not installed.
void make_journal_root(const diag::test::TempDir& dir) {
    const char* const converter = "/lib/systemd/systemd-journal-remote";
    if (::access(converter, X_OK) != 0) {
        diag::test::skip("no way to write a journal here: install systemd-journal-remote");
    }
    dir.write("in.export",
              "__CURSOR=s=1;i=1\n__REALTIME_TIMESTAMP=1710079331123456\n"
              "__MONOTONIC_TIMESTAMP=5012123456\n_BOOT_ID=0123456789abcdef0123456789abcdef\n"
              "_TRANSPORT=kernel\nPRIORITY=3\n_SOURCE_MONOTONIC_TIMESTAMP=5012100000\n"
              "SYSLOG_IDENTIFIER=kernel\n_HOSTNAME=web1\n"
              "MESSAGE=blk_update_request: I/O error, dev sda, sector 1953456\n\n"
              "__CURSOR=s=1;i=2\n__REALTIME_TIMESTAMP=1710079335000000\n"
              "__MONOTONIC_TIMESTAMP=5016000000\n_BOOT_ID=0123456789abcdef0123456789abcdef\n"
              "_TRANSPORT=syslog\nPRIORITY=6\nSYSLOG_IDENTIFIER=backup\n_PID=4242\n"
              "_HOSTNAME=web1\nMESSAGE=backup of /srv started\n\n");
    dir.make_dir("root/var/log/journal/0123456789abcdef0123456789abcdef");
    const auto run = diag::test::run_process(
        {converter,
         "--output=" +
             dir.at("root/var/log/journal/0123456789abcdef0123456789abcdef/system.journal")
                 .string(),
         dir.at("in.export").string()});
    REQUIRE(run.exit_code == 0);
}

void check_journal_report(const RunResult& run, const std::string& source_part) {
    CHECK(run.status == 2);
    const auto report = nlohmann::json::parse(run.out);
    const auto* io_error = find_finding(report, "logs.disk.io_error_legacy");
    REQUIRE(io_error != nullptr);
    CHECK((*io_error)["subject"] == "sda");
    CHECK((*io_error)["time"] == "2024-03-10T14:02:11.123Z");
    CHECK((*io_error)["evidence"]["time_confidence"] == "exact");
    CHECK((*io_error)["evidence"]["log_source"].get<std::string>().find(source_part) !=
          std::string::npos);
    std::uint64_t records = 0;
    for (const auto& metric : report["metrics"]) {
        if (metric["name"] == "diag_log_records_total") {
            records += metric["value"].get<std::uint64_t>();
        }
    }
    CHECK(records == 2);
}

}  // namespace

TEST_CASE("diag-logs: --root reads a captured journal natively, every entry and both stamps") {
    diag::test::TempDir dir;
    make_journal_root(dir);
    const auto root = dir.at("root").string();
    check_journal_report(run_logs({"--root", root, "--since", "2024-03-10", "--json"}),
                         "var/log/journal");
    const auto text = run_logs({"--root", root, "--since", "2024-03-10", "--utc", "--color=never"});
    CHECK(text.out.find("source " + root + "/var/log/journal: journal, 2 records (1 boot)") !=
          std::string::npos);
    CHECK(text.out.find("2024-03-10 14:02:15.000000  journal") != std::string::npos);
    CHECK(text.out.find("backup[4242]: <info> backup of /srv started") != std::string::npos);
}

TEST_CASE("diag-logs: journalctl's json and export output read as files give the same events") {
    diag::test::TempDir dir;
    make_journal_root(dir);
    if (::access("/usr/bin/journalctl", X_OK) != 0) {
        diag::test::skip("needs journalctl to write json and export files");
    }
    for (const std::string format : {"json", "export"}) {
        const auto dump = diag::test::run_process(
            {"/usr/bin/journalctl", "--root", dir.at("root").string(), "-o", format});
        REQUIRE(dump.exit_code == 0);
        const auto file = "journal." + format;
        dir.write(file, dump.out);
        check_journal_report(run_logs({dir.at(file).string(), "--json"}), file);
        const auto text = run_logs({dir.at(file).string(), "--color=never"});
        CHECK(text.out.find("journal-" + format + ", 2 records") != std::string::npos);
    }
}

TEST_CASE("live: diag-logs alone reads this box's journal and the kernel's ring", "[live]") {
    auto root = diag::Root::open("/");
    REQUIRE(root);
    const auto run = run_logs({"--color=never"});
    CHECK(run.status >= 0);
    CHECK(run.status <= 2);
    if (diag::logs::has_journal(*root)) {
        CHECK(run.out.find("source journal: journal") != std::string::npos);
    }
    if (::access("/dev/kmsg", R_OK) == 0) {
        const bool read = run.out.find("source /dev/kmsg: kmsg, ") != std::string::npos;
        const bool left_out =
            run.out.find("source /dev/kmsg: not read: the journal has this boot's") !=
            std::string::npos;
        CHECK((read || left_out));
    }
}

namespace {

// Waits (at most 30 s) until some process holds path open, found through /proc/PID/fd links.
void wait_until_open_by_a_process(const std::string& path) {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < give_up) {
        std::error_code ec;
        for (const auto& proc : std::filesystem::directory_iterator("/proc", ec)) {
            std::error_code fd_ec;
            for (const auto& fd : std::filesystem::directory_iterator(proc.path() / "fd", fd_ec)) {
                std::error_code link_ec;
                if (std::filesystem::read_symlink(fd.path(), link_ec) == path) {
                    return;
                }
            }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

}  // namespace

TEST_CASE("diag-logs: -f follows two files across rename and copytruncate, each line once") {
    diag::test::TempDir dir;
    const auto renamed = dir.at("renamed.log").string();
    const auto truncated = dir.at("truncated.log").string();
    dir.write("renamed.log", "");
    dir.write("truncated.log", "");
    constexpr int kLines = 3000;
    // The tool looks at its files five times a second, slower in a sanitizer build. Lines come
    // in bursts as fast as they can be written; a rotation waits 1.5 s after its burst, so a look
    // has seen every generation before it is rotated away (nothing can follow a file that is
    // created and rotated between two looks; 450 ms was too short under ASan).
    std::thread writer([&] {
        // Start writing only once the tool follows both files: a slow start (a sanitizer build
        // compiling the rule database) must not let the first rotation happen before its look.
        wait_until_open_by_a_process(renamed);
        wait_until_open_by_a_process(truncated);
        std::ofstream a(renamed, std::ios::app);
        std::ofstream b(truncated, std::ios::app);
        const auto line = [&](int n) {
            a << "2024-03-10T14:02:11Z web1 renamed: line " << n << '\n' << std::flush;
            b << "2024-03-10T14:02:11Z web1 truncated: line " << n << '\n' << std::flush;
        };
        for (int n = 0; n < kLines; ++n) {
            line(n);
            if (n % 750 == 749 && n + 2 < kLines) {
                std::this_thread::sleep_for(std::chrono::milliseconds(1500));
                // Rename: the daemon writes once more to the renamed file, then reopens.
                std::filesystem::rename(renamed, renamed + ".1");
                line(++n);
                a.close();
                a.open(renamed, std::ios::app);
                std::filesystem::copy_file(truncated, truncated + ".1",
                                           std::filesystem::copy_options::overwrite_existing);
                std::filesystem::resize_file(truncated, 0);
            }
        }
    });
    const auto run = run_logs({"-f", "--follow-for", "10s", "--color=never", renamed, truncated});
    writer.join();
    CHECK(run.status == 0);
    for (const std::string tag : {"renamed", "truncated"}) {
        std::map<int, int> seen;
        std::size_t at = 0;
        const std::string mark = tag + ": line ";
        while ((at = run.out.find(mark, at)) != std::string::npos) {
            at += mark.size();
            ++seen[std::stoi(run.out.substr(at, 6))];
        }
        int first_missing = -1;
        for (int n = 0; n < kLines && first_missing < 0; ++n) {
            first_missing = seen.contains(n) ? -1 : n;
        }
        INFO(tag << ", first missing line " << first_missing);
        CHECK(seen.size() == kLines);
        CHECK(std::all_of(seen.begin(), seen.end(),
                          [](const auto& item) { return item.second == 1; }));
    }
}
