#include "support/process.hpp"

#include "support/shared_data.hpp"

#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <sstream>
#include <thread>

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace diag::test {

namespace {

using Clock = std::chrono::steady_clock;

// Owns the arrays posix_spawn wants: argv and envp as NUL-terminated C strings.
struct SpawnArgs {
    std::vector<std::string> env_strings;
    std::vector<char*> argv;
    std::vector<char*> envp;

    SpawnArgs(const std::vector<std::string>& args, const ProcessOptions& options) {
        for (char** entry = environ; *entry != nullptr; ++entry) {
            const std::string_view text(*entry);
            const auto name = text.substr(0, text.find('='));
            bool replaced = false;
            for (const auto& removed : options.unset_env) {
                replaced = replaced || removed == name;
            }
            for (const auto& [key, value] : options.set_env) {
                replaced = replaced || key == name;
            }
            if (!replaced) {
                env_strings.emplace_back(text);
            }
        }
        for (const auto& [key, value] : options.set_env) {
            env_strings.push_back(key + "=" + value);
        }
        for (const auto& arg : args) {
            argv.push_back(const_cast<char*>(arg.c_str()));
        }
        argv.push_back(nullptr);
        for (auto& entry : env_strings) {
            envp.push_back(entry.data());
        }
        envp.push_back(nullptr);
    }
};

// posix_spawn attributes that put the child in a process group of its own, so a timeout can
// kill everything it started.
struct SpawnAttributes {
    posix_spawnattr_t attr{};
    posix_spawn_file_actions_t actions{};

    SpawnAttributes() {
        posix_spawnattr_init(&attr);
        posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
        posix_spawnattr_setpgroup(&attr, 0);
        posix_spawn_file_actions_init(&actions);
    }
    ~SpawnAttributes() {
        posix_spawn_file_actions_destroy(&actions);
        posix_spawnattr_destroy(&attr);
    }
    SpawnAttributes(const SpawnAttributes&) = delete;
    SpawnAttributes& operator=(const SpawnAttributes&) = delete;
};

pid_t spawn(const std::vector<std::string>& argv, SpawnAttributes& spawn_attributes,
            const ProcessOptions& options) {
    REQUIRE(!argv.empty());
    SpawnArgs args(argv, options);
    pid_t pid = -1;
    const int rc = ::posix_spawnp(&pid, args.argv[0], &spawn_attributes.actions,
                                  &spawn_attributes.attr, args.argv.data(), args.envp.data());
    if (rc != 0) {
        FAIL("posix_spawn " << argv[0] << ": " << std::strerror(rc));
    }
    return pid;
}

std::string shorten(const std::string& text) {
    constexpr std::size_t kMax = 4000;
    if (text.size() <= kMax) {
        return text;
    }
    return text.substr(0, kMax) + "\n[... " + std::to_string(text.size() - kMax) + " bytes more]";
}

// Reaps pid, waiting at most until `deadline`; true when it was reaped.
bool reap(pid_t pid, Clock::time_point deadline, int& status) {
    while (true) {
        const pid_t done = ::waitpid(pid, &status, WNOHANG);
        if (done == pid) {
            return true;
        }
        if (done < 0 && errno != EINTR) {
            return false;
        }
        if (Clock::now() >= deadline) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

}  // namespace

ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options) {
    std::array<int, 2> out_pipe{-1, -1};
    std::array<int, 2> err_pipe{-1, -1};
    REQUIRE(::pipe2(out_pipe.data(), O_CLOEXEC) == 0);
    REQUIRE(::pipe2(err_pipe.data(), O_CLOEXEC) == 0);

    SpawnAttributes attributes;
    const std::string input =
        options.stdin_file.empty() ? std::string("/dev/null") : options.stdin_file.string();
    posix_spawn_file_actions_addopen(&attributes.actions, STDIN_FILENO, input.c_str(), O_RDONLY, 0);
    if (!options.working_directory.empty()) {
        posix_spawn_file_actions_addchdir_np(&attributes.actions,
                                             options.working_directory.c_str());
    }
    posix_spawn_file_actions_adddup2(&attributes.actions, out_pipe[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&attributes.actions, err_pipe[1], STDERR_FILENO);

    ProcessResult result;
    result.argv = argv;
    const auto started = Clock::now();
    const auto deadline = started + options.hard_timeout;
    const pid_t pid = spawn(argv, attributes, options);
    ::close(out_pipe[1]);
    ::close(err_pipe[1]);

    std::array<pollfd, 2> fds{{{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}}};
    std::array<std::string*, 2> sinks{&result.out, &result.err};
    bool timed_out = false;
    while (fds[0].fd >= 0 || fds[1].fd >= 0) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) {
            timed_out = true;
            break;
        }
        const int ready = ::poll(fds.data(), fds.size(), static_cast<int>(left.count()));
        if (ready < 0 && errno == EINTR) {
            continue;
        }
        REQUIRE(ready >= 0);
        for (std::size_t i = 0; i < fds.size(); ++i) {
            if (fds[i].fd < 0 || fds[i].revents == 0) {
                continue;
            }
            std::array<char, 8192> buffer{};
            const ssize_t got = ::read(fds[i].fd, buffer.data(), buffer.size());
            if (got > 0) {
                sinks[i]->append(buffer.data(), static_cast<std::size_t>(got));
            } else if (got == 0 || errno != EINTR) {
                ::close(fds[i].fd);
                fds[i].fd = -1;
            }
        }
    }
    int status = 0;
    if (!timed_out && !reap(pid, deadline, status)) {
        timed_out = true;
    }
    if (timed_out) {
        ::kill(-pid, SIGKILL);
        reap(pid, Clock::now() + std::chrono::seconds(10), status);
    }
    for (auto& fd : fds) {
        if (fd.fd >= 0) {
            ::close(fd.fd);
        }
    }
    result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
    if (WIFEXITED(status)) {
        result.exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        result.term_signal = WTERMSIG(status);
    }
    if (timed_out) {
        FAIL("killed after the hard timeout of " << options.hard_timeout.count()
                                                 << " ms: " << describe(result));
    }
    return result;
}

BackgroundProcess::BackgroundProcess(const std::vector<std::string>& argv,
                                     const std::filesystem::path& log) {
    SpawnAttributes attributes;
    posix_spawn_file_actions_addopen(&attributes.actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&attributes.actions, STDOUT_FILENO, log.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&attributes.actions, STDOUT_FILENO, STDERR_FILENO);
    pid_ = spawn(argv, attributes, {});
}

BackgroundProcess::~BackgroundProcess() {
    stop();
}

bool BackgroundProcess::running() {
    if (pid_ < 0) {
        return false;
    }
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return false;
    }
    return true;
}

void BackgroundProcess::stop() {
    if (pid_ < 0) {
        return;
    }
    int status = 0;
    ::kill(-pid_, SIGTERM);
    if (!reap(pid_, Clock::now() + std::chrono::seconds(5), status)) {
        ::kill(-pid_, SIGKILL);
        reap(pid_, Clock::now() + std::chrono::seconds(10), status);
    }
    pid_ = -1;
}

std::filesystem::path tool_path(std::string_view name) {
    return binary_dir() / "tools" / std::string(name);
}

std::string describe(const ProcessResult& result) {
    std::ostringstream text;
    text << "argv:";
    for (const auto& arg : result.argv) {
        text << " '" << arg << "'";
    }
    if (result.exit_code) {
        text << "\nexit status " << *result.exit_code;
    } else {
        text << "\nkilled by signal " << result.term_signal;
    }
    text << " after " << result.elapsed.count() << " ms\n--- stdout\n"
         << shorten(result.out) << "\n--- stderr\n"
         << shorten(result.err);
    return text.str();
}

int free_loopback_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(fd >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof address;
    const bool bound = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                       ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
    ::close(fd);
    REQUIRE(bound);
    return ntohs(address.sin_port);
}

}  // namespace diag::test
