#pragma once

#include <chrono>
#include <functional>
#include <optional>

namespace diag {

/// Runs body in a child process and returns the exit status the child reports, without waiting
/// for the child to end.
///
/// Why: a thread blocked in uninterruptible sleep (a read of a dying disk) cannot be killed,
/// and a process keeps existing until all its threads are gone, so a shell waiting for diag
/// would hang even though the report was printed. The child reports its status over a pipe
/// after flushing and releasing stdout and stderr (pointing them at /dev/null), and the parent
/// exits with that status at once; a stuck child lingers as an orphan until the kernel gives
/// its thread back. If the child dies without reporting, its exit status or 128+signal is
/// returned. If fork fails, body runs in this process.
///
/// While it waits, SIGINT, SIGTERM and SIGHUP sent to this process are passed on to the child
/// (which may stop at a safe point and still report what it has), and the wait goes on for its
/// status; a second such signal ends this process with the default action. The signals'
/// earlier actions are restored before returning.
int run_in_child(const std::function<int()>& body);

/// What the caller does when the collecting child has not reported in time.
struct ChildLimit {
    /// How long to wait for the child's status, counted from the fork.
    std::chrono::milliseconds wait;
    /// Run in this process once the wait is over (the child has been sent SIGKILL and is not
    /// waited for: a thread in uninterruptible sleep keeps it until the kernel lets go). Prints
    /// what the caller is owed, such as a report of one Issue, and returns the exit status.
    std::function<int()> give_up;
};

/// run_in_child with a limit on the wait: a child stuck where its own deadlines cannot reach
/// (a netlink request waiting for a lock a driver holds, a hung filesystem's open) costs the
/// caller limit->wait, not forever. Without a limit, the same as run_in_child(body).
int run_in_child(const std::function<int()>& body, const std::optional<ChildLimit>& limit);

/// Work that may wait until the report is out: run by run_in_child's collecting child after it
/// has handed its status to the parent (so the caller has its answer and is gone), or after
/// the body when no child could be made. For caches that only save later runs time; a task
/// must not print. Thread-safe.
void after_report(std::function<void()> task);

}  // namespace diag
