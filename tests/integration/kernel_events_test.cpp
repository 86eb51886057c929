// Real kernel trouble made by the test, as root, then found by diag-logs in this box's kernel log
// (/dev/kmsg or the journal): an OOM kill inside a memory cgroup the test creates, and I/O errors
// from a loop device whose backing file lives on a FUSE filesystem that fails reads (eio_fs).
// Each test tears down what it made (cgroup, loop device, mount, FUSE process), also on failure,
// and skips with the reason when the kernel lacks the facility.

#include "eio_mount.hpp"
#include "run_tool.hpp"
#include "support/process.hpp"
#include "support/shared_data.hpp"
#include "support/temp_dir.hpp"

#include <array>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <linux/loop.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using SystemTime = std::chrono::system_clock::time_point;

using diag::test::EioMount;

namespace {

bool write_text(const fs::path& path, const std::string& text) {
    std::ofstream out(path);
    out << text;
    out.flush();
    return static_cast<bool>(out);
}

std::string read_text(const fs::path& path) {
    std::ifstream in(path);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return text;
}

// A finding's "time" as written by the JSON renderer: 2026-12-03T17:21:35.844Z.
std::optional<SystemTime> parse_finding_time(const std::string& text) {
    std::tm parts{};
    int millis = 0;
    if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ", &parts.tm_year, &parts.tm_mon,
                    &parts.tm_mday, &parts.tm_hour, &parts.tm_min, &parts.tm_sec, &millis) != 7) {
        return std::nullopt;
    }
    parts.tm_year -= 1900;
    parts.tm_mon -= 1;
    return std::chrono::system_clock::from_time_t(::timegm(&parts)) +
           std::chrono::milliseconds(millis);
}

// An ISO 8601 UTC time for --since, whole seconds.
std::string iso_utc(SystemTime time) {
    const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
    std::tm parts{};
    ::gmtime_r(&seconds, &parts);
    std::array<char, 32> text{};
    const auto length = std::strftime(text.data(), text.size(), "%Y-%m-%dT%H:%M:%SZ", &parts);
    return {text.data(), length};
}

// diag-logs on this box's logs (journal, /dev/kmsg, /var/log) from two seconds before the
// test made its event (kmsg times may be a second early), events only, as JSON; the findings of
// `check` for which `wanted` holds.
template <typename Wanted>
std::vector<nlohmann::json> find_events(SystemTime since, const std::string& check, Wanted wanted) {
    const auto run = diag::test::run_tool(
        "diag-logs", {"--since", iso_utc(since - 2s), "--classified", "--json", "--color=never"});
    const auto report = diag::test::json_of(run);
    std::vector<nlohmann::json> found;
    for (const auto& finding : report.at("findings")) {
        if (finding.at("check") == check && wanted(finding)) {
            found.push_back(finding);
        }
    }
    INFO("findings: " << report.at("findings").dump(1));
    return found;
}

// The event is dated within a few seconds of when the test made it: kmsg stamps are mapped to
// wall time through btime, which has whole seconds.
void check_time(const nlohmann::json& finding, SystemTime before, SystemTime after) {
    INFO("finding: " << finding.dump(1));
    REQUIRE(finding.contains("time"));
    const auto when = parse_finding_time(finding.at("time").get<std::string>());
    REQUIRE(when.has_value());
    CHECK(*when > before - 3s);
    CHECK(*when < after + 3s);
}

// ---------------------------------------------------------------- memory cgroup

// A memory cgroup made for one test with a hard limit: cgroup v1's memory controller when it is
// mounted (memory.limit_in_bytes, memory-cgroup-v1.rst), else v2's (memory.max,
// cgroup-v2.rst). Its processes are killed and the directory removed when the object goes.
class MemoryCgroup {
public:
    explicit MemoryCgroup(std::uint64_t limit_bytes) {
        const std::string name = "diag-test-oom-" + std::to_string(::getpid());
        const fs::path v1 = "/sys/fs/cgroup/memory";
        if (fs::exists(v1 / "memory.limit_in_bytes")) {
            make(v1 / name);
            // memsw is there only with swap accounting; it must not be below the limit.
            ready_ = write_text(path_ / "memory.limit_in_bytes", std::to_string(limit_bytes));
            if (fs::exists(path_ / "memory.memsw.limit_in_bytes")) {
                ready_ = ready_ && write_text(path_ / "memory.memsw.limit_in_bytes",
                                              std::to_string(limit_bytes));
            }
            why_ = "cannot set memory.limit_in_bytes in " + path_.string();
            return;
        }
        for (const fs::path v2 : {"/sys/fs/cgroup", "/sys/fs/cgroup/unified"}) {
            if (read_text(v2 / "cgroup.controllers").find("memory") == std::string::npos) {
                continue;
            }
            if (read_text(v2 / "cgroup.subtree_control").find("memory") == std::string::npos) {
                static_cast<void>(write_text(v2 / "cgroup.subtree_control", "+memory"));
            }
            make(v2 / name);
            ready_ = write_text(path_ / "memory.max", std::to_string(limit_bytes));
            if (fs::exists(path_ / "memory.swap.max")) {
                ready_ = ready_ && write_text(path_ / "memory.swap.max", "0");
            }
            why_ = "cannot set memory.max in " + path_.string();
            return;
        }
        why_ = "no memory cgroup controller (neither v1 nor v2) is mounted under /sys/fs/cgroup";
    }

