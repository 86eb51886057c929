#pragma once

#include <diag/core/collected.hpp>
#include <diag/core/report.hpp>
#include <diag/core/root.hpp>
#include <diag/crash/backtrace.hpp>
#include <diag/crash/lock_wait.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace diag::crash {

/// What /proc says about one thread (proc(5): task/TID/comm, stat, wchan, stack).
struct LiveThread {
    int tid = 0;
    std::string name;
    /// The state letter of stat's third field: R, S, D, T, t, Z, I.
    std::optional<char> state;
    /// The kernel function the thread sleeps in; empty when running or unreadable.
    std::string wchan;
    /// /proc/PID/task/TID/stack (root only); empty when unreadable.
    std::string kernel_stack;
    /// The futex the thread sleeps on, from /proc/PID/task/TID/syscall read before attaching.
    std::optional<FutexWait> futex;
};

/// The state letter from a /proc/PID/stat line (after the last ')'); nullopt when malformed.
std::optional<char> stat_state(std::string_view stat_line);

/// Every thread of a live process with its stack.
struct LiveProcess {
    int pid = 0;
    std::string name;
    std::vector<LiveThread> threads;
    std::optional<Backtrace> backtrace;
    /// Threads whose stack shows them locking a pthread mutex, with the mutex's owner.
    std::vector<LockWait> lock_waits;
    /// Wait-for cycles among lock_waits: each is a deadlock.
    std::vector<std::vector<LockWait>> deadlocks;
};

/// Reads the threads through root, then unwinds them (ptrace) under the deadline and detaches.
/// For each thread the stack shows in pthread_mutex_lock, the owner is read from the mutex in
/// the process's memory (process_vm_readv, under the same deadline) and wait-for cycles are
/// found. Works on the live root only; the stacks are absent, with an Issue, when attaching
/// fails.
Collected<LiveProcess> analyse_process(const Root& root, int pid, const BacktraceOptions& options,
                                       std::chrono::milliseconds deadline);

/// Text: each thread (identical stacks folded) with name, state (D flagged) and wchan.
std::string format_live_text(const LiveProcess& process);

/// Findings: threads in uninterruptible sleep (D) are a warning, otherwise ok; each deadlock
/// cycle is critical.
Report assess_live(const LiveProcess& process);

}  // namespace diag::crash
