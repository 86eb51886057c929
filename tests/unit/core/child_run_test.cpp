#include <diag/core/child_run.hpp>

#include <csignal>
#include <cstdio>
#include <string>
#include <thread>

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

namespace {

// Runs fn with stdout pointed at a pipe and returns what was written to it.
template <class F>
std::string capture_stdout(F fn) {
    int fds[2] = {-1, -1};
    REQUIRE(::pipe(fds) == 0);
    std::fflush(stdout);
    const int saved = ::dup(STDOUT_FILENO);
    ::dup2(fds[1], STDOUT_FILENO);
    ::close(fds[1]);
    fn();
    std::fflush(stdout);
    ::dup2(saved, STDOUT_FILENO);
    ::close(saved);
    std::string out;
    char buffer[256];
    ssize_t got = 0;
    while ((got = ::read(fds[0], buffer, sizeof buffer)) > 0) {
        out.append(buffer, static_cast<std::size_t>(got));
    }
    ::close(fds[0]);
    return out;
}

}  // namespace

TEST_CASE("child run: the parent gets the exit status the child reports") {
    CHECK(diag::run_in_child([] { return 0; }) == 0);
    CHECK(diag::run_in_child([] { return 2; }) == 2);
    CHECK(diag::run_in_child([] { return 64; }) == 64);
}

TEST_CASE("child run: what the child prints reaches the caller's stdout") {
    int status = -1;
    const auto out = capture_stdout([&] {
        status = diag::run_in_child([] {
            std::printf("report line\n");
            return 1;
        });
    });
    CHECK(status == 1);
    CHECK(out == "report line\n");
}

TEST_CASE("child run: a child killed by a signal gives 128 plus the signal") {
    const int status = diag::run_in_child([] {
        std::signal(SIGTERM, SIG_DFL);
        ::raise(SIGTERM);
        return 0;
    });
    CHECK(status == 128 + SIGTERM);
}

TEST_CASE("child run: the reader sees end of output while a child thread is still blocked") {
    // The child leaves a thread blocked on a pipe nobody writes; stdout must still reach EOF
    // and the status must come back, which is what a shell or "| jq" waits for.
    int status = -1;
    const auto out = capture_stdout([&] {
        status = diag::run_in_child([] {
            int never[2] = {-1, -1};
            if (::pipe(never) != 0) {
                return 9;
            }
            std::thread([fd = never[0]] {
                char byte = 0;
                static_cast<void>(::read(fd, &byte, 1));
            }).detach();
            std::printf("done\n");
            return 0;
        });
    });
    CHECK(status == 0);
    CHECK(out == "done\n");
}