    ~MemoryCgroup() {
        if (path_.empty()) {
            return;
        }
        // A process left inside keeps the directory busy: kill them, then retry the removal
        // while they exit.
        for (int attempt = 0; attempt < 50; ++attempt) {
            std::ifstream procs(path_ / "cgroup.procs");
            pid_t pid = 0;
            while (procs >> pid) {
                ::kill(pid, SIGKILL);
            }
            if (::rmdir(path_.c_str()) == 0 || errno == ENOENT) {
                return;
            }
            std::this_thread::sleep_for(100ms);
        }
        std::fprintf(stderr, "kernel test: could not remove %s: %s\n", path_.c_str(),
                     std::strerror(errno));
    }

    MemoryCgroup(const MemoryCgroup&) = delete;
    MemoryCgroup& operator=(const MemoryCgroup&) = delete;

    [[nodiscard]] bool ready() const { return ready_; }
    [[nodiscard]] const std::string& why_not() const { return why_; }
    [[nodiscard]] fs::path procs() const { return path_ / "cgroup.procs"; }

private:
    void make(const fs::path& path) {
        if (::mkdir(path.c_str(), 0755) == 0) {
            path_ = path;
        }
    }

    fs::path path_;
    bool ready_ = false;
    std::string why_;
};

// The child: joins the cgroup, then touches memory a page at a time until the OOM killer ends
// it. Only async-signal-safe calls after fork (open, write, mmap, prctl, _exit).
[[noreturn]] void allocate_in_cgroup(const char* procs_path, std::size_t total_bytes) {
    static_cast<void>(::prctl(PR_SET_NAME, "diag-oom-test"));
    const int fd = ::open(procs_path, O_WRONLY | O_CLOEXEC);
    if (fd < 0 || ::write(fd, "0", 1) != 1) {
        ::_exit(3);
    }
    ::close(fd);
    void* memory =
        ::mmap(nullptr, total_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED) {
        ::_exit(4);
    }
    auto* bytes = static_cast<volatile char*>(memory);
    for (std::size_t at = 0; at < total_bytes; at += 4096) {
        bytes[at] = 1;
    }
    ::_exit(0);
}

// ---------------------------------------------------------------- FUSE and loop

// A read-only loop device on a file, set up with the loop ioctls (loop(4)): LOOP_CTL_GET_FREE,
// then LOOP_CONFIGURE (Linux 5.8) or LOOP_SET_FD and LOOP_SET_STATUS64 before it. Detached with
// LOOP_CLR_FD when the object goes.
class LoopDevice {
public:
    explicit LoopDevice(const fs::path& backing) {
        const int control = ::open("/dev/loop-control", O_RDWR | O_CLOEXEC);
        if (control < 0) {
            why_ = std::string("open /dev/loop-control: ") + std::strerror(errno);
            return;
        }
        const int file = ::open(backing.c_str(), O_RDONLY | O_CLOEXEC);
        if (file < 0) {
            why_ = "open " + backing.string() + ": " + std::strerror(errno);
            ::close(control);
            return;
        }
        // Another process may take the free device between the two calls: try again.
        for (int attempt = 0; attempt < 10 && fd_ < 0; ++attempt) {
            const int number = ::ioctl(control, LOOP_CTL_GET_FREE);
            if (number < 0) {
                why_ = std::string("LOOP_CTL_GET_FREE: ") + std::strerror(errno);
                break;
            }
            attach(number, file);
        }
        ::close(file);
        ::close(control);
    }

