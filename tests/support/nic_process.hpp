#pragma once

// A child process started now and waited for later, for tests that act on the system while a
// tool runs (diag-nic sampling while the test makes faults). run_process in process.hpp runs
// a child to its end; this is the asynchronous half it does not have.

#include "support/process.hpp"

#include <chrono>
#include <string>
#include <vector>

#include <sys/types.h>

namespace diag::test::nic {

/// A child started from an argv with posix_spawnp (no shell), stdin from /dev/null, stdout
/// and stderr on pipes. The destructor kills and reaps a child that was never finished.
class StartedProcess {
public:
    /// Starts argv[0], looked up in PATH; fails the test when it cannot be started.
    explicit StartedProcess(std::vector<std::string> argv);
    StartedProcess(const StartedProcess&) = delete;
    StartedProcess& operator=(const StartedProcess&) = delete;
    ~StartedProcess();

    /// Reads both pipes until the child exits. Past `limit` the child is killed (SIGKILL) and
    /// the result says so through term_signal; the caller decides whether that fails the test.
    ProcessResult finish(std::chrono::milliseconds limit);

private:
    std::vector<std::string> argv_;
    pid_t pid_ = -1;
    int out_fd_ = -1;
    int err_fd_ = -1;
    std::chrono::steady_clock::time_point started_;
};

}  // namespace diag::test::nic
