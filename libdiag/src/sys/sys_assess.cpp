#include "diag/sys/sys_assess.hpp"

#include "diag/core/units.hpp"
#include "diag/sys/taint.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace diag::sys {

namespace {

// Thresholds; diag-sys(1) gives the reason for each.
constexpr double kMemAvailableWarnPct = 10.0;
constexpr double kMemAvailableCritPct = 5.0;
constexpr double kSwapInWarnPagesPerSec = 100.0;
constexpr double kMemoryFullWarnPct = 10.0;
constexpr double kMemoryFullCritPct = 60.0;  // systemd-oomd's default memory pressure limit
constexpr double kIoFullWarnPct = 20.0;
constexpr double kIoFullCritPct = 50.0;
constexpr double kCpuSomeWarnPct = 50.0;
constexpr double kCpuSomeCritPct = 90.0;
constexpr double kLoadWarnPerCpu = 2.0;
constexpr double kLoadCritPerCpu = 4.0;
constexpr double kIowaitWarnPct = 30.0;
constexpr double kIowaitCritPct = 60.0;
constexpr double kStealWarnPct = 10.0;
constexpr double kStealCritPct = 30.0;
constexpr double kFsWarnPct = 90.0;
constexpr double kFsCritPct = 95.0;
constexpr double kRetransWarnPct = 2.0;
constexpr double kRetransCritPct = 10.0;
constexpr std::int64_t kRetransMinSegments = 1000;
constexpr double kRecentBootSeconds = 600.0;

constexpr const char* kPsiMemorySource =
    "Documentation/accounting/psi.rst; \"full\" over 60 s, warning at 10%, critical at 60% "
    "(systemd-oomd's default memory pressure limit)";
constexpr const char* kPsiIoSource =
    "Documentation/accounting/psi.rst; \"full\" over 60 s, warning at 20%, critical at 50%";
constexpr const char* kPsiCpuSource =
    "Documentation/accounting/psi.rst; \"some\" over 60 s, warning at 50%, critical at 90%";

Severity grade_above(double value, double warn, double crit) {
    if (value >= crit) {
        return Severity::critical;
    }
    return value >= warn ? Severity::warning : Severity::ok;
}

struct Assessor {
    const SysSnapshot& snap;
    Report report;

    void add(Finding finding) {
        report.findings.push_back(std::move(finding));
        ++report.assessed_count;
    }
    void gauge(std::string name, std::string help, double value, std::vector<Label> labels = {}) {
        report.metrics.push_back(
            {std::move(name), std::move(help), MetricType::gauge, std::move(labels), value});
    }
    void counter(std::string name, std::string help, double value, std::vector<Label> labels = {}) {
        report.metrics.push_back(
            {std::move(name), std::move(help), MetricType::counter, std::move(labels), value});
    }
    void perf(std::string label, double value, std::string uom, std::optional<double> min = 0.0,
              std::optional<double> max = std::nullopt) {
        report.perfdata.push_back(
            {std::move(label), value, std::move(uom), std::nullopt, std::nullopt, min, max});
    }

    [[nodiscard]] std::optional<double> rate(std::string_view vm_key) const {
        if (!snap.second || snap.sample_seconds <= 0) {
            return std::nullopt;
        }
        auto a = find(snap.first.vmstat, vm_key);
        auto b = find(snap.second->vmstat, vm_key);
        if (!a || !b || *b < *a) {
            return std::nullopt;
        }
        return static_cast<double>(*b - *a) / snap.sample_seconds;
    }