    ~LoopDevice() {
        if (fd_ >= 0) {
            ::ioctl(fd_, LOOP_CLR_FD, 0);
            ::close(fd_);
        }
    }

    LoopDevice(const LoopDevice&) = delete;
    LoopDevice& operator=(const LoopDevice&) = delete;

    [[nodiscard]] bool attached() const { return fd_ >= 0; }
    [[nodiscard]] const std::string& why_not() const { return why_; }
    /// "loop3".
    [[nodiscard]] const std::string& name() const { return name_; }

private:
    void attach(int number, int file) {
        const std::string name = "loop" + std::to_string(number);
        const int fd = ::open(("/dev/" + name).c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            why_ = "open /dev/" + name + ": " + std::strerror(errno);
            return;
        }
        loop_config config{};
        config.fd = static_cast<std::uint32_t>(file);
        config.info.lo_flags = LO_FLAGS_READ_ONLY;
        int done = ::ioctl(fd, LOOP_CONFIGURE, &config);
        if (done != 0 && errno == EINVAL) {
            done = ::ioctl(fd, LOOP_SET_FD, file);
            if (done == 0) {
                loop_info64 info{};
                info.lo_flags = LO_FLAGS_READ_ONLY;
                static_cast<void>(::ioctl(fd, LOOP_SET_STATUS64, &info));
            }
        }
        if (done != 0) {
            why_ = "attach /dev/" + name + ": " + std::strerror(errno);
            ::close(fd);
            return;
        }
        fd_ = fd;
        name_ = name;
    }

    int fd_ = -1;
    std::string name_;
    std::string why_;
};

// One O_DIRECT read of a block at offset, so it reaches the loop device (and eio_fs) rather than
// the page cache; the errno of the failed read, 0 when it succeeded.
int read_block_direct(const std::string& device, std::uint64_t offset_bytes) {
    const int fd = ::open(device.c_str(), O_RDONLY | O_DIRECT | O_CLOEXEC);
    if (fd < 0) {
        return errno;
    }
    constexpr std::size_t kBlockBytes = 4096;
    void* buffer = std::aligned_alloc(kBlockBytes, kBlockBytes);
    const ssize_t got = ::pread(fd, buffer, kBlockBytes, static_cast<off_t>(offset_bytes));
    const int error = got < 0 ? errno : 0;
    std::free(buffer);
    ::close(fd);
    return error;
}

}  // namespace

TEST_CASE("kernel: an OOM kill made in a memory cgroup is found as mem.cgroup_oom at its time",
          "[root]") {
    if (::geteuid() != 0) {
        diag::test::skip("needs root to create a memory cgroup");
    }
    if (::access("/dev/kmsg", R_OK) != 0) {
        diag::test::skip("cannot read /dev/kmsg: no kernel log to find the OOM kill in");
    }
    constexpr std::uint64_t kLimitBytes = 32ULL << 20U;
    MemoryCgroup cgroup(kLimitBytes);
    if (!cgroup.ready()) {
        diag::test::skip(cgroup.why_not());
    }
    const auto before = std::chrono::system_clock::now();
    const std::string procs = cgroup.procs().string();
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        allocate_in_cgroup(procs.c_str(), 8 * kLimitBytes);
    }
    int status = 0;
    const auto give_up = std::chrono::steady_clock::now() + 20s;
    while (::waitpid(pid, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > give_up) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            FAIL("the child was not OOM-killed within 20 s at a 32 MiB limit");
        }
        std::this_thread::sleep_for(20ms);
    }
    const auto after = std::chrono::system_clock::now();
    REQUIRE(WIFSIGNALED(status));
    REQUIRE(WTERMSIG(status) == SIGKILL);

    const auto found = find_events(before, "logs.mem.cgroup_oom", [&](const nlohmann::json& f) {
        return f.at("evidence").value("pid", "") == std::to_string(pid);
    });
    REQUIRE_FALSE(found.empty());
    const auto* finding = &found.back();
    CHECK(finding->at("severity") == "critical");
    CHECK(finding->at("subject") == "diag-oom-test");
    CHECK(finding->at("evidence").at("process") == "diag-oom-test");
    check_time(*finding, before, after);
}

