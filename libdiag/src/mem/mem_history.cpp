#include "diag/mem/mem_history.hpp"

#include "diag/core/atomic_file.hpp"
#include "diag/core/units.hpp"
#include "diag/sys/key_values.hpp"

#include <cerrno>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

namespace diag::mem {

namespace {

constexpr std::string_view kEdacDir = "/sys/devices/system/edac/mc";

// Schroeder, Pinheiro and Weber, "DRAM Errors in the Wild: A Large-Scale Field Study",
// SIGMETRICS 2009: over 8% of DIMMs and about a third of machines saw a correctable error per
// year, only about 1.3% of machines an uncorrectable one; errors are dominated by hard faults,
// and a correctable error raises the chance of an uncorrectable one by a factor of 9 to 400.
constexpr const char* kSchroederSource =
    "Schroeder, Pinheiro, Weber, \"DRAM Errors in the Wild\", SIGMETRICS 2009: a correctable "
    "error makes an uncorrectable one 9 to 400 times more likely; errors are mostly hard faults";
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

Collected<MemHistory> probe_mem_history(const Root& root) {
    // TODO(#5): rasdaemon's SQLite database (read-only, libsqlite3) and kernel MCE/EDAC lines
    // through the diag-logs classifier are not read yet.
    Collected<MemHistory> out;
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
        const std::string dir = std::string(kEdacDir) + "/" + name;
        auto entries = root.list_dir(dir);
        if (!entries) {
            out.add_issue(entries.error());
            continue;
        }
        EdacFiles files;
        for (const auto& entry : *entries) {
            if (wanted_top(entry)) {
                read_into(root, dir, entry, files, out);
            } else if (module_dir(entry)) {
                auto sub = root.list_dir(dir + "/" + entry);
                if (!sub) {
                    continue;  // a file named like a module directory
                }
                for (const auto& file : *sub) {
                    if (wanted_sub(file)) {
                        read_into(root, dir, entry + "/" + file, files, out);
                    }
                }
            }
        }
        auto controller = decode_edac_controller(name, files);
        for (const auto& bad : controller.unreadable) {
            out.add_issue(Issue{IssueLevel::error, "parse", root.display(dir + "/" + bad),
                                "not a decimal counter", ""});
        }
        out.data.controllers.push_back(std::move(controller));
    }
    return out;
}

Report assess_mem_history(const MemHistory& history, const std::optional<MemState>& previous) {
    Report report;
    const std::string since =
        previous ? fmt::format(" since {}", format_utc(previous->time)) : std::string();

    if (history.hardware_corrupted_bytes) {
        const auto bytes = *history.hardware_corrupted_bytes;
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

    for (const auto& mc : history.controllers) {
        ++report.assessed_count;
        const auto ce = total_ce(mc);
        const auto ue = total_ue(mc);
        const auto new_ce = growth(ce, previous, mc.name, false);
        const auto new_ue = growth(ue, previous, mc.name, true);
        std::vector<Evidence> evidence;
        if (ce)
            evidence.push_back({"corrected_errors", *ce});
        if (ue)
            evidence.push_back({"uncorrected_errors", *ue});
        if (mc.ce_noinfo_count)
            evidence.push_back({"corrected_unattributed", *mc.ce_noinfo_count});
        if (mc.ue_noinfo_count)
            evidence.push_back({"uncorrected_unattributed", *mc.ue_noinfo_count});
        if (new_ce)
            evidence.push_back({"new_corrected_errors", *new_ce});
        if (new_ue)
            evidence.push_back({"new_uncorrected_errors", *new_ue});
        evidence.push_back({"layout", std::string(mc.layout == EdacLayout::dimm    ? "dimm"
                                                  : mc.layout == EdacLayout::csrow ? "csrow"
                                                                                   : "none")});
        Finding finding{Severity::ok,        "mem.edac.errors", mc.name,         "",
                        std::move(evidence), std::nullopt,      kSchroederSource};
        if (ue.value_or(0) > 0) {
            finding.severity = Severity::critical;
            finding.summary =
                fmt::format("{} uncorrected memory error{} counted{}", *ue, *ue == 1 ? "" : "s",
                            new_ue ? fmt::format(", {} new{}", *new_ue, since) : "");
            finding.source = kUncorrectedSource;
        } else if (ce.value_or(0) > 0) {
            const bool grew = new_ce.value_or(0) > 0;
            finding.severity = grew ? Severity::critical : Severity::warning;
            finding.summary = fmt::format(
                "{} corrected memory error{}{}; a module with corrected errors is "
                "likely to have more, and uncorrected ones",
                *ce, *ce == 1 ? "" : "s",
                grew ? fmt::format(", {} new{}", *new_ce, since)
                     : (new_ce ? fmt::format(", none new{}", since) : ""));
        } else if (!ce && !ue) {
            finding.severity = Severity::info;
            finding.summary = "the EDAC driver counts no errors for this controller";
            --report.assessed_count;
        } else {
            finding.summary = "no memory errors counted";
        }
        report.findings.push_back(std::move(finding));

        const std::vector<Label> mc_labels{{"mc", mc.name}};
        if (ce) {
            report.metrics.push_back({"diag_edac_mc_correctable_errors_total",
                                      "Corrected memory errors of an EDAC controller.",
                                      MetricType::counter, mc_labels, static_cast<double>(*ce)});
        }
        if (ue) {
            report.metrics.push_back({"diag_edac_mc_uncorrectable_errors_total",
                                      "Uncorrected memory errors of an EDAC controller.",
                                      MetricType::counter, mc_labels, static_cast<double>(*ue)});
        }
        if (mc.ce_noinfo_count) {
            report.metrics.push_back(
                {"diag_edac_mc_correctable_noinfo_errors_total",
                 "Corrected memory errors the EDAC driver could not attribute to a module.",
                 MetricType::counter, mc_labels, static_cast<double>(*mc.ce_noinfo_count)});
        }
        if (mc.ue_noinfo_count) {
            report.metrics.push_back(
                {"diag_edac_mc_uncorrectable_noinfo_errors_total",
                 "Uncorrected memory errors the EDAC driver could not attribute to a module.",
                 MetricType::counter, mc_labels, static_cast<double>(*mc.ue_noinfo_count)});
        }

        for (const auto& dimm : mc.dimms) {
            const std::string place = place_of(mc, dimm);
            std::vector<Label> labels{{"mc", mc.name}, {"dimm", dimm.name}};
            add_label(labels, dimm);
            if (dimm.ce_count) {
                report.metrics.push_back(
                    {"diag_edac_correctable_errors_total", "Corrected memory errors of one module.",
                     MetricType::counter, labels, static_cast<double>(*dimm.ce_count)});
            }
            if (dimm.ue_count) {
                report.metrics.push_back({"diag_edac_uncorrectable_errors_total",
                                          "Uncorrected memory errors of one module.",
                                          MetricType::counter, labels,
                                          static_cast<double>(*dimm.ue_count)});
            }
            if (dimm.size_mib) {
                report.metrics.push_back(
                    {"diag_edac_dimm_size_bytes", "Size of one module as EDAC reports it.",
                     MetricType::gauge, labels, static_cast<double>(*dimm.size_mib) * 1048576.0});
            }
            const auto dimm_ce = dimm.ce_count.value_or(0);
            const auto dimm_ue = dimm.ue_count.value_or(0);
            if (dimm_ce == 0 && dimm_ue == 0) {
                continue;
            }
            const auto dimm_new_ce = growth(dimm.ce_count, previous, place, false);
            const auto dimm_new_ue = growth(dimm.ue_count, previous, place, true);
            std::vector<Evidence> dimm_evidence;
            if (dimm.label)
                dimm_evidence.push_back({"label", *dimm.label});
            if (dimm.location)
                dimm_evidence.push_back({"location", *dimm.location});
            if (dimm.ce_count)
                dimm_evidence.push_back({"corrected_errors", *dimm.ce_count});
            if (dimm.ue_count)
                dimm_evidence.push_back({"uncorrected_errors", *dimm.ue_count});
            if (dimm_new_ce)
                dimm_evidence.push_back({"new_corrected_errors", *dimm_new_ce});
            if (dimm_new_ue)
                dimm_evidence.push_back({"new_uncorrected_errors", *dimm_new_ue});
            const std::string who =
                dimm.label ? fmt::format("module {}", *dimm.label) : std::string("this module");
            Finding module{Severity::warning,        "mem.edac.module", place,           "",
                           std::move(dimm_evidence), std::nullopt,      kSchroederSource};
            if (dimm_ue > 0) {
                module.severity = Severity::critical;
                module.summary = fmt::format("{} had {} uncorrected error{}: replace it", who,
                                             dimm_ue, dimm_ue == 1 ? "" : "s");
                module.source = kUncorrectedSource;
            } else {
                const bool grew = dimm_new_ce.value_or(0) > 0;
                module.severity = grew ? Severity::critical : Severity::warning;
                module.summary = fmt::format(
                    "{} had {} corrected error{}{}", who, dimm_ce, dimm_ce == 1 ? "" : "s",
                    grew ? fmt::format(", {} new{}: still failing", *dimm_new_ce, since) : "");
            }
            report.findings.push_back(std::move(module));
        }
    }
    return report;
}

Report collect_mem_history(const Root& root, const std::optional<std::string>& state_dir,
                           std::chrono::system_clock::time_point now) {
    auto collected = probe_mem_history(root);
    std::optional<MemState> previous;
    std::vector<Issue> issues = std::move(collected.issues);
    std::string state_path;
    if (state_dir) {
        state_path = *state_dir + "/" + std::string(kEdacStateFile);
        std::ifstream in(state_path);
        if (in) {
            std::stringstream text;
            text << in.rdbuf();
            previous = decode_state(text.str());
            if (!previous) {
                issues.push_back({IssueLevel::error, "parse", state_path,
                                  "not a diag-mem state file; growth not judged this run",
                                  "it is replaced by this run's state"});
            }
        }
    }
    auto report = assess_mem_history(collected.data, previous);
    if (state_dir && (collected.data.edac_present || collected.data.hardware_corrupted_bytes)) {
        const auto state =
            make_state(collected.data.controllers, collected.data.hardware_corrupted_bytes, now);
        if (auto written = write_file_atomically(state_path, encode_state(state), 0600); !written) {
            issues.push_back(to_issue(written.error()));
        }
    }
    report.issues.insert(report.issues.begin(), issues.begin(), issues.end());
    return report;
}

}  // namespace diag::mem
