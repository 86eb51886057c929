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

std::string core_key(const FoundCore& core) {
    const auto us =
        core.time
            ? std::chrono::duration_cast<std::chrono::microseconds>(core.time->time_since_epoch())
                  .count()
            : 0;
    return fmt::format("{} {}", us, core.path);
}

Report assess_new_crashes(const std::vector<FoundCore>& cores, const std::optional<CoreState>& last,
                          std::chrono::system_clock::time_point now) {
    Report report;
    report.assessed_count = 1;
    const char* const source =
        "diag-core(1) NEW CRASHES: the cores seen by the last run, kept in --state-dir";
    if (!last) {
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
    const auto is_new = [&](const FoundCore& core) {
        if (!core.time || *core.time > now) {
            return false;
        }
        if (!last->known) {
            return *core.time > last->last_run;
        }
        return *core.time > last->last_run - kNewCrashSlack &&
               !last->known->contains(core_key(core));
    };
    std::uint64_t fresh = 0;
    for (const auto& core : cores) {
        if (!core.time || !is_new(core)) {
            continue;
        }
        ++fresh;
        const auto signal =
            core.signal ? std::string(signal_name(*core.signal).value_or("?")) : "a signal";
        const auto subject = core.executable.empty() ? core.path : core.executable;
        Finding finding{Severity::warning,
                        "crash.new",
                        subject,
                        fmt::format("{} crashed with {} at {}, new since the last run", subject,
                                    signal, stamp(*core.time)),
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
                                   fmt::format("no new crash since {}", stamp(last->last_run)),
                                   {{"new_crashes", fresh}},
                                   std::nullopt,
                                   source});
    }
    report.perfdata.push_back({"new_crashes", static_cast<double>(fresh), "", std::nullopt,
                               std::nullopt, 0.0, std::nullopt});
    return report;
}

CoreState next_core_state(const std::vector<FoundCore>& cores,
                          std::chrono::system_clock::time_point now) {
    CoreState state{now, std::set<std::string>{}};
    for (const auto& core : cores) {
        if (core.time && *core.time <= now && *core.time > now - kNewCrashSlack) {
            state.known->insert(core_key(core));
        }
    }
    return state;
}

std::optional<CoreState> parse_core_state(std::string_view text) {
    const auto json = nlohmann::json::parse(text, nullptr, false);
    if (!json.is_object() || !json.contains("last_run_unix_us") ||
        !json.at("last_run_unix_us").is_number_integer()) {
        return std::nullopt;
    }
    CoreState state{std::chrono::system_clock::time_point(
                        std::chrono::microseconds(json.at("last_run_unix_us").get<std::int64_t>())),
                    std::nullopt};
    if (json.contains("known")) {
        const auto& known = json.at("known");
        if (!known.is_array()) {
            return std::nullopt;
        }
        state.known.emplace();
        for (const auto& key : known) {
            if (!key.is_string()) {
                return std::nullopt;
            }
            state.known->insert(key.get<std::string>());
        }
    }
    return state;
}

std::string render_core_state(const CoreState& state) {
    const auto us =
        std::chrono::duration_cast<std::chrono::microseconds>(state.last_run.time_since_epoch())
            .count();
    nlohmann::json json{{"last_run_unix_us", us}};
    if (state.known) {
        json["known"] = *state.known;
    }
    return json.dump() + "\n";
}

}  // namespace diag::crash
