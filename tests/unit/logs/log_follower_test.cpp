// Following logs while they rotate: two files written at a high line rate, one rotated by
// rename and one by copytruncate, each many times; every line must come out exactly once.

#include "support/temp_dir.hpp"

#include <diag/core/root.hpp>
#include <diag/logs/log_follower.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

using diag::logs::LogRecord;

namespace {

using Clock = std::chrono::steady_clock;

// A logger writing through an O_APPEND descriptor, as syslog daemons do.
class Writer {
public:
    explicit Writer(std::string path) : path_(std::move(path)) { reopen(); }
    ~Writer() { ::close(fd_); }
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;

    void line(const std::string& tag, std::uint64_t n) {
        const std::string text = "2024-03-10T14:02:11.000000+00:00 web1 " + tag + "[7]: line " +
                                 std::to_string(n) + "\n";
        REQUIRE(::write(fd_, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
    }
    void reopen() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
        fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        REQUIRE(fd_ >= 0);
    }
    // logrotate's copytruncate: copy the file to PATH.1, then cut it to nothing in place.
    void copytruncate() {
        std::filesystem::copy_file(path_, path_ + ".1",
                                   std::filesystem::copy_options::overwrite_existing);
        REQUIRE(::ftruncate(fd_, 0) == 0);
    }
    [[nodiscard]] const std::string& path() const { return path_; }

private:
    std::string path_;
    int fd_ = -1;
};

// Which numbers of a tag came out, and how often.
std::map<std::uint64_t, int> count_lines(const std::vector<std::string>& messages) {
    std::map<std::uint64_t, int> seen;
    for (const auto& message : messages) {
        REQUIRE(message.starts_with("line "));
        ++seen[std::stoull(message.substr(5))];
    }
    return seen;
}

}  // namespace

TEST_CASE("follow: rename and copytruncate rotation at a high line rate lose and double nothing") {
    diag::test::TempDir dir;
    const std::string renamed_path = dir.at("renamed.log").string();
    const std::string truncated_path = dir.at("truncated.log").string();
    // A generation created and rotated away between two polls cannot be seen by any follower
    // (and copytruncate's PATH.1 holds only the last copy; a truncation before any line was
    // read since the last one leaves nothing to notice it by), so a rotation waits until two
    // polls have passed since the first line after the one before, and at least this long;
    // lines are written flat out.
    constexpr auto kRotationSpacing = std::chrono::milliseconds(20);
    constexpr auto kPoll = std::chrono::milliseconds(5);
    constexpr std::uint64_t kLines = 60000;
    constexpr std::uint64_t kRotateEvery = 3000;

    Writer renamed(renamed_path);
    Writer truncated(truncated_path);
    auto root = diag::Root::open("/");
    REQUIRE(root);
    std::map<std::string, std::vector<std::string>> messages;
    diag::logs::LogFollower follower(
        *root, {{renamed_path, false}, {truncated_path, false}}, {},
        [&](LogRecord&& record) { messages[record.program].push_back(record.message); });

    std::atomic<bool> done = false;
    std::atomic<std::uint64_t> polls = 0;
    std::atomic<int> rotations = 0;
    std::thread writer([&] {
        auto last_rotation = Clock::now();
        std::uint64_t polls_at_rotation = 0;
        bool mark_after_line = false;
        for (std::uint64_t n = 0; n < kLines; ++n) {
            renamed.line("renamed", n);
            truncated.line("truncated", n);
            if (mark_after_line) {
                // The polls counted from here have seen the new generation hold a line.
                polls_at_rotation = polls;
                mark_after_line = false;
            }
            if (n % kRotateEvery == kRotateEvery - 1 && n + 4 < kLines) {
                std::this_thread::sleep_until(last_rotation + kRotationSpacing);
                while (polls < polls_at_rotation + 2) {
                    std::this_thread::sleep_for(std::chrono::milliseconds(1));
                }
                last_rotation = Clock::now();
                // Rename rotation: the daemon writes a few more lines to the renamed file
                // before it is told to reopen.
                std::filesystem::rename(renamed_path, renamed_path + ".1");
                for (int late = 0; late < 3; ++late) {
                    renamed.line("renamed", ++n);
                    truncated.line("truncated", n);
                }
                renamed.reopen();
                truncated.copytruncate();
                mark_after_line = true;
                ++rotations;
            }
        }
        done = true;
    });
    std::vector<diag::Issue> issues;
    while (!done) {
        auto step = follower.poll();
        ++polls;
        issues.insert(issues.end(), step.begin(), step.end());
        std::this_thread::sleep_for(kPoll);
    }
    writer.join();
    // Past the grace period, so renamed files are read to their end and let go.
    const auto until =
        Clock::now() + diag::logs::LogFollower::kRenamedGrace + std::chrono::milliseconds(200);
    while (Clock::now() < until) {
        auto step = follower.poll();
        issues.insert(issues.end(), step.begin(), step.end());
        std::this_thread::sleep_for(kPoll);
    }
    follower.finish();

    for (const auto& issue : issues) {
        INFO(issue.subject << ": " << issue.reason);
        CHECK(issue.level == diag::IssueLevel::info);
    }
    CHECK(rotations >= 19);
    for (const std::string tag : {"renamed", "truncated"}) {
        INFO(tag);
        const auto seen = count_lines(messages[tag]);
        CHECK(seen.size() == kLines);
        CHECK(messages[tag].size() == kLines);
        std::uint64_t doubled = 0;
        for (const auto& [n, times] : seen) {
            doubled += times > 1 ? 1 : 0;
        }
        CHECK(doubled == 0);
        CHECK(seen.begin()->first == 0);
        CHECK(seen.rbegin()->first == kLines - 1);
    }
}

TEST_CASE("follow: a file that appears later is read from its start") {
    diag::test::TempDir dir;
    const std::string path = dir.at("late.log").string();
    auto root = diag::Root::open("/");
    REQUIRE(root);
    std::vector<std::string> seen;
    diag::logs::LogFollower follower(*root, {{path, false}}, {},
                                     [&](LogRecord&& record) { seen.push_back(record.message); });
    const auto first = follower.poll();
    REQUIRE(first.size() == 1);
    CHECK(first[0].level == diag::IssueLevel::info);
    CHECK(follower.poll().empty());
    dir.write("late.log", "2024-03-10T14:02:11Z h app: one\n2024-03-10T14:02:12Z h app: two\n");
    CHECK(follower.poll().empty());
    follower.finish();
    CHECK(seen == std::vector<std::string>{"one", "two"});
}

TEST_CASE("follow: a partial last line waits for its newline") {
    diag::test::TempDir dir;
    const std::string path = dir.at("partial.log").string();
    Writer writer(path);
    auto root = diag::Root::open("/");
    REQUIRE(root);
    std::vector<std::string> seen;
    diag::logs::LogFollower follower(*root, {{path, false}}, {},
                                     [&](LogRecord&& record) { seen.push_back(record.message); });
    writer.line("app", 1);
    const std::string half = "2024-03-10T14:02:12Z web1 app[7]: line ";
    const int half_fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
    REQUIRE(::write(half_fd, half.data(), half.size()) == static_cast<ssize_t>(half.size()));
    ::close(half_fd);
    follower.poll();
    follower.poll();
    CHECK(seen == std::vector<std::string>{"line 1"});
    const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
    REQUIRE(::write(fd, "2\n", 2) == 2);
    ::close(fd);
    follower.poll();
    follower.poll();
    CHECK(seen == std::vector<std::string>{"line 1", "line 2"});
}
