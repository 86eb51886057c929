#include "diag/mem/mem_history.hpp"

#include "diag/core/atomic_file.hpp"
#include "diag/core/units.hpp"
#include "diag/sys/key_values.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

namespace diag::mem {

namespace {

constexpr std::string_view kEdacDir = "/sys/devices/system/edac/mc";

// Schroeder, Pinheiro and Weber, "DRAM Errors in the Wild: A Large-Scale Field Study",
// SIGMETRICS 2009 (abstract): more than 8% of DIMMs see errors per year, and errors are
// dominated by hard errors rather than soft ones. The extended version (Communications of the
// ACM 54(2), 2011, section 5) finds that in more than 85% of cases a correctable error is
// followed by another in the same month, 13 to over 90 times the probability of an average
// month depending on the platform, and that correctable errors in the previous month raise it
// 35 to over 200 times. Those two statements are what this rule rests on.
constexpr const char* kSchroederSource =
    "Schroeder, Pinheiro, Weber, \"DRAM Errors in the Wild\", SIGMETRICS 2009 and CACM 54(2) "
    "2011: errors are mostly hard faults, and a DIMM with a correctable error usually has more "
    "the same month (13 to over 90 times an average month)";
constexpr const char* kUncorrectedSource =
    "Documentation/admin-guide/ras.rst: an uncorrected error is data the ECC could not repair";
constexpr const char* kHwCorruptedSource =
    "Documentation/filesystems/proc.rst (meminfo HardwareCorrupted): pages poisoned after a "
    "machine check";

// The files of one controller that diag reads; others (reset_counters) are left alone.
bool wanted_top(std::string_view name) {
    return name == "ce_count" || name == "ue_count" || name == "ce_noinfo_count" ||
           name == "ue_noinfo_count";
}

bool wanted_sub(std::string_view name) {
    if (name.starts_with("ch")) {
        return name.ends_with("_ce_count") || name.ends_with("_ue_count") ||
               name.ends_with("_dimm_label");
    }
    return name == "dimm_label" || name == "dimm_location" || name == "dimm_ce_count" ||
           name == "dimm_ue_count" || name == "size" || name == "ce_count" || name == "ue_count" ||
           name == "size_mb";
}

bool module_dir(std::string_view name) {
    return name.starts_with("dimm") || name.starts_with("rank") || name.starts_with("csrow");
}

void read_into(const Root& root, const std::string& dir, const std::string& rel, EdacFiles& files,
               Collected<MemHistory>& out) {
    auto text = root.read_file(dir + "/" + rel);
    if (text) {
        files.emplace(rel, std::move(*text));
    } else if (text.error().errno_value != ENOENT) {
        out.add_issue(text.error());
    }
}

std::string place_of(const EdacController& mc, const EdacDimm& dimm) {
    return mc.name + "/" + dimm.name;
}

std::optional<std::uint64_t> growth(std::optional<std::uint64_t> now,
                                    const std::optional<MemState>& previous,
                                    const std::string& place, bool ue) {
    if (!now || !previous) {
        return std::nullopt;
    }
    const auto it = previous->counts.find(place);
    if (it == previous->counts.end()) {
        return std::nullopt;
    }
    const auto before = ue ? it->second.ue_count : it->second.ce_count;
    if (!before || *before > *now) {
        return std::nullopt;  // no value then, or the counters were reset (a reboot)
    }
    return *now - *before;
}

void add_label(std::vector<Label>& labels, const EdacDimm& dimm) {
    labels.push_back({"label", dimm.label.value_or("")});
}

}  // namespace

namespace {

std::string joined(std::string_view dir, std::string_view name) {
    std::string path(dir);
    path += '/';
    path += name;
    return path;
}

// The counter files of one controller directory, modules included.
EdacFiles read_controller_files(const Root& root, const std::string& dir,
                                Collected<MemHistory>& out) {
    EdacFiles files;
    auto entries = root.list_dir(dir);
    if (!entries) {
        out.add_issue(entries.error());
        return files;
    }
    for (const auto& entry : *entries) {
        if (wanted_top(entry)) {
            read_into(root, dir, entry, files, out);
            continue;
        }
        if (!module_dir(entry)) {
            continue;
        }
        auto sub = root.list_dir(joined(dir, entry));
        if (!sub) {
            continue;  // a file named like a module directory
        }
        for (const auto& file : *sub) {
            if (wanted_sub(file)) {
                read_into(root, dir, joined(entry, file), files, out);
            }
        }
    }
    return files;
}

template <class T>
void take_issues(Collected<T>& from, Collected<MemHistory>& out) {
    for (auto& issue : from.issues) {
        out.add_issue(std::move(issue));
    }
}

}  // namespace

Collected<MemHistory> probe_mem_history(const Root& root) {
    Collected<MemHistory> out;
    auto rasdaemon = read_rasdaemon(root);
    out.data.rasdaemon = std::move(rasdaemon.data);
    take_issues(rasdaemon, out);
    auto kernel_log = read_kernel_memory_events(root);
    out.data.kernel_log = std::move(kernel_log.data);
    take_issues(kernel_log, out);
    if (auto meminfo = root.read_file("/proc/meminfo")) {
        const auto values = sys::parse_meminfo(*meminfo);
        if (auto corrupted = sys::find(values, "HardwareCorrupted"); corrupted && *corrupted >= 0) {
            out.data.hardware_corrupted_bytes = static_cast<std::uint64_t>(*corrupted);
        }
    } else {
        out.add_issue(meminfo.error());
    }

    auto controllers = root.list_dir(kEdacDir);
    if (!controllers) {
        auto issue = to_issue(controllers.error(), IssueLevel::info);
        if (controllers.error().errno_value == ENOENT) {
            issue.reason = "no EDAC memory controller";
            issue.hint = root.is_live() ? "load the EDAC driver for this platform (modprobe "
                                          "ie31200_edac, skx_edac, amd64_edac...); without it "
                                          "corrected memory errors are not counted"
                                        : "not in the captured tree";
        }
        out.add_issue(std::move(issue));
        return out;
    }
    out.data.edac_present = true;
    for (const auto& name : *controllers) {
        if (!name.starts_with("mc")) {
            continue;
        }
        const std::string dir = joined(kEdacDir, name);
        auto controller = decode_edac_controller(name, read_controller_files(root, dir, out));
        for (const auto& bad : controller.unreadable) {
            out.add_issue(Issue{IssueLevel::error, "parse", root.display(joined(dir, bad)),
                                "not a decimal counter", ""});
        }
        out.data.controllers.push_back(std::move(controller));
    }
    return out;
}

namespace {

void add_if(std::vector<Evidence>& evidence, const char* key,
            const std::optional<std::uint64_t>& value) {
    if (value) {
        evidence.push_back({key, *value});
    }
}

void add_hardware_corrupted(Report& report, std::uint64_t bytes) {
    ++report.assessed_count;
    report.findings.push_back(
        Finding{bytes > 0 ? Severity::critical : Severity::ok,
                "mem.hardware_corrupted",
                "memory",
                bytes > 0 ? fmt::format("{} of memory taken out of use after hardware errors",
                                        format_bytes(bytes))
                          : "no memory taken out of use after hardware errors",
                {{"hardware_corrupted_bytes", bytes}},
                std::nullopt,
                kHwCorruptedSource});
    report.metrics.push_back({"diag_mem_hardware_corrupted_bytes",
                              "Memory the kernel poisoned after hardware errors "
                              "(HardwareCorrupted in /proc/meminfo).",
                              MetricType::gauge,
                              {},
                              static_cast<double>(bytes)});
}

// The finding for one controller's totals.
Finding controller_finding(const EdacController& mc, const std::optional<MemState>& previous,
                           const std::string& since) {
    const auto ce = total_ce(mc);
    const auto ue = total_ue(mc);
    const auto new_ce = growth(ce, previous, mc.name, false);
    const auto new_ue = growth(ue, previous, mc.name, true);
    std::vector<Evidence> evidence;
    add_if(evidence, "corrected_errors", ce);
    add_if(evidence, "uncorrected_errors", ue);
    add_if(evidence, "corrected_unattributed", mc.ce_noinfo_count);
    add_if(evidence, "uncorrected_unattributed", mc.ue_noinfo_count);
    add_if(evidence, "new_corrected_errors", new_ce);
    add_if(evidence, "new_uncorrected_errors", new_ue);
    evidence.push_back({"layout", std::string(mc.layout == EdacLayout::dimm    ? "dimm"
                                              : mc.layout == EdacLayout::csrow ? "csrow"
                                                                               : "none")});
    Finding finding{Severity::ok,        "mem.edac.errors", mc.name,         "",
                    std::move(evidence), std::nullopt,      kSchroederSource};
    const auto ue_count = ue.value_or(0);
    const auto ce_count = ce.value_or(0);
    if (ue_count > 0) {
        finding.severity = Severity::critical;
        finding.summary = fmt::format(
            "{} uncorrected memory error{} counted{}", ue_count, ue_count == 1 ? "" : "s",
            new_ue ? fmt::format(", {} new{}", new_ue.value_or(0), since) : "");
        finding.source = kUncorrectedSource;
    } else if (ce_count > 0) {
        const auto grown = new_ce.value_or(0);
        finding.severity = grown > 0 ? Severity::critical : Severity::warning;
        finding.summary = fmt::format(
            "{} corrected memory error{}{}; a module with corrected errors is likely to have more",
            ce_count, ce_count == 1 ? "" : "s",
            grown > 0 ? fmt::format(", {} new{}", grown, since)
                      : (new_ce ? fmt::format(", none new{}", since) : ""));
    } else if (!ce && !ue) {
        finding.severity = Severity::info;
        finding.summary = "the EDAC driver counts no errors for this controller";
    } else {
        finding.summary = "no memory errors counted";
    }
    return finding;
}

void add_controller_metrics(Report& report, const EdacController& mc) {
    const std::vector<Label> labels{{"mc", mc.name}};
    auto add = [&](const char* name, const char* help, const std::optional<std::uint64_t>& v) {
        if (v) {
            report.metrics.push_back(
                {name, help, MetricType::counter, labels, static_cast<double>(*v)});
        }
    };
    add("diag_edac_mc_correctable_errors_total", "Corrected memory errors of an EDAC controller.",
        total_ce(mc));
    add("diag_edac_mc_uncorrectable_errors_total",
        "Uncorrected memory errors of an EDAC controller.", total_ue(mc));
    add("diag_edac_mc_correctable_noinfo_errors_total",
        "Corrected memory errors the EDAC driver could not attribute to a module.",
        mc.ce_noinfo_count);
    add("diag_edac_mc_uncorrectable_noinfo_errors_total",
        "Uncorrected memory errors the EDAC driver could not attribute to a module.",
        mc.ue_noinfo_count);
}

void add_module_metrics(Report& report, const EdacController& mc, const EdacDimm& dimm) {
    std::vector<Label> labels{{"mc", mc.name}, {"dimm", dimm.name}};
    add_label(labels, dimm);
    if (dimm.ce_count) {
        report.metrics.push_back({"diag_edac_correctable_errors_total",
                                  "Corrected memory errors of one module.", MetricType::counter,
                                  labels, static_cast<double>(*dimm.ce_count)});
    }
    if (dimm.ue_count) {
        report.metrics.push_back({"diag_edac_uncorrectable_errors_total",
                                  "Uncorrected memory errors of one module.", MetricType::counter,
                                  labels, static_cast<double>(*dimm.ue_count)});
    }
    if (dimm.size_mib) {
        report.metrics.push_back({"diag_edac_dimm_size_bytes",
                                  "Size of one module as EDAC reports it.", MetricType::gauge,
                                  labels, static_cast<double>(*dimm.size_mib) * 1048576.0});
    }
}

// The finding for one module with errors; nullopt for a module without any.
std::optional<Finding> module_finding(const EdacController& mc, const EdacDimm& dimm,
                                      const std::optional<MemState>& previous,
                                      const std::string& since) {
    const auto dimm_ce = dimm.ce_count.value_or(0);
    const auto dimm_ue = dimm.ue_count.value_or(0);
    if (dimm_ce == 0 && dimm_ue == 0) {
        return std::nullopt;
    }
    const std::string place = place_of(mc, dimm);
    const auto dimm_new_ce = growth(dimm.ce_count, previous, place, false);
    const auto dimm_new_ue = growth(dimm.ue_count, previous, place, true);
    std::vector<Evidence> evidence;
    if (dimm.label) {
        evidence.push_back({"label", *dimm.label});
    }
    if (dimm.location) {
        evidence.push_back({"location", *dimm.location});
    }
    add_if(evidence, "corrected_errors", dimm.ce_count);
    add_if(evidence, "uncorrected_errors", dimm.ue_count);
    add_if(evidence, "new_corrected_errors", dimm_new_ce);
    add_if(evidence, "new_uncorrected_errors", dimm_new_ue);
    const std::string who =
        dimm.label ? fmt::format("module {}", *dimm.label) : std::string("this module");
    Finding module{Severity::warning,   "mem.edac.module", place,           "",
                   std::move(evidence), std::nullopt,      kSchroederSource};
    if (dimm_ue > 0) {
        module.severity = Severity::critical;
        module.summary = fmt::format("{} had {} uncorrected error{}: replace it", who, dimm_ue,
                                     dimm_ue == 1 ? "" : "s");
        module.source = kUncorrectedSource;
    } else {
        const auto grown = dimm_new_ce.value_or(0);
        module.severity = grown > 0 ? Severity::critical : Severity::warning;
        module.summary =
            fmt::format("{} had {} corrected error{}{}", who, dimm_ce, dimm_ce == 1 ? "" : "s",
                        grown > 0 ? fmt::format(", {} new{}: still failing", grown, since) : "");
    }
    return module;
}

}  // namespace

Report assess_mem_history(const MemHistory& history, const std::optional<MemState>& previous) {
    Report report;
    const std::string since =
        previous ? fmt::format(" since {}", format_utc(previous->time)) : std::string();
    if (history.hardware_corrupted_bytes) {
        add_hardware_corrupted(report, *history.hardware_corrupted_bytes);
    }
    if (history.rasdaemon) {
        report.merge(assess_rasdaemon(*history.rasdaemon));
    }
    if (history.kernel_log) {
        report.merge(assess_kernel_memory_events(*history.kernel_log));
    }
    for (const auto& mc : history.controllers) {
        auto finding = controller_finding(mc, previous, since);
        if (finding.severity != Severity::info) {
            ++report.assessed_count;
        }
        report.findings.push_back(std::move(finding));
        add_controller_metrics(report, mc);
        for (const auto& dimm : mc.dimms) {
            add_module_metrics(report, mc, dimm);
            if (auto module = module_finding(mc, dimm, previous, since)) {
                report.findings.push_back(std::move(*module));
            }
        }
    }
    return report;
}

namespace {

// The text of a state file, nullopt when there is none; other read errors become an Issue.
std::optional<std::string> read_state_file(const std::string& path, std::vector<Issue>& issues) {
    std::ifstream in(path);
    if (!in) {
        if (errno != ENOENT) {
            issues.push_back({IssueLevel::error, "read", path, std::strerror(errno), ""});
        }
        return std::nullopt;
    }
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::optional<MemState> load_edac_state(const std::string& path, std::vector<Issue>& issues) {
    const auto text = read_state_file(path, issues);
    if (!text) {
        return std::nullopt;
    }
    auto state = decode_state(*text);
    if (!state) {
        issues.push_back({IssueLevel::error, "parse", path,
                          "not a diag-mem state file; growth not judged this run",
                          "it is replaced by this run's state"});
    }
    return state;
}

}  // namespace

Report assess_last_test(const SavedTestRun& run) {
    Report report;
    ++report.assessed_count;
    const std::string when = format_utc(run.time);
    std::vector<Evidence> evidence{{"time", when},
                                   {"size_bytes", run.size_bytes},
                                   {"failures", run.failure_count},
                                   {"passes_completed", run.passes_completed}};
    if (!run.stopped_by.empty()) {
        evidence.push_back({"stopped_by", run.stopped_by});
    }
    std::string tests;
    for (const auto& name : run.finished) {
        tests += (tests.empty() ? "" : ",") + name;
    }
    evidence.push_back({"tests_finished", tests.empty() ? std::string("none") : tests});
    if (!run.failures.empty()) {
        const auto& first = run.failures.front();
        evidence.push_back(
            {"first_failure_address",
             fmt::format("0x{:x}", first.physical_address.value_or(first.virtual_address))});
    }
    const bool failed = run.failure_count > 0;
    report.findings.push_back(Finding{
        failed ? Severity::critical : Severity::ok, "mem.test.last", "memory test",
        failed ? fmt::format("the memory test of {} found {} word{} that read back wrong", when,
                             run.failure_count, run.failure_count == 1 ? "" : "s")
               : fmt::format("the memory test of {} ({} of memory) found no error{}", when,
                             format_bytes(run.size_bytes),
                             run.stopped_by.empty() ? "" : " in what ran before it stopped"),
        std::move(evidence), std::nullopt, "diag-mem test log (--state-dir)"});
    return report;
}

Report collect_mem_history(const Root& root, const std::optional<std::string>& state_dir,
                           std::chrono::system_clock::time_point now, bool last_test) {
    auto collected = probe_mem_history(root);
    std::optional<MemState> previous;
    std::vector<Issue> issues = std::move(collected.issues);
    std::string state_path;
    if (state_dir) {
        state_path = *state_dir + "/" + std::string(kEdacStateFile);
        previous = load_edac_state(state_path, issues);
    }
    auto report = assess_mem_history(collected.data, previous);
    if (state_dir && (collected.data.edac_present || collected.data.hardware_corrupted_bytes)) {
        const auto state =
            make_state(collected.data.controllers, collected.data.hardware_corrupted_bytes, now);
        if (auto written = write_file_atomically(state_path, encode_state(state), 0600); !written) {
            issues.push_back(to_issue(written.error()));
        }
    }
    if (state_dir && last_test) {
        const std::string log_path = *state_dir + "/" + std::string(kTestLogFile);
        if (const auto text = read_state_file(log_path, issues)) {
            const auto runs = decode_test_log(*text);
            if (!runs) {
                issues.push_back({IssueLevel::error, "parse", log_path,
                                  "not a diag-mem test log; earlier tests not shown", ""});
            } else if (!runs->empty()) {
                report.merge(assess_last_test(runs->back()));
            }
        }
    }
    report.issues.insert(report.issues.begin(), issues.begin(), issues.end());
    return report;
}

std::vector<Issue> save_test_run(const std::string& state_dir, const SavedTestRun& run) {
    std::vector<Issue> issues;
    const std::string path = state_dir + "/" + std::string(kTestLogFile);
    std::vector<SavedTestRun> runs;
    if (const auto text = read_state_file(path, issues)) {
        if (auto earlier = decode_test_log(*text)) {
            runs = std::move(*earlier);
        } else {
            issues.push_back({IssueLevel::error, "parse", path,
                              "not a diag-mem test log; replaced by one holding this run", ""});
        }
    }
    runs.push_back(run);
    if (auto written = write_file_atomically(path, encode_test_log(runs), 0600); !written) {
        issues.push_back(to_issue(written.error()));
    }
    return issues;
}

}  // namespace diag::mem
