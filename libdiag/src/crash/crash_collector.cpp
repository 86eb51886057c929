#include "diag/crash/crash_collector.hpp"

#include "diag/crash/core_discovery.hpp"
#include "diag/crash/signal_names.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace diag::crash {

Report collect_recent_crashes(const Root& root, std::chrono::hours window) {
    Report report;
    auto found = discover_cores(root, {});
    report.issues = found.issues;
    const auto since = std::chrono::system_clock::now() - window;
    std::size_t recent = 0;
    for (const auto& core : found.data.cores) {
        if (!core.time || *core.time < since) {
            continue;
        }
        ++recent;
        Finding finding;
        finding.severity = Severity::warning;
        finding.check = "crash.recent";
        finding.subject = core.executable.empty() ? core.path : core.executable;
        const auto signal =
            core.signal ? std::string(signal_name(*core.signal).value_or("?")) : "a signal";
        finding.summary = fmt::format("{} crashed with {}; see diag-core {}", finding.subject,
                                      signal, root.display(core.path));
        finding.time = core.time;
        finding.evidence.push_back({"core", root.display(core.path)});
        finding.evidence.push_back({"core_present", core.core_present});
        if (core.pid) {
            finding.evidence.push_back({"pid", static_cast<std::int64_t>(*core.pid)});
        }
        finding.source = "core_pattern, systemd-coredump and apport stores";
        report.findings.push_back(std::move(finding));
    }
    // Without core_pattern and without any core, nothing says where cores would be: unknown,
    // not "no crash".
    if (!found.data.pattern && found.data.cores.empty()) {
        return report;
    }
    report.assessed_count = 1;
    if (recent == 0) {
        report.findings.push_back(
            {Severity::ok,
             "crash.recent",
             "cores",
             fmt::format("no crash found in the last {} hours", window.count()),
             {},
             std::nullopt,
             "core_pattern, systemd-coredump and apport stores"});
    }
    return report;
}

namespace {

std::string stamp(std::chrono::system_clock::time_point time) {
    return fmt::format("{:%Y-%m-%d %H:%M:%S} UTC",
                       std::chrono::time_point_cast<std::chrono::seconds>(time));
}

}  // namespace

Report assess_new_crashes(const std::vector<FoundCore>& cores,
                          std::optional<std::chrono::system_clock::time_point> last_run,
                          std::chrono::system_clock::time_point now) {
    Report report;
    report.assessed_count = 1;
    const char* const source =
        "diag-core(1) NEW CRASHES: core times against the last run kept in "
        "--state-dir";
    if (!last_run) {
        report.findings.push_back(
            {Severity::info,
             "crash.new",
             "cores",
             fmt::format("first run with this state directory: {} core(s) known, new ones are "
                         "counted from now",
                         cores.size()),
             {{"known_cores", static_cast<std::uint64_t>(cores.size())}},
             std::nullopt,
             source});
        report.perfdata.push_back(
            {"new_crashes", 0.0, "", std::nullopt, std::nullopt, 0.0, std::nullopt});
        return report;
    }
    std::uint64_t fresh = 0;
    for (const auto& core : cores) {
        if (!core.time || *core.time <= *last_run || *core.time > now) {
            continue;
        }
        ++fresh;
        const auto signal =
            core.signal ? std::string(signal_name(*core.signal).value_or("?")) : "a signal";
        const auto subject = core.executable.empty() ? core.path : core.executable;
        Finding finding{Severity::warning,
                        "crash.new",
                        subject,
                        fmt::format("{} crashed with {} at {}, after the last run", subject, signal,
                                    stamp(*core.time)),
                        {{"core", core.path}, {"core_present", core.core_present}},
                        core.time,
                        source};
        if (core.pid) {
            finding.evidence.push_back({"pid", static_cast<std::int64_t>(*core.pid)});
        }
        report.findings.push_back(std::move(finding));
    }
    if (fresh == 0) {
        report.findings.push_back({Severity::ok,
                                   "crash.new",
                                   "cores",
                                   fmt::format("no new crash since {}", stamp(*last_run)),
                                   {{"new_crashes", fresh}},
                                   std::nullopt,
                                   source});
    }
    report.perfdata.push_back({"new_crashes", static_cast<double>(fresh), "", std::nullopt,
                               std::nullopt, 0.0, std::nullopt});
    return report;
}

std::optional<std::chrono::system_clock::time_point> parse_core_state(std::string_view text) {
    const auto json = nlohmann::json::parse(text, nullptr, false);
    if (!json.is_object() || !json.contains("last_run_unix_us") ||
        !json.at("last_run_unix_us").is_number_integer()) {
        return std::nullopt;
    }
    return std::chrono::system_clock::time_point(
        std::chrono::microseconds(json.at("last_run_unix_us").get<std::int64_t>()));
}

std::string render_core_state(std::chrono::system_clock::time_point last_run) {
    const auto us =
        std::chrono::duration_cast<std::chrono::microseconds>(last_run.time_since_epoch()).count();
    return nlohmann::json{{"last_run_unix_us", us}}.dump() + "\n";
}

}  // namespace diag::crash
