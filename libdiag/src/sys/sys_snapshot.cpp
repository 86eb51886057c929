#include "diag/sys/sys_snapshot.hpp"

#include "diag/core/deadline.hpp"
#include "diag/sys/text_fields.hpp"

#include <algorithm>
#include <cerrno>
#include <expected>
#include <functional>
#include <set>
#include <thread>

#include <fmt/format.h>

#include <sys/statvfs.h>
#include <sys/timex.h>

namespace diag::sys {

namespace {

// Filesystems with no storage of their own: their space and read-only state mean nothing.
const std::set<std::string, std::less<>> kPseudoFilesystems{
    "proc",     "sysfs",    "devpts",     "cgroup",      "cgroup2",  "securityfs",
    "debugfs",  "tracefs",  "pstore",     "bpf",         "mqueue",   "hugetlbfs",
    "configfs", "fusectl",  "autofs",     "binfmt_misc", "efivarfs", "rpc_pipefs",
    "nsfs",     "devtmpfs", "ramfs",      "selinuxfs",   "squashfs", "iso9660",
    "udf",      "overlay",  "fuse.lxcfs", "fuse.portal", "erofs",    "cramfs"};

// The Issue for a failed read: a file missing from a captured tree is an info-level gap.
Issue read_issue(const Root& root, const Error& error, IssueLevel missing_level,
                 std::string_view hint) {
    const bool missing = error.errno_value == ENOENT;
    Issue issue = to_issue(error, missing ? missing_level : IssueLevel::error);
    if (missing && !root.is_live()) {
        // A captured tree holds what its maker chose to copy; a gap there is not a fault.
        issue.level = IssueLevel::info;
        issue.hint = "not in the captured tree";
    } else if (issue.hint.empty()) {
        issue.hint = std::string(hint);
    }
    return issue;
}

template <class T, class Parse>
std::optional<T> read_parsed(const Root& root, std::string_view path, Parse parse,
                             Collected<SysSnapshot>& out, IssueLevel missing_level,
                             std::string_view hint = {}) {
    auto text = root.read_file(path);
    if (!text) {
        out.add_issue(read_issue(root, text.error(), missing_level, hint));
        return std::nullopt;
    }
    auto parsed = parse(*text);
    if (!parsed) {
        out.add_issue(
            Issue{IssueLevel::error, "parse", root.display(path), "unexpected format", ""});
    }
    return parsed;
}

SysSample read_sample(const Root& root, Collected<SysSnapshot>& out, bool report_issues) {
    SysSample sample;
    Collected<SysSnapshot> scratch;
    auto& sink = report_issues ? out : scratch;
    sample.cpu =
        read_parsed<CpuTimes>(root, "/proc/stat", parse_proc_stat, sink, IssueLevel::error);
    if (auto vm = read_parsed<KeyValues>(
            root, "/proc/vmstat", [](std::string_view t) { return std::optional(parse_vmstat(t)); },
            sink, IssueLevel::error)) {
        sample.vmstat = std::move(*vm);
    }
    for (const char* path : {"/proc/net/snmp", "/proc/net/netstat"}) {
        if (auto net = read_parsed<KeyValues>(
                root, path, [](std::string_view t) { return std::optional(parse_snmp(t)); }, sink,
                IssueLevel::error)) {
            sample.net.merge(*net);
        }
    }
    return sample;
}

std::optional<Pressure> read_pressure(const Root& root, std::string_view resource,
                                      Collected<SysSnapshot>& out) {
    return read_parsed<Pressure>(
        root, fmt::format("/proc/pressure/{}", resource),
        [](std::string_view text) {
            auto p = parse_pressure(text);
            return p.some ? std::optional(p) : std::nullopt;
        },
        out, IssueLevel::info, "the kernel has no pressure stall information (CONFIG_PSI, psi=1)");
}

std::optional<std::uint64_t> ext4_errors(const Root& root, const MountEntry& mount) {
    if (mount.fs_type != "ext4" && mount.fs_type != "ext3" && mount.fs_type != "ext2") {
        return std::nullopt;
    }
    auto link = root.read_link(fmt::format("/sys/dev/block/{}:{}", mount.major, mount.minor));
    if (!link) {
        return std::nullopt;
    }
    const std::string device = link->substr(link->find_last_of('/') + 1);
    auto text = root.read_file(fmt::format("/sys/fs/ext4/{}/errors_count", device), 64);
    if (!text) {
        return std::nullopt;
    }
    const auto lines = split_lines(*text);
    return lines.empty() ? std::nullopt : parse_uint(lines[0]);
}

void measure_space(const Root& root, std::vector<Filesystem>& filesystems,
                   Collected<SysSnapshot>& out) {
    std::vector<std::function<std::expected<FsUsage, int>()>> tasks;
    for (const auto& fs : filesystems) {
        tasks.emplace_back([path = fs.mount.mount_point]() -> std::expected<FsUsage, int> {
            struct statvfs info {};
            if (::statvfs(path.c_str(), &info) != 0) {
                return std::unexpected(errno);
            }
            const std::uint64_t unit = info.f_frsize != 0 ? info.f_frsize : info.f_bsize;
            return FsUsage{info.f_blocks * unit, info.f_bfree * unit, info.f_bavail * unit,
                           info.f_files, info.f_ffree};
        });
    }
    auto results = run_all_with_deadline(std::move(tasks), root.deadline());
    for (std::size_t i = 0; i < filesystems.size(); ++i) {
        const auto& result = results[i];
        const auto& mount_point = filesystems[i].mount.mount_point;
        if (!result.has_value()) {
            out.add_issue(Issue{IssueLevel::error, "statvfs", mount_point,
                                fmt::format("no answer within {} ms", root.deadline().count()),
                                "a network filesystem or a dying disk may be hung"});
        } else if (!result->has_value()) {
            out.add_issue(system_error("statvfs", mount_point, result->error()));
        } else {
            filesystems[i].usage = result->value();
        }
    }
}

std::vector<Filesystem> read_filesystems(const Root& root, Collected<SysSnapshot>& out) {
    auto text = root.read_file("/proc/self/mountinfo");
    if (!text) {
        out.add_issue(read_issue(root, text.error(), IssueLevel::error, {}));
        return {};
    }
    const auto table = parse_mountinfo(*text);
    if (table.skipped > 0) {
        out.add_issue(Issue{IssueLevel::error, "parse", root.display("/proc/self/mountinfo"),
                            fmt::format("{} lines not understood", table.skipped), ""});
    }
    std::vector<FstabEntry> fstab;
    if (auto fstab_text = root.read_file("/etc/fstab")) {
        fstab = parse_fstab(*fstab_text);
    } else {
        // Without fstab a read-only mount cannot be told from one that was remounted after
        // errors; some boxes (containers) have none, so this is info, not an error.
        Issue issue = to_issue(fstab_text.error(), IssueLevel::info);
        if (issue.hint.empty()) {
            issue.hint = "read-only mounts are not compared with the configured options";
        }
        out.add_issue(std::move(issue));
    }
    // A later mount on the same point hides the earlier one; keep the last.
    std::vector<Filesystem> filesystems;
    for (const auto& mount : table.mounts) {
        if (kPseudoFilesystems.contains(mount.fs_type)) {
            continue;
        }
        std::erase_if(filesystems, [&](const Filesystem& fs) {
            return fs.mount.mount_point == mount.mount_point;
        });
        Filesystem fs{mount, std::nullopt, ext4_errors(root, mount), std::nullopt};
        for (const auto& entry : fstab) {
            if (entry.mount_point == mount.mount_point) {
                fs.fstab_options = entry.options;
            }
        }
        filesystems.push_back(std::move(fs));
    }
    return filesystems;
}

std::optional<ClockState> read_clock() {
    timex tx{};
    const int state = ::adjtimex(&tx);
    if (state < 0) {
        return std::nullopt;
    }
    // STA_UNSYNC is set while no time daemon disciplines the clock; TIME_ERROR says the same.
    const bool unsynchronised = state == TIME_ERROR || (tx.status & STA_UNSYNC) != 0;
    const std::int64_t offset = (tx.status & STA_NANO) != 0 ? tx.offset / 1000 : tx.offset;
    return ClockState{!unsynchronised, tx.maxerror, offset};
}

}  // namespace

Collected<SysSnapshot> probe_sys(const Root& root, const SysProbeOptions& options) {
    Collected<SysSnapshot> out;
    auto& snap = out.data;
    const auto sample_start = std::chrono::steady_clock::now();
    snap.first = read_sample(root, out, true);

    snap.meminfo = read_parsed<KeyValues>(
        root, "/proc/meminfo",
        [](std::string_view t) {
            auto v = parse_meminfo(t);
            return v.contains("MemTotal") ? std::optional(v) : std::nullopt;
        },
        out, IssueLevel::error);
    snap.cpu_pressure = read_pressure(root, "cpu", out);
    snap.memory_pressure = read_pressure(root, "memory", out);
    snap.io_pressure = read_pressure(root, "io", out);
    snap.load =
        read_parsed<LoadAverage>(root, "/proc/loadavg", parse_loadavg, out, IssueLevel::error);
    snap.uptime_seconds =
        read_parsed<double>(root, "/proc/uptime", parse_uptime_seconds, out, IssueLevel::error);
    snap.taint_mask = read_parsed<std::uint64_t>(
        root, "/proc/sys/kernel/tainted",
        [](std::string_view t) {
            auto lines = split_lines(t);
            return lines.empty() ? std::nullopt : parse_uint(lines[0]);
        },
        out, IssueLevel::error);
    snap.filesystems = read_filesystems(root, out);

    if (!root.is_live()) {
        out.add_issue(Issue{IssueLevel::info, "measure", "filesystem space, clock and rates",
                            "only possible on the live machine", "run without --root"});
        return out;
    }
    measure_space(root, snap.filesystems, out);
    snap.clock = read_clock();
    if (options.sample_seconds > 0) {
        const auto wake = sample_start + std::chrono::duration<double>(options.sample_seconds);
        std::this_thread::sleep_until(wake);
        snap.second = read_sample(root, out, false);
        snap.sample_seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - sample_start).count();
    }
    return out;
}

}  // namespace diag::sys