    void memory();
    void swap_and_poison();
    void pressure(std::string_view resource, const std::optional<Pressure>& pressure);
    void load();
    void cpu();
    void taint();
    void filesystems();
    void filesystem_space(const Filesystem& fs);
    void filesystem_read_only(const Filesystem& fs);
    void tcp();
    void clock();
    void uptime();
    void oom_kills();
};

void Assessor::memory() {
    if (!snap.meminfo) {
        return;
    }
    const auto& mem = *snap.meminfo;
    auto total = find(mem, "MemTotal");
    auto available = find(mem, "MemAvailable");
    const bool estimated = !available.has_value();
    if (estimated) {
        // Kernels before 3.14 have no MemAvailable; procps' free(1) estimated it this way.
        auto free = find(mem, "MemFree");
        auto buffers = find(mem, "Buffers");
        auto cached = find(mem, "Cached");
        if (free && buffers && cached) {
            available = *free + *buffers + *cached + find(mem, "SReclaimable").value_or(0);
        }
    }
    if (total && available && *total > 0) {
        const double pct = 100.0 * static_cast<double>(*available) / static_cast<double>(*total);
        Severity severity = Severity::ok;
        if (pct < kMemAvailableCritPct) {
            severity = Severity::critical;
        } else if (pct < kMemAvailableWarnPct) {
            severity = Severity::warning;
        }
        Finding finding{
            severity,
            "sys.memory.available",
            "memory",
            fmt::format("{} of {} available ({:.0f}%)",
                        format_bytes(static_cast<std::uint64_t>(*available)),
                        format_bytes(static_cast<std::uint64_t>(*total)), pct),
            {{"available_bytes", *available}, {"total_bytes", *total}, {"available_pct", pct}},
            std::nullopt,
            "MemAvailable, Documentation/filesystems/proc.rst; warning below 10%, "
            "critical below 5%"};
        if (estimated) {
            finding.evidence.push_back({"available_estimated", true});
            finding.summary += " (estimated: this kernel has no MemAvailable)";
        }
        if (auto swap_in = rate("pswpin")) {
            finding.evidence.push_back({"swap_in_pages_per_s", *swap_in});
            if (*swap_in >= kSwapInWarnPagesPerSec && severity < Severity::warning) {
                finding.severity = Severity::warning;
                finding.summary += fmt::format(", swapping in {:.0f} pages/s", *swap_in);
            }
        }
        if (auto major = rate("pgmajfault")) {
            finding.evidence.push_back({"major_faults_per_s", *major});
        }
        add(std::move(finding));
        gauge("diag_sys_memory_total_bytes", "MemTotal from /proc/meminfo.",
              static_cast<double>(*total));
        gauge("diag_sys_memory_available_bytes", "MemAvailable from /proc/meminfo.",
              static_cast<double>(*available));
        perf("mem_available_pct", pct, "%", 0.0, 100.0);
    } else if (total && !available) {
        // Neither MemAvailable nor the fields to estimate it: say so instead of going quiet.
        report.issues.push_back(Issue{IssueLevel::info, "assess", "/proc/meminfo",
                                      "no MemAvailable line, nor MemFree, Buffers and Cached to "
                                      "estimate it, so available memory is not judged",
                                      ""});
    }
}

void Assessor::swap_and_poison() {
    if (!snap.meminfo) {
        return;
    }
    const auto& mem = *snap.meminfo;
    auto swap_total = find(mem, "SwapTotal");
    auto swap_free = find(mem, "SwapFree");
    if (swap_total && swap_free) {
        gauge("diag_sys_swap_used_bytes", "SwapTotal minus SwapFree.",
              static_cast<double>(*swap_total - *swap_free));
        gauge("diag_sys_swap_total_bytes", "SwapTotal from /proc/meminfo.",
              static_cast<double>(*swap_total));
    }
    if (auto corrupted = find(mem, "HardwareCorrupted")) {
        const bool bad = *corrupted > 0;
        add({bad ? Severity::critical : Severity::ok,
             "sys.memory.hardware_corrupted",
             "memory",
             bad ? fmt::format("{} of memory poisoned by hardware errors",
                               format_bytes(static_cast<std::uint64_t>(*corrupted)))
                 : "no memory poisoned by hardware errors",
             {{"hardware_corrupted_bytes", *corrupted}},
             std::nullopt,
             "HardwareCorrupted, Documentation/filesystems/proc.rst and "
             "Documentation/mm/hwpoison.rst: any poisoned page means failing memory"});
        gauge("diag_sys_memory_hardware_corrupted_bytes",
              "HardwareCorrupted from /proc/meminfo: memory taken out of use after errors.",
              static_cast<double>(*corrupted));
    }
}

void Assessor::oom_kills() {
    auto kills = find(snap.first.vmstat, "oom_kill");
    if (!kills) {
        return;
    }
    add({*kills > 0 ? Severity::warning : Severity::ok,
         "sys.memory.oom_kills",
         "memory",
         *kills > 0 ? fmt::format("{} processes killed by the OOM killer since boot", *kills)
                    : "no OOM kills since boot",
         {{"oom_kills_count", *kills}},
         std::nullopt,
         "oom_kill in /proc/vmstat (Linux 4.13+); any kill lost somebody's work"});
    counter("diag_sys_oom_kills_total", "Processes killed by the OOM killer since boot.",
            static_cast<double>(*kills));
}

void Assessor::pressure(std::string_view resource, const std::optional<Pressure>& pressure) {
    if (!pressure || !pressure->some) {
        return;
    }
    const bool cpu_kind = resource == "cpu";
    // System-wide "full" for cpu is undefined (always 0 or absent); judge cpu by "some".
    const auto& line = cpu_kind ? *pressure->some : pressure->full.value_or(*pressure->some);
    const char* kind = cpu_kind || !pressure->full ? "some" : "full";
    Severity severity = Severity::ok;
    const char* source = kPsiCpuSource;
    if (resource == "memory") {
        severity = grade_above(line.avg60_pct, kMemoryFullWarnPct, kMemoryFullCritPct);
        source = kPsiMemorySource;
    } else if (resource == "io") {
        severity = grade_above(line.avg60_pct, kIoFullWarnPct, kIoFullCritPct);
        source = kPsiIoSource;
    } else {
        severity = grade_above(line.avg60_pct, kCpuSomeWarnPct, kCpuSomeCritPct);
    }
    add({severity,
         fmt::format("sys.pressure.{}", resource),
         std::string(resource),
         fmt::format("tasks stalled on {} {:.1f}% of the last minute ({})", resource,
                     line.avg60_pct, kind),
         {{"avg10_pct", line.avg10_pct},
          {"avg60_pct", line.avg60_pct},
          {"avg300_pct", line.avg300_pct},
          {"stall_total_us", line.total_us}},
         std::nullopt,
         source});
    for (const auto& [name, value] :
         {std::pair{"some", pressure->some}, std::pair{"full", pressure->full}}) {
        if (value) {
            gauge("diag_sys_pressure_avg60_ratio",
                  "Share of the last 60 s that tasks stalled on the resource (PSI).",
                  value->avg60_pct / 100.0, {{"resource", std::string(resource)}, {"kind", name}});
        }
    }
    perf(fmt::format("psi_{}_{}_avg60", resource, kind), line.avg60_pct, "%", 0.0, 100.0);
}

void Assessor::load() {
    if (!snap.load) {
        return;
    }
    const auto& l = *snap.load;
    const unsigned cpus =
        snap.first.cpu && snap.first.cpu->cpu_count > 0 ? snap.first.cpu->cpu_count : 1U;
    const double per_cpu = l.load5 / cpus;
    add({grade_above(per_cpu, kLoadWarnPerCpu, kLoadCritPerCpu),
         "sys.load",
         "load",
         fmt::format("load {:.2f} {:.2f} {:.2f} on {} CPUs ({:.2f} per CPU over 5 min)", l.load1,
                     l.load5, l.load15, cpus, per_cpu),
         {{"load1", l.load1},
          {"load5", l.load5},
          {"load15", l.load15},
          {"cpus_count", static_cast<std::uint64_t>(cpus)},
          {"runnable_count", static_cast<std::uint64_t>(l.runnable)}},
         std::nullopt,
         "/proc/loadavg, proc(5); counts runnable and uninterruptible (D) tasks, warning at 2 "
         "and critical at 4 per CPU"});
    for (const auto& [name, value] :
         {std::pair{"1", l.load1}, std::pair{"5", l.load5}, std::pair{"15", l.load15}}) {
        gauge("diag_sys_load_average", "Load average from /proc/loadavg.", value,
              {{"minutes", name}});
        perf(fmt::format("load{}", name), value, "", 0.0);
    }
}

void Assessor::cpu() {
    if (!snap.second || !snap.first.cpu || !snap.second->cpu) {
        return;
    }
    auto shares = cpu_shares(*snap.first.cpu, *snap.second->cpu);
    if (!shares) {
        return;
    }
    const Severity iowait = grade_above(shares->iowait_pct, kIowaitWarnPct, kIowaitCritPct);
    const Severity steal = grade_above(shares->steal_pct, kStealWarnPct, kStealCritPct);
    add({std::max(iowait, steal),
         "sys.cpu",
         "cpu",
         fmt::format("{:.0f}% busy, {:.1f}% iowait, {:.1f}% steal over {:.1f} s", shares->busy_pct,
                     shares->iowait_pct, shares->steal_pct, snap.sample_seconds),
         {{"busy_pct", shares->busy_pct},
          {"iowait_pct", shares->iowait_pct},
          {"steal_pct", shares->steal_pct},
          {"sample_seconds", snap.sample_seconds}},
         std::nullopt,
         "/proc/stat, Documentation/filesystems/proc.rst 1.7; iowait warning 30%, critical "
         "60%; steal warning 10%, critical 30% (the hypervisor is withholding CPU)"});
    gauge("diag_sys_cpu_iowait_ratio", "Share of CPU time in iowait over the sample.",
          shares->iowait_pct / 100.0);
    gauge("diag_sys_cpu_steal_ratio", "Share of CPU time stolen by the hypervisor.",
          shares->steal_pct / 100.0);
    perf("iowait_pct", shares->iowait_pct, "%", 0.0, 100.0);
    perf("steal_pct", shares->steal_pct, "%", 0.0, 100.0);
}

void Assessor::taint() {
    if (!snap.taint_mask) {
        return;
    }
    const auto flags = decode_taint(*snap.taint_mask);
    Severity severity = Severity::ok;
    std::string letters;
    std::vector<std::string> meanings;
    for (const auto& flag : flags) {
        severity = std::max(severity, flag.severity);
        letters += flag.letter;
        meanings.push_back(fmt::format("{} ({})", flag.meaning, flag.letter));
    }
    Finding finding{severity,
                    "sys.kernel.taint",
                    "kernel",
                    flags.empty() ? "kernel not tainted"
                                  : fmt::format("kernel tainted: {}", fmt::join(meanings, ", ")),
                    {{"taint_mask", *snap.taint_mask}, {"flags", letters}},
                    std::nullopt,
                    "Documentation/admin-guide/tainted-kernels.rst; M, B and D mean hardware "
                    "or kernel failure, W and L a kernel warning or lockup"};
    add(std::move(finding));
    gauge("diag_sys_kernel_taint_mask", "/proc/sys/kernel/tainted as a number.",
          static_cast<double>(*snap.taint_mask));
    for (const auto& flag : flags) {
        gauge("diag_sys_kernel_taint_flag", "1 for each taint flag the kernel has set.", 1.0,
              {{"flag", std::string(1, flag.letter)}, {"bit", std::to_string(flag.bit)}});
    }
}

void Assessor::filesystem_space(const Filesystem& fs) {
    if (!fs.usage || fs.usage->size_bytes == 0) {
        return;
    }
    const auto& u = *fs.usage;
    // Used share as df shows it: used / (used + available to users).
    const double used = static_cast<double>(u.size_bytes - u.free_bytes);
    const double denominator = used + static_cast<double>(u.available_bytes);
    const double used_pct = denominator > 0 ? 100.0 * used / denominator : 0.0;
    std::optional<double> inodes_pct;
    if (u.inodes > 0) {
        inodes_pct =
            100.0 * static_cast<double>(u.inodes - u.inodes_free) / static_cast<double>(u.inodes);
    }
    const double worst = std::max(used_pct, inodes_pct.value_or(0.0));
    std::string summary = fmt::format("{:.0f}% of {} used, {} free", used_pct,
                                      format_bytes(u.size_bytes), format_bytes(u.available_bytes));
    if (inodes_pct) {
        summary += fmt::format(", inodes {:.0f}% used", *inodes_pct);
    }
    Finding finding{grade_above(worst, kFsWarnPct, kFsCritPct),
                    "sys.fs.space",
                    fs.mount.mount_point,
                    summary,
                    {{"size_bytes", u.size_bytes},
                     {"available_bytes", u.available_bytes},
                     {"used_pct", used_pct},
                     {"fs_type", fs.mount.fs_type},
                     {"device", fs.mount.source}},
                    std::nullopt,
                    "statvfs(3); warning at 90%, critical at 95% of space or inodes, as df "
                    "counts use (the root reserve excluded)"};
    if (inodes_pct) {
        finding.evidence.push_back({"inodes_used_pct", *inodes_pct});
    }
    add(std::move(finding));
    const std::vector<Label> labels{{"mountpoint", fs.mount.mount_point},
                                    {"fstype", fs.mount.fs_type},
                                    {"device", fs.mount.source}};
    gauge("diag_sys_filesystem_used_ratio", "Used share of a filesystem, as df counts it.",
          used_pct / 100.0, labels);
    if (inodes_pct) {
        gauge("diag_sys_filesystem_inodes_used_ratio", "Used share of a filesystem's inodes.",
              *inodes_pct / 100.0, labels);
    }
}

void Assessor::filesystem_read_only(const Filesystem& fs) {
    static const std::vector<std::string_view> kWritable{"ext2",  "ext3",  "ext4",  "xfs",
                                                         "btrfs", "f2fs",  "jfs",   "reiserfs",
                                                         "vfat",  "exfat", "ntfs3", "zfs"};
    const auto& m = fs.mount;
    if (std::find(kWritable.begin(), kWritable.end(), m.fs_type) == kWritable.end()) {
        return;
    }
    const bool read_only = m.has_super_option("ro") || m.has_mount_option("ro");
    const bool fstab_rw = fs.fstab_options && !has_option(*fs.fstab_options, "ro");
    const bool errors = fs.ext4_errors && *fs.ext4_errors > 0;
    Severity severity = Severity::ok;
    std::string summary = fmt::format("{} on {} is read-write", m.fs_type, m.source);
    if (read_only && (fstab_rw || errors)) {
        severity = Severity::critical;
        summary = fmt::format(
            "{} on {} is read-only{}", m.fs_type, m.source,
            fstab_rw ? " though /etc/fstab mounts it read-write" : " after filesystem errors");
    } else if (read_only) {
        severity = Severity::info;
        summary = fmt::format("{} on {} is mounted read-only", m.fs_type, m.source);
    } else if (errors) {
        severity = Severity::warning;
        summary =
            fmt::format("{} on {} has recorded {} errors", m.fs_type, m.source, *fs.ext4_errors);
    }
    Finding finding{severity,
                    "sys.fs.read_only",
                    m.mount_point,
                    summary,
                    {{"mount_options", m.mount_options}, {"super_options", m.super_options}},
                    std::nullopt,
                    "/proc/self/mountinfo super options against /etc/fstab; ext4 "
                    "errors_count in /sys/fs/ext4 (Documentation/ABI/testing/sysfs-fs-ext4)"};
    if (fs.fstab_options) {
        finding.evidence.push_back({"fstab_options", *fs.fstab_options});
    }
    if (fs.ext4_errors) {
        finding.evidence.push_back({"fs_errors_count", *fs.ext4_errors});
    }
    add(std::move(finding));
    gauge("diag_sys_filesystem_read_only", "1 when a disk filesystem is mounted read-only.",
          read_only ? 1.0 : 0.0, {{"mountpoint", m.mount_point}, {"device", m.source}});
}

void Assessor::filesystems() {
    double worst_used_pct = -1.0;
    for (const auto& fs : snap.filesystems) {
        filesystem_space(fs);
        filesystem_read_only(fs);
        if (fs.usage && fs.usage->size_bytes > 0) {
            const double used = static_cast<double>(fs.usage->size_bytes - fs.usage->free_bytes);
            const double denominator = used + static_cast<double>(fs.usage->available_bytes);
            if (denominator > 0) {
                worst_used_pct = std::max(worst_used_pct, 100.0 * used / denominator);
            }
        }
    }
    if (worst_used_pct >= 0) {
        perf("fs_max_used_pct", worst_used_pct, "%", 0.0, 100.0);
    }
}

void Assessor::tcp() {
    const auto& a = snap.first.net;
    auto out_segs = find(a, "Tcp:OutSegs");
    auto retrans = find(a, "Tcp:RetransSegs");
    auto overflows = find(a, "TcpExt:ListenOverflows");
    if (!out_segs || !retrans) {
        return;
    }
    counter("diag_sys_tcp_out_segments_total", "Tcp:OutSegs from /proc/net/snmp.",
            static_cast<double>(*out_segs));
    counter("diag_sys_tcp_retransmitted_segments_total", "Tcp:RetransSegs from /proc/net/snmp.",
            static_cast<double>(*retrans));
    if (overflows) {
        counter("diag_sys_tcp_listen_overflows_total",
                "TcpExt:ListenOverflows: connections dropped because an accept queue was full.",
                static_cast<double>(*overflows));
    }
    const double boot_pct =
        *out_segs > 0 ? 100.0 * static_cast<double>(*retrans) / static_cast<double>(*out_segs) : 0;
    Finding finding{Severity::ok,
                    "sys.tcp",
                    "tcp",
                    fmt::format("{:.2f}% of segments retransmitted since boot", boot_pct),
                    {{"retransmit_since_boot_pct", boot_pct}},
                    std::nullopt,
                    "RFC 4022 counters in /proc/net/snmp and /proc/net/netstat; retransmits "
                    "warning at 2% and critical at 10% of at least 1000 segments over the "
                    "sample; any listen overflow during the sample is a warning"};
    if (snap.second) {
        const auto& b = snap.second->net;
        auto out2 = find(b, "Tcp:OutSegs");
        auto re2 = find(b, "Tcp:RetransSegs");
        if (out2 && re2 && *out2 >= *out_segs && *re2 >= *retrans) {
            const auto sent = *out2 - *out_segs;
            const auto resent = *re2 - *retrans;
            const double pct =
                sent > 0 ? 100.0 * static_cast<double>(resent) / static_cast<double>(sent) : 0.0;
            finding.evidence.push_back({"retransmit_sample_pct", pct});
            finding.evidence.push_back({"segments_sample_count", sent});
            perf("tcp_retrans_pct", pct, "%", 0.0, 100.0);
            if (sent >= kRetransMinSegments) {
                finding.severity = grade_above(pct, kRetransWarnPct, kRetransCritPct);
                finding.summary = fmt::format("{:.2f}% of {} segments retransmitted in {:.1f} s",
                                              pct, sent, snap.sample_seconds);
            }
        }
        auto overflows2 = find(b, "TcpExt:ListenOverflows");
        if (overflows && overflows2 && *overflows2 > *overflows) {
            finding.severity = std::max(finding.severity, Severity::warning);
            finding.summary +=
                fmt::format("; {} connections dropped by full listen queues during the sample",
                            *overflows2 - *overflows);
        }
    }
    if (overflows) {
        finding.evidence.push_back({"listen_overflows_since_boot_count", *overflows});
    }
    add(std::move(finding));
}

void Assessor::clock() {
    if (!snap.clock) {
        return;
    }
    const auto& c = *snap.clock;
    add({c.synchronised ? Severity::ok : Severity::warning,
         "sys.clock",
         "clock",
         c.synchronised ? "clock synchronised" : "clock not synchronised by any time daemon",
         {{"synchronised", c.synchronised},
          {"max_error_us", c.max_error_us},
          {"offset_us", c.offset_us}},
         std::nullopt,
         "adjtimex(2) STA_UNSYNC/TIME_ERROR; an unsynchronised clock misorders logs across "
         "machines and breaks TLS and Kerberos"});
    gauge("diag_sys_clock_synchronised", "1 when the kernel clock is synchronised (adjtimex).",
          c.synchronised ? 1.0 : 0.0);
}

void Assessor::uptime() {
    if (!snap.uptime_seconds) {
        return;
    }
    const double up = *snap.uptime_seconds;
    // A captured /proc/uptime can hold any finite number; casting one beyond long's range to
    // whole seconds would be undefined, so the shown duration is capped (about 31 million years).
    constexpr double kMaxShownSeconds = 1e15;
    const auto shown =
        format_duration(std::chrono::seconds(static_cast<long>(std::min(up, kMaxShownSeconds))));
    add({up < kRecentBootSeconds ? Severity::info : Severity::ok,
         "sys.uptime",
         "kernel",
         up < kRecentBootSeconds ? fmt::format("rebooted {} ago", shown)
                                 : fmt::format("up {}", shown),
         {{"uptime_seconds", up}},
         std::nullopt,
         "/proc/uptime; a boot in the last 10 minutes is worth knowing when reading counters "
         "since boot"});
    gauge("diag_sys_uptime_seconds", "Seconds since boot.", up);
}

}  // namespace

Report assess_sys(const SysSnapshot& snapshot) {
    Assessor assessor{snapshot, {}};
    assessor.memory();
    assessor.swap_and_poison();
    assessor.oom_kills();
    assessor.pressure("cpu", snapshot.cpu_pressure);
    assessor.pressure("memory", snapshot.memory_pressure);
    assessor.pressure("io", snapshot.io_pressure);
    assessor.load();
    assessor.cpu();
    assessor.taint();
    assessor.filesystems();
    assessor.tcp();
    assessor.clock();
    assessor.uptime();
    return std::move(assessor.report);
}

}  // namespace diag::sys
