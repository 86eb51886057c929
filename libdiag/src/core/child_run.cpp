#include "diag/core/child_run.hpp"

#include "diag/core/unique_fd.hpp"

#include <array>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

namespace diag {

namespace {

constexpr int kSignalExitBase = 128;

struct AfterReport {
    std::mutex mutex;
    std::vector<std::function<void()>> tasks;
};

AfterReport& after_report_tasks() {
    static AfterReport tasks;  // NOLINT(*-avoid-non-const-global-variables)
    return tasks;
}

void run_after_report_tasks() {
    std::vector<std::function<void()>> tasks;
    {
        const std::lock_guard lock(after_report_tasks().mutex);
        tasks.swap(after_report_tasks().tasks);
    }
    for (const auto& task : tasks) {
        task();
    }
}

// The signals a person or a service manager sends to stop a tool. They are passed on to the
// collecting child, which may stop at a safe point and still report what it got; a second one
// ends the parent at once (the way out when the child is stuck in the kernel).
constexpr std::array kForwardedSignals{SIGINT, SIGTERM, SIGHUP};

// Written before the handlers are installed and read only by them.
volatile std::sig_atomic_t g_child_pid = 0;
volatile std::sig_atomic_t g_signals_seen = 0;

extern "C" void forward_to_child(int signal_number) {
    const int saved_errno = errno;
    const std::sig_atomic_t seen = g_signals_seen;
    g_signals_seen = seen + 1;
    if (seen == 0 && g_child_pid > 0) {
        ::kill(static_cast<pid_t>(g_child_pid), signal_number);
    } else {
        // A second signal: stop waiting. The child keeps its own copy of the signal.
        ::signal(signal_number, SIG_DFL);
        ::raise(signal_number);
    }
    errno = saved_errno;
}

// Forwards kForwardedSignals to child while it lives; restores the old actions when it goes.
class SignalForwarder {
public:
    SignalForwarder(pid_t child, const sigset_t& old_mask) : old_mask_(old_mask) {
        g_child_pid = child;
        g_signals_seen = 0;
        struct sigaction action {};
        action.sa_handler = forward_to_child;
        sigemptyset(&action.sa_mask);
        for (std::size_t i = 0; i < kForwardedSignals.size(); ++i) {
            ::sigaction(kForwardedSignals[i], &action, &old_actions_[i]);
        }
        // Signals that came while they were blocked (since before the fork) are forwarded now.
        ::pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
    }
    ~SignalForwarder() {
        for (std::size_t i = 0; i < kForwardedSignals.size(); ++i) {
            ::sigaction(kForwardedSignals[i], &old_actions_[i], nullptr);
        }
        g_child_pid = 0;
    }
    SignalForwarder(const SignalForwarder&) = delete;
    SignalForwarder& operator=(const SignalForwarder&) = delete;
    SignalForwarder(SignalForwarder&&) = delete;
    SignalForwarder& operator=(SignalForwarder&&) = delete;

private:
    sigset_t old_mask_;
    std::array<struct sigaction, kForwardedSignals.size()> old_actions_{};
};

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
    run_after_report_tasks();
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
        // SIGPIPE is the ordinary end of "diag-sys | head", and a stop signal passed on was
        // asked for; anything else is worth a line.
        if (WTERMSIG(wait_status) != SIGPIPE && g_signals_seen == 0) {
            std::fprintf(stderr, "diag: the collecting process was killed by signal %d (%s)\n",
                         WTERMSIG(wait_status), ::strsignal(WTERMSIG(wait_status)));
        }
        return kSignalExitBase + WTERMSIG(wait_status);
    }
    return 3;
}

}  // namespace

void after_report(std::function<void()> task) {
    const std::lock_guard lock(after_report_tasks().mutex);
    after_report_tasks().tasks.push_back(std::move(task));
}

int run_in_child(const std::function<int()>& body) {
    return run_in_child(body, std::nullopt);
}

namespace {

// Reads the child's status byte. Returns 1 when it came, 0 at end of file (the child died
// without reporting), -1 when limit is given and it passed first.
int read_status(int fd, unsigned char& byte, const std::optional<ChildLimit>& limit,
                std::chrono::steady_clock::time_point started) {
    for (;;) {
        if (limit) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                started + limit->wait - std::chrono::steady_clock::now());
            if (left.count() <= 0) {
                return -1;
            }
            pollfd ready{fd, POLLIN, 0};
            // A signal passed on to the child interrupts the poll; the time left is counted
            // again from the same start.
            if (::poll(&ready, 1, static_cast<int>(left.count() + 1)) <= 0) {
                continue;
            }
        }
        const ssize_t got = ::read(fd, &byte, 1);
        if (got >= 0) {
            return got == 1 ? 1 : 0;
        }
        if (errno != EINTR) {
            return 0;
        }
    }
}

}  // namespace

int run_in_child(const std::function<int()>& body, const std::optional<ChildLimit>& limit) {
    const auto started = std::chrono::steady_clock::now();
    std::fflush(stdout);
    std::fflush(stderr);
    int fds[2] = {-1, -1};
    const auto in_this_process = [&body] {
        const int status = body();
        run_after_report_tasks();
        return status;
    };
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        return in_this_process();
    }
    UniqueFd read_end(fds[0]);
    UniqueFd write_end(fds[1]);
    // Blocked across the fork, so none is lost or taken with the default action before the
    // parent's forwarder is in place; the child gets the mask it had, and its own actions.
    sigset_t forwarded;
    sigset_t old_mask;
    sigemptyset(&forwarded);
    for (const int signal_number : kForwardedSignals) {
        sigaddset(&forwarded, signal_number);
    }
    ::pthread_sigmask(SIG_BLOCK, &forwarded, &old_mask);
    const pid_t child = ::fork();
    if (child < 0) {
        ::pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
        return in_this_process();
    }
    if (child == 0) {
        ::pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
        read_end.reset();
        finish_child(write_end.get(), body());
    }
    write_end.reset();
    const SignalForwarder forwarder(child, old_mask);

    unsigned char byte = 0;
    const int got = read_status(read_end.get(), byte, limit, started);
    if (got < 0) {
        // The child may still wake and print: it must not, after the caller's own report.
        ::kill(child, SIGKILL);
        ::waitpid(child, nullptr, WNOHANG);
        return limit->give_up();
    }
    if (got == 1) {
        // Reap it if it is already gone; never wait for a child that may be stuck.
        ::waitpid(child, nullptr, WNOHANG);
        return byte;
    }
    return wait_for_dead_child(child);
}

}  // namespace diag
