#include "diag/core/child_run.hpp"

#include "diag/core/unique_fd.hpp"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace diag {

namespace {

constexpr int kSignalExitBase = 128;

[[noreturn]] void finish_child(int status_fd, int status) {
    std::fflush(stdout);
    std::fflush(stderr);
    // Hand back the terminal or pipe now, so whoever reads our output sees its end even if a
    // stuck thread keeps this process alive.
    const int null_fd = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null_fd >= 0) {
        ::dup2(null_fd, STDOUT_FILENO);
        ::dup2(null_fd, STDERR_FILENO);
    }
    const auto byte = static_cast<unsigned char>(status);
    while (::write(status_fd, &byte, 1) < 0 && errno == EINTR) {
    }
    ::_exit(status);
}

int wait_for_dead_child(pid_t child) {
    int wait_status = 0;
    while (::waitpid(child, &wait_status, 0) < 0) {
        if (errno != EINTR) {
            return 3;
        }
    }
    if (WIFEXITED(wait_status)) {
        return WEXITSTATUS(wait_status);
    }
    if (WIFSIGNALED(wait_status)) {
        // SIGPIPE is the ordinary end of "diag-sys | head"; anything else is worth a line.
        if (WTERMSIG(wait_status) != SIGPIPE) {
            std::fprintf(stderr, "diag: the collecting process was killed by signal %d (%s)\n",
                         WTERMSIG(wait_status), ::strsignal(WTERMSIG(wait_status)));
        }
        return kSignalExitBase + WTERMSIG(wait_status);
    }
    return 3;
}

}  // namespace

int run_in_child(const std::function<int()>& body) {
    std::fflush(stdout);
    std::fflush(stderr);
    int fds[2] = {-1, -1};
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        return body();
    }
    UniqueFd read_end(fds[0]);
    UniqueFd write_end(fds[1]);
    const pid_t child = ::fork();
    if (child < 0) {
        return body();
    }
    if (child == 0) {
        read_end.reset();
        finish_child(write_end.get(), body());
    }
    write_end.reset();

    unsigned char byte = 0;
    ssize_t got = 0;
    do {
        got = ::read(read_end.get(), &byte, 1);
    } while (got < 0 && errno == EINTR);
    if (got == 1) {
        // Reap it if it is already gone; never wait for a child that may be stuck.
        ::waitpid(child, nullptr, WNOHANG);
        return byte;
    }
    return wait_for_dead_child(child);
}

}  // namespace diag
