#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <sys/types.h>

namespace diag::test {

/// How a child process ended and what it printed.
struct ProcessResult {
    std::vector<std::string> argv;
    /// The exit status when the child exited; nullopt when a signal ended it.
    std::optional<int> exit_code;
    /// The signal that ended the child, 0 when it exited.
    int term_signal = 0;
    std::string out;
    std::string err;
    /// Wall time from spawn until the child was reaped.
    std::chrono::milliseconds elapsed{0};
};

/// How run_process starts a child.
struct ProcessOptions {
    /// The child and its process group are killed after this, and the test fails.
    std::chrono::milliseconds hard_timeout{60000};
    /// Variables set or replaced in the child's environment (the rest is inherited).
    std::vector<std::pair<std::string, std::string>> set_env;
    /// Variables removed from the child's environment.
    std::vector<std::string> unset_env;
    /// The child's stdin; /dev/null when empty.
    std::filesystem::path stdin_file;
    /// The child's working directory; the test's own when empty.
    std::filesystem::path working_directory;
};

/// Runs argv[0] (looked up in PATH when it has no slash) with posix_spawn, no shell, stdin
/// from options.stdin_file or /dev/null, and captures stdout and stderr. The child gets its own
/// process group. When it is still running after the hard timeout, the group is killed with
/// SIGKILL, reaped, and the test fails with what the child had printed.
ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options = {});

/// A long-running child (a server) whose stdout and stderr go to a log file. Its process group
/// is stopped (SIGTERM, then SIGKILL after a grace period) when the object goes, whatever
/// happened in the test.
class BackgroundProcess {
public:
    BackgroundProcess(const std::vector<std::string>& argv, const std::filesystem::path& log);
    ~BackgroundProcess();
    BackgroundProcess(const BackgroundProcess&) = delete;
    BackgroundProcess& operator=(const BackgroundProcess&) = delete;

    /// True while the child has not exited.
    [[nodiscard]] bool running();
    /// Stops the child now; safe to call twice.
    void stop();
    /// The child's process id (also its process group).
    [[nodiscard]] pid_t pid() const { return pid_; }

private:
    pid_t pid_ = -1;
};

/// A built executable of this project: binary_dir()/tools/NAME.
std::filesystem::path tool_path(std::string_view name);

/// A short account of a run for test failure messages: argv, exit, and both outputs (cut).
std::string describe(const ProcessResult& result);

/// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0 and released).
int free_loopback_port();

}  // namespace diag::test
