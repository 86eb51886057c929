#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <sys/types.h>

namespace diag::test {

/// What a finished process left: its exit status (128 + signal when killed) and its output.
struct ProcessResult {
    int exit_status = -1;
    std::string out;
    std::string err;
    /// True when it was killed for running past its time.
    bool timed_out = false;
};

/// A child process started from an argv (posix_spawnp, no shell), its stdout and stderr on
/// pipes. The destructor kills and reaps a child that was never waited for.
class SpawnedProcess {
public:
    /// Starts argv[0] found on PATH; fails the test when it cannot be started.
    explicit SpawnedProcess(const std::vector<std::string>& argv);
    SpawnedProcess(const SpawnedProcess&) = delete;
    SpawnedProcess& operator=(const SpawnedProcess&) = delete;
    ~SpawnedProcess();

    /// Reads both pipes until the child exits, killing it (SIGKILL) after `limit`.
    ProcessResult finish(std::chrono::milliseconds limit);

private:
    pid_t pid_ = -1;
    int out_fd_ = -1;
    int err_fd_ = -1;
};

/// Runs argv to the end: start, then finish within `limit`.
ProcessResult run_process(const std::vector<std::string>& argv,
                          std::chrono::milliseconds limit = std::chrono::seconds(30));

}  // namespace diag::test