TEST_CASE(
    "kernel: a read error of a loop device on a failing FUSE file is found as disk.io_error "
    "with the device as subject",
    "[root]") {
    if (::geteuid() != 0) {
        diag::test::skip("needs root to mount FUSE and set up a loop device");
    }
    if (::access("/dev/fuse", R_OK | W_OK) != 0) {
        diag::test::skip("no usable /dev/fuse: this kernel or container has no FUSE");
    }
    if (::access("/dev/loop-control", R_OK | W_OK) != 0) {
        diag::test::skip(
            "no usable /dev/loop-control: this kernel or container has no loop "
            "devices");
    }
    if (::access("/dev/kmsg", R_OK) != 0) {
        diag::test::skip("cannot read /dev/kmsg: no kernel log to find the I/O error in");
    }
    if (!fs::exists(diag::test::binary_dir() / "tests/fuse/eio_fs")) {
        diag::test::skip("eio_fs was not built (libfuse3-dev missing at configure time)");
    }
    constexpr std::uint64_t kSizeBytes = 1ULL << 20U;
    constexpr std::uint64_t kBadOffsetBytes = 512ULL << 10U;
    constexpr std::uint64_t kSectorBytes = 512;

    diag::test::TempDir dir;
    dir.make_dir("mnt");
    EioMount mount(dir.at("mnt"), dir.at("eio_fs.log"), kSizeBytes, kBadOffsetBytes, 4096);
    if (!mount.mounted()) {
        diag::test::skip("eio_fs could not mount FUSE here: " + read_text(dir.at("eio_fs.log")));
    }
    LoopDevice loop(mount.file());
    if (!loop.attached()) {
        diag::test::skip("no loop device: " + loop.why_not());
    }
    const std::string device = "/dev/" + loop.name();
    const auto before = std::chrono::system_clock::now();
    CHECK(read_block_direct(device, 0) == 0);
    CHECK(read_block_direct(device, kBadOffsetBytes) == EIO);
    const auto after = std::chrono::system_clock::now();

    const std::string sector = std::to_string(kBadOffsetBytes / kSectorBytes);
    // Loop devices are reused: an error of an earlier run on the same device and sector may be
    // in the window too; findings come in time order, so ours is the last.
    const auto found = find_events(before, "logs.disk.io_error", [&](const nlohmann::json& f) {
        return f.at("subject") == loop.name() && f.at("evidence").value("sector", "") == sector;
    });
    REQUIRE_FALSE(found.empty());
    const auto* finding = &found.back();
    CHECK(finding->at("severity") == "critical");
    CHECK(finding->at("evidence").at("device") == loop.name());
    CHECK(finding->at("evidence").at("operation") == "READ");
    check_time(*finding, before, after);
}

TEST_CASE(
    "kernel: a rasdaemon database whose reads never return costs diag-mem an issue, not a hang",
    "[root]") {
    // The database sits on eio_fs in --hang mode, mounted where rasdaemon keeps it under a
    // captured root: SQLite's first read of it blocks in the kernel like a read of a dying disk.
    if (::geteuid() != 0) {
        diag::test::skip("needs root to mount FUSE");
    }
    if (::access("/dev/fuse", R_OK | W_OK) != 0) {
        diag::test::skip("no usable /dev/fuse: this kernel or container has no FUSE");
    }
    if (!fs::exists(diag::test::binary_dir() / "tests/fuse/eio_fs")) {
        diag::test::skip("eio_fs was not built (libfuse3-dev missing at configure time)");
    }
    diag::test::TempDir dir;
    dir.make_dir("root/var/lib/rasdaemon");
    EioMount mount(dir.at("root/var/lib/rasdaemon"), dir.at("eio_fs.log"), 1ULL << 20U, 0,
                   1ULL << 20U, {"--hang", "--name", "ras-mc_event.db"}, "ras-mc_event.db");
    if (!mount.mounted()) {
        diag::test::skip("eio_fs could not mount FUSE here: " + read_text(dir.at("eio_fs.log")));
    }
    const auto started = std::chrono::steady_clock::now();
    const auto run = diag::test::run_tool("diag-mem", {"--json", "--timeout", "1", "--state-dir",
                                                       "", "--root", dir.at("root").string()});
    const auto took = std::chrono::steady_clock::now() - started;
    // The deadline is 1 s a probe; run_tool's own limit is far above it.
    CHECK(took < 10s);
    REQUIRE(run.exit_code.has_value());
    const auto output = diag::test::json_of(run);
    bool reported = false;
    for (const auto& issue : output.at("issues")) {
        const auto message = issue.at("message").get<std::string>();
        if (message.find("ras-mc_event.db") != std::string::npos &&
            message.find("no answer within 1000 ms") != std::string::npos) {
            reported = true;
        }
    }
    CHECK(reported);
}
