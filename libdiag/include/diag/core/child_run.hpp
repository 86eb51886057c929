#pragma once

#include <functional>

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
int run_in_child(const std::function<int()>& body);

}  // namespace diag
