#pragma once

// A report with one finding of each severity, machine text in odd places, an Issue, metrics
// and perfdata: the input the renderer tests share.

#include <diag/core/report.hpp>
#include <diag/core/run_info.hpp>

namespace diag::test {

inline Report sample_report() {
    Report report;
    report.findings.push_back({Severity::ok,
                               "sys.memory.available",
                               "memory",
                               "fine",
                               {{"available_bytes", std::int64_t{1024}}},
                               {},
                               "proc.rst"});
    report.findings.push_back({Severity::critical,
                               "sys.fs.read_only",
                               "/srv",
                               "ext4 on /dev/sdb1 is read-only",
                               {{"fs_errors_count", std::uint64_t{3}},
                                {"used_pct", 96.5},
                                {"fstab_rw", true},
                                {"device", std::string("/dev/sdb1")}},
                               {},
                               "mountinfo"});
    report.findings.push_back(
        {Severity::info, "sys.uptime", "kernel", "rebooted 2m ago", {}, {}, ""});
    report.findings.push_back({Severity::warning,
                               "sys.clock",
                               "clock",
                               "not synchronised",
                               {{"offset_us", std::int64_t{-250}}},
                               {},
                               "adjtimex(2)"});
    report.issues.push_back(
        {IssueLevel::error, "open", "/proc/pressure/io", "No such file or directory", ""});
    report.metrics.push_back(
        {"diag_sys_memory_available_bytes", "MemAvailable.", MetricType::gauge, {}, 1024.0});
    report.perfdata.push_back({"mem_available_pct", 42.5, "%", {}, {}, 0.0, 100.0});
    report.assessed_count = 4;
    return report;
}

inline RunInfo sample_run() {
    RunInfo run;
    run.tool = "diag-sys";
    run.argv = {"diag-sys", "--json"};
    run.root = "/";
    run.started = std::chrono::system_clock::time_point{std::chrono::seconds(1796305202)};
    run.duration = std::chrono::milliseconds(1234);
    run.hostname = "box1";
    run.kernel_release = "6.1.0-13-amd64";
    return run;
}

}  // namespace diag::test
