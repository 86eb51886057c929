// Real kernel messages: a process made to segfault here must show up in /dev/kmsg, parse as a
// kmsg record, match proc.segfault with its pid, and land at the right wall time.

#include "support/shared_data.hpp"

#include <diag/core/root.hpp>
#include <diag/logs/classifier.hpp>
#include <diag/logs/line_splitter.hpp>
#include <diag/logs/log_files.hpp>
#include <diag/logs/record_reader.hpp>

#include <array>
#include <cerrno>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace {

// Reads every /dev/kmsg record available now (each read(2) returns one record).
std::vector<std::string> read_kmsg_records(int fd) {
    std::vector<std::string> records;
    std::array<char, 8192> buffer{};
    while (true) {
        const ssize_t got = ::read(fd, buffer.data(), buffer.size());
        if (got < 0 && errno == EPIPE) {
            continue;  // records were overwritten before we read them; go on
        }
        if (got <= 0) {
            break;
        }
        records.emplace_back(buffer.data(), static_cast<std::size_t>(got));
    }
    return records;
}

}  // namespace

TEST_CASE("kernel: a segfault made here is found in /dev/kmsg at the right time") {
    const int fd = ::open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        diag::test::skip("cannot read /dev/kmsg (needs root and a kernel log)");
    }
    if (::access("/usr/bin/python3", X_OK) != 0) {
        ::close(fd);
        diag::test::skip("needs /usr/bin/python3 to make a real segfault");
    }
    REQUIRE(::lseek(fd, 0, SEEK_END) >= 0);
    const auto before = std::chrono::system_clock::now();

    // python3 reading address 0 through ctypes faults in the kernel's page fault path, which
    // prints "python3[PID]: segfault at 0 ..." (arch/x86/mm/fault.c, show_signal_msg()).
    std::array<const char*, 4> argv{"/usr/bin/python3", "-c", "import ctypes; ctypes.string_at(0)",
                                    nullptr};
    pid_t pid = 0;
    REQUIRE(posix_spawn(&pid, argv[0], nullptr, nullptr, const_cast<char**>(argv.data()),
                        environ) == 0);
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    REQUIRE(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == SIGSEGV);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const auto lines = read_kmsg_records(fd);
    ::close(fd);

    auto root = diag::Root::open("/");
    REQUIRE(root);
    diag::logs::ReaderSettings settings{diag::logs::LogFormat::kmsg,      "/dev/kmsg", {}, {}, {},
                                        diag::logs::read_boot_time(*root)};
    std::vector<diag::logs::LogRecord> records;
    diag::logs::RecordReader reader(settings,
                                    [&](diag::logs::LogRecord&& r) { records.push_back(r); });
    diag::logs::LineSplitter splitter([&](const diag::logs::SplitLine& l) { reader.add_line(l); });
    for (const auto& line : lines) {
        splitter.feed(line);
    }
    splitter.finish();
    reader.finish();

    auto classifier = diag::logs::Classifier::build(diag::logs::builtin_rules());
    REQUIRE(classifier);
    const diag::logs::LogRecord* found = nullptr;
    for (const auto& record : records) {
        for (const auto& match : classifier->classify(record)) {
            if (classifier->rules().at(match.rule_index).id == "proc.segfault" &&
                match.fields.at(1).value == std::to_string(pid)) {
                found = &record;
            }
        }
    }
    if (found == nullptr) {
        // The kernel rate-limits these messages (printk_ratelimit); say so rather than pass.
        diag::test::skip("no segfault line for pid " + std::to_string(pid) +
                         " in /dev/kmsg (rate-limited or exception-trace off)");
    }
    REQUIRE(found->time.has_value());
    const auto when =
        std::chrono::time_point_cast<std::chrono::system_clock::duration>(*found->time);
    // btime has whole seconds, so the mapped time may be up to a second early.
    CHECK(when > before - std::chrono::seconds(2));
    CHECK(when < std::chrono::system_clock::now() + std::chrono::seconds(2));
    CHECK(found->time_confidence == diag::logs::TimeConfidence::boot_relative);
}
