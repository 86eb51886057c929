#include <diag/core/child_run.hpp>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <string>
#include <thread>

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <pthread.h>
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

namespace {

std::atomic<bool> g_child_stop{false};

extern "C" void note_stop(int /*signal*/) {
    g_child_stop.store(true);
}

}  // namespace

TEST_CASE("child run: a SIGTERM sent to the parent alone reaches the child, which still reports") {
    // The child says it is ready over a pipe, then works until asked to stop and reports what it
    // did; a helper thread sends SIGTERM to this (the parent) process only, as `kill PID` does.
    int ready[2] = {-1, -1};
    REQUIRE(::pipe(ready) == 0);
    std::thread sender([fd = ready[0]] {
        // This thread blocks SIGTERM, so the signal is taken by the thread in run_in_child.
        sigset_t term;
        sigemptyset(&term);
        sigaddset(&term, SIGTERM);
        ::pthread_sigmask(SIG_BLOCK, &term, nullptr);
        char byte = 0;
        if (::read(fd, &byte, 1) == 1) {
            ::kill(::getpid(), SIGTERM);
        }
        ::close(fd);
    });
    int status = -1;
    const auto out = capture_stdout([&] {
        status = diag::run_in_child([fd = ready[1]] {
            struct sigaction action {};
            action.sa_handler = note_stop;
            ::sigaction(SIGTERM, &action, nullptr);
            const char byte = 'r';
            static_cast<void>(::write(fd, &byte, 1));
            ::close(fd);
            int slices = 0;
            // Bounded: without the forwarded signal this ends after about 20 s and says so.
            while (!g_child_stop.load() && slices < 2000) {
                ::usleep(10000);
                ++slices;
            }
            std::printf("%s\n", g_child_stop.load() ? "stopped, partial result" : "never stopped");
            return 3;
        });
    });
    ::close(ready[1]);
    sender.join();
    CHECK(status == 3);
    CHECK(out == "stopped, partial result\n");
}

TEST_CASE("child run: the parent's own SIGTERM action is back once the child is done") {
    struct sigaction before {};
    ::sigaction(SIGTERM, nullptr, &before);
    CHECK(diag::run_in_child([] { return 0; }) == 0);
    struct sigaction after {};
    ::sigaction(SIGTERM, nullptr, &after);
    CHECK(after.sa_handler == before.sa_handler);
}

TEST_CASE("child run: a child that never reports costs the caller the limit, then give_up runs") {
    // The child blocks with nothing printed, as one stuck in the kernel would; the caller gives
    // up after the limit, prints its own account and returns give_up's status.
    const auto started = std::chrono::steady_clock::now();
    int status = -1;
    const auto out = capture_stdout([&] {
        status = diag::run_in_child(
            [] {
                for (;;) {
                    ::pause();
                }
                return 0;
            },
            diag::ChildLimit{std::chrono::milliseconds(200), [] {
                                 std::printf("gave up\n");
                                 return 3;
                             }});
    });
    const auto took = std::chrono::steady_clock::now() - started;
    CHECK(status == 3);
    CHECK(out == "gave up\n");
    CHECK(took >= std::chrono::milliseconds(200));
    CHECK(took < std::chrono::seconds(10));
}

TEST_CASE("child run: a child that reports within the limit is not given up on") {
    bool gave_up = false;
    const int status =
        diag::run_in_child([] { return 1; }, diag::ChildLimit{std::chrono::seconds(30), [&gave_up] {
                                                                  gave_up = true;
                                                                  return 3;
                                                              }});
    CHECK(status == 1);
    CHECK_FALSE(gave_up);
}
