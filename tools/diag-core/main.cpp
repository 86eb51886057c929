// diag-core: what killed a process and why, from its core; every core on the box; what a hung
// process is waiting for.

#include <diag/cli/tool_main.hpp>
#include <diag/core/atomic_file.hpp>
#include <diag/core/root.hpp>
#include <diag/crash/core_analysis.hpp>
#include <diag/crash/core_discovery.hpp>
#include <diag/crash/core_enable.hpp>
#include <diag/crash/crash_collector.hpp>
#include <diag/crash/live_process.hpp>
#include <diag/crash/signal_names.hpp>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <sys/stat.h>
#include <unistd.h>

namespace po = boost::program_options;

namespace {

// The tool's own options, as given; nothing happens while they are parsed.
struct CoreOptions {
    std::string core;
    std::string exe;
    bool list = false;
    bool group = false;
    bool enable = false;
    bool write = false;
    int pid = 0;
    int frames = 64;
    double unwind_seconds = 60.0;
    std::vector<std::string> directories;
    std::string state_dir = "/var/lib/diag";
    // root's cache is the box's; another user's unwinds keep none unless asked.
    std::string debuginfo_cache = ::geteuid() == 0 ? "/var/cache/diag/debuginfo" : "";
};

constexpr mode_t kStateFileMode = 0600;
constexpr mode_t kStateDirMode = 0700;

// --list --nagios with a state directory on the live box: the cores that are new since the last
// such run, then this run's time and the cores it saw are kept for the next. Only --nagios counts,
// so a person's --list does not hide a crash from the monitoring check. Everything that fails is an
// Issue; the list still stands.
void judge_new_crashes(const diag::ToolContext& context, const CoreOptions& given,
                       const std::vector<diag::crash::FoundCore>& cores,
                       std::chrono::system_clock::time_point started, diag::Report& report) {
    if (!context.options.nagios || given.state_dir.empty() || !context.root.is_live()) {
        return;
    }
    const std::string path = given.state_dir + "/" + diag::crash::kCoreStateFile;
    std::optional<diag::crash::CoreState> last;
    if (auto text = context.root.read_file(path)) {
        last = diag::crash::parse_core_state(*text);
        if (!last) {
            report.issues.push_back({diag::IssueLevel::error, "parse", path,
                                     "not a diag-core state file",
                                     "counting starts over; move the file away to keep it"});
        }
    } else if (text.error().errno_value != ENOENT) {
        report.issues.push_back(diag::to_issue(text.error()));
        return;
    }
    report.merge(diag::crash::assess_new_crashes(cores, last, started));
    if (::mkdir(given.state_dir.c_str(), kStateDirMode) != 0 && errno != EEXIST) {
        report.issues.push_back(
            diag::to_issue(diag::system_error("create state directory", given.state_dir, errno)));
        return;
    }
    const auto next = diag::crash::next_core_state(cores, started);
    if (auto written =
            diag::write_file_atomically(path, diag::crash::render_core_state(next), kStateFileMode);
        !written) {
        report.issues.push_back(diag::to_issue(written.error()));
    }
}

bool text_wanted(const diag::CommonOptions& common) {
    return !common.json && !common.nagios && !common.quiet;
}

void print(const std::string& text) {
    std::fwrite(text.data(), 1, text.size(), stdout);
}

diag::crash::AnalysisOptions analysis_options(const CoreOptions& given) {
    diag::crash::AnalysisOptions options;
    if (!given.exe.empty()) {
        options.backtrace.executable = given.exe;
    }
    options.backtrace.max_frames = static_cast<std::size_t>(given.frames);
    options.backtrace.debuginfo_cache = given.debuginfo_cache;
    options.deadline = std::chrono::milliseconds(static_cast<long>(given.unwind_seconds * 1000.0));
    return options;
}

diag::Report one_core(const diag::ToolContext& context, const CoreOptions& given) {
    auto analysed = diag::crash::analyse_core(given.core, analysis_options(given));
    diag::Report report;
    report.issues = analysed.issues;
    if (analysed.data.layout.threads.empty() && !analysed.data.backtrace) {
        return report;
    }
    if (text_wanted(context.options)) {
        print(diag::crash::format_core_text(analysed.data) + "\n");
    }
    report.findings.push_back(diag::crash::crash_finding(analysed.data));
    report.assessed_count = 1;
    return report;
}

std::string when(const std::optional<std::chrono::system_clock::time_point>& time) {
    if (!time) {
        return "-";
    }
    return fmt::format("{:%Y-%m-%d %H:%M:%S}",
                       std::chrono::time_point_cast<std::chrono::seconds>(*time));
}

std::string optional_text(const auto& value) {
    return value ? fmt::format("{}", *value) : std::string("-");
}

diag::Report list_cores(const diag::ToolContext& context, const CoreOptions& given) {
    // Taken before the stores are read: a core written while they are is new next time.
    const auto started = std::chrono::system_clock::now();
    auto found = diag::crash::discover_cores(context.root, {given.directories});
    diag::Report report;
    report.issues = found.issues;
    report.assessed_count = 1;
    const auto& discovery = found.data;
    if (text_wanted(context.options)) {
        if (discovery.pattern) {
            print(fmt::format("core_pattern: {} ({})\n", discovery.pattern->text,
                              diag::crash::handler_name(discovery.pattern->handler)));
        }
        print(fmt::format("{:<19} {:>7} {:>5} {:<7} {:<16} {:>12} {:<7} {}\n", "TIME", "PID", "UID",
                          "SIGNAL", "EXECUTABLE", "BYTES", "PRESENT", "PATH"));
    }
    for (const auto& core : discovery.cores) {
        const auto signal =
            core.signal ? std::string(diag::crash::signal_name(*core.signal).value_or("?")) : "-";
        if (text_wanted(context.options)) {
            print(fmt::format(
                "{:<19} {:>7} {:>5} {:<7} {:<16} {:>12} {:<7} {}\n", when(core.time),
                optional_text(core.pid), optional_text(core.uid), signal,
                core.executable.empty() ? "-" : core.executable, optional_text(core.size_bytes),
                core.core_present ? "yes" : "no",
                core.path.empty() ? "(journal only)" : context.root.display(core.path)));
        }
        diag::Finding finding{
            diag::Severity::info,
            "crash.core.found",
            context.root.display(core.path),
            fmt::format("core of {}", core.executable.empty() ? "?" : core.executable),
            {},
            core.time,
            "core_pattern(5) stores"};
        finding.evidence.push_back({"core_present", core.core_present});
        if (core.pid) {
            finding.evidence.push_back({"pid", static_cast<std::int64_t>(*core.pid)});
        }
        if (core.size_bytes) {
            finding.evidence.push_back({"size_bytes", *core.size_bytes});
        }
        finding.evidence.push_back({"signal", signal});
        report.findings.push_back(std::move(finding));
    }
    std::map<std::pair<std::string, std::string>, double> counts;
    for (const auto& core : discovery.cores) {
        const auto signal =
            core.signal ? std::string(diag::crash::signal_name(*core.signal).value_or("?")) : "";
        counts[{core.executable, signal}] += 1.0;
    }
    for (const auto& [key, count] : counts) {
        report.metrics.push_back({"diag_coredumps_total",
                                  "crashes recorded on the box by executable and signal",
                                  diag::MetricType::counter,
                                  {{"executable", key.first}, {"signal", key.second}},
                                  count});
    }
    judge_new_crashes(context, given, discovery.cores, started, report);
    return report;
}

struct Group {
    std::size_t count = 0;
    std::optional<std::chrono::system_clock::time_point> first;
    std::optional<std::chrono::system_clock::time_point> last;
    std::string example;
};

diag::Report group_cores(const diag::ToolContext& context, const CoreOptions& given) {
    auto found = diag::crash::discover_cores(context.root, {given.directories});
    diag::Report report;
    report.issues = found.issues;
    report.assessed_count = 1;
    std::map<std::string, Group> groups;
    for (const auto& core : found.data.cores) {
        if (!core.core_present) {
            continue;
        }
        auto readable = diag::crash::make_readable(context.root, core);
        if (!readable) {
            report.issues.push_back(
                {diag::IssueLevel::error, "read", core.path, readable.error(), ""});
            continue;
        }
        auto analysed = diag::crash::analyse_core(readable->path(), analysis_options(given));
        const auto key = analysed.data.signature.empty() ? "(no stack)" : analysed.data.signature;
        auto& group = groups[key];
        ++group.count;
        if (core.time && (!group.first || *core.time < *group.first)) {
            group.first = core.time;
        }
        if (core.time && (!group.last || *core.time > *group.last)) {
            group.last = core.time;
        }
        group.example = context.root.display(core.path);
    }
    for (const auto& [signature, group] : groups) {
        if (text_wanted(context.options)) {
            print(fmt::format("{:>5}  {} .. {}  {}\n       e.g. {}\n", group.count,
                              when(group.first), when(group.last), signature, group.example));
        }
        diag::Finding finding{diag::Severity::warning,
                              "crash.group",
                              signature,
                              fmt::format("{} crash(es) with this signature", group.count),
                              {},
                              group.last,
                              "diag-core(1) CRASH GROUPS"};
        finding.evidence.push_back({"crashes_count", static_cast<std::uint64_t>(group.count)});
        finding.evidence.push_back({"first_seen", when(group.first)});
        finding.evidence.push_back({"last_seen", when(group.last)});
        report.findings.push_back(std::move(finding));
    }
    return report;
}

diag::Report live(const diag::ToolContext& context, const CoreOptions& given) {
    const auto options = analysis_options(given);
    auto collected =
        diag::crash::analyse_process(context.root, given.pid, options.backtrace, options.deadline);
    if (text_wanted(context.options) && !collected.data.name.empty()) {
        print(diag::crash::format_live_text(collected.data) + "\n");
    }
    auto report = diag::crash::assess_live(collected.data);
    report.issues.insert(report.issues.end(), collected.issues.begin(), collected.issues.end());
    return report;
}

// --write: raises RLIMIT_CORE of the process tree when the limit is what keeps cores away.
void write_core_limits(const diag::ToolContext& context, int pid, diag::Report& report) {
    for (const int member : diag::crash::process_tree(context.root, pid)) {
        auto raised = diag::crash::raise_core_limit(member);
        if (!raised) {
            report.issues.push_back({diag::IssueLevel::error, "prlimit",
                                     fmt::format("pid {}", member), raised.error(),
                                     "run as root or as the process's owner"});
            continue;
        }
        const auto summary = fmt::format("RLIMIT_CORE now soft {}, hard {}",
                                         diag::crash::describe_limit(raised->soft_bytes),
                                         diag::crash::describe_limit(raised->hard_bytes));
        if (text_wanted(context.options)) {
            print(fmt::format("pid {}: {}\n", member, summary));
        }
        report.findings.push_back({diag::Severity::info,
                                   "crash.enable.limit_raised",
                                   fmt::format("pid {}", member),
                                   summary,
                                   {},
                                   std::nullopt,
                                   "prlimit(2)"});
    }
}

diag::Report enable_cores(const diag::ToolContext& context, const CoreOptions& given) {
    auto setup = diag::crash::read_core_setup(context.root, given.pid);
    diag::Report report;
    report.issues = setup.issues;
    auto verdict = diag::crash::assess_core_setup(setup.data);
    if (given.write && verdict.limit_blocks) {
        write_core_limits(context, given.pid, report);
        setup = diag::crash::read_core_setup(context.root, given.pid);
        verdict = diag::crash::assess_core_setup(setup.data);
    } else if (given.write) {
        report.issues.push_back({diag::IssueLevel::info, "write", "RLIMIT_CORE",
                                 "the limit is not what decides; nothing changed",
                                 "core_pattern is the administrator's: see diag-core(1)"});
    }
    const auto subject =
        given.pid == 0 ? std::string("this shell's processes") : fmt::format("pid {}", given.pid);
    if (text_wanted(context.options)) {
        print(fmt::format("a crash of {} now: {}\n", subject, verdict.summary));
        for (const auto& reason : verdict.reasons) {
            print(fmt::format("  {}\n", reason));
        }
    }
    diag::Finding finding{verdict.core_kept ? diag::Severity::ok : diag::Severity::warning,
                          "crash.enable.verdict",
                          subject,
                          verdict.summary,
                          {},
                          std::nullopt,
                          "core(5); systemd-coredump(8); diag-core(1) ENABLING CORES"};
    finding.evidence.push_back({"core_kept", verdict.core_kept});
    finding.evidence.push_back({"core_pattern", setup.data.pattern.text});
    if (setup.data.limit) {
        finding.evidence.push_back(
            {"rlimit_core_soft", diag::crash::describe_limit(setup.data.limit->soft_bytes)});
    }
    report.findings.push_back(std::move(finding));
    report.assessed_count = 1;
    return report;
}

std::expected<void, std::string> validate(const CoreOptions& given) {
    const int modes = (given.list ? 1 : 0) + (given.group ? 1 : 0) + (given.enable ? 1 : 0) +
                      (given.pid != 0 && !given.enable ? 1 : 0) + (given.core.empty() ? 0 : 1);
    if (modes != 1) {
        return std::unexpected("give one of CORE, --list, --group, --enable or -p PID");
    }
    if (given.write && (!given.enable || given.pid == 0)) {
        return std::unexpected("--write goes with --enable -p PID");
    }
    if (given.pid < 0) {
        return std::unexpected("-p takes a process id");
    }
    if (given.frames < 1 || given.frames > 100000) {
        return std::unexpected("-n takes a frame count from 1 to 100000");
    }
    if (!(given.unwind_seconds > 0.0 && given.unwind_seconds <= 3600.0)) {
        return std::unexpected("--unwind-timeout takes seconds from 0 to 3600");
    }
    return {};
}

}  // namespace

int main(int argc, char** argv) {
    CoreOptions given;
    diag::CommandLine cli(
        {"diag-core",
         "What killed a process and why, from its core dump; every core on the box; "
         "what a hung process is waiting for.",
         "[OPTION]... CORE | --list | --group | -p PID | --enable [-p PID [--write]]", "",
         "With CORE, the signal, the likely cause and every thread's stack (identical stacks "
         "folded). Debuginfo is found through /usr/lib/debug/.build-id, .gnu_debuglink and "
         "debuginfod when DEBUGINFOD_URLS is set. A process that crashed is critical."});
    cli.tool_options().add_options()(
        "exe", po::value(&given.exe)->value_name("FILE"),
        "the executable that crashed, when the core's path is gone; used only if its build-id "
        "matches")("list", po::bool_switch(&given.list),
                   "list the cores on this box (core_pattern, systemd-coredump, apport)")(
        "group", po::bool_switch(&given.group),
        "group every core found by the signature of its crashing stack")(
        "enable", po::bool_switch(&given.enable),
        "say what a crash would leave under this core_pattern and RLIMIT_CORE (of -p PID, or "
        "of this shell)")("write", po::bool_switch(&given.write),
                          "with --enable -p PID: raise RLIMIT_CORE of PID and its descendants "
                          "when the limit keeps cores away")(
        "pid,p", po::value(&given.pid)->value_name("PID"),
        "every thread's stack of a running process, with state and wchan")(
        "frames,n", po::value(&given.frames)->default_value(64)->value_name("N"),
        "at most N frames per thread")(
        "dir", po::value(&given.directories)->composing()->value_name("DIR"),
        "also look for plain core files in DIR (repeatable)")(
        "unwind-timeout",
        po::value(&given.unwind_seconds)->default_value(60.0)->value_name("SECONDS"),
        "deadline for unwinding one core or process")(
        "debuginfo-cache",
        po::value(&given.debuginfo_cache)->value_name("DIR")->default_value(given.debuginfo_cache),
        "keep inflated copies of compressed debug files in DIR, one per build-id, so later "
        "unwinds skip the inflating; an empty DIR keeps none")(
        "state-dir", po::value(&given.state_dir)->value_name("DIR")->default_value(given.state_dir),
        "with --list --nagios: alert on the crashes since the last such run, whose time is kept "
        "in DIR/core-state.json; an empty DIR keeps none");
    cli.hidden_options().add_options()("core", po::value(&given.core), "core file");
    cli.positional().add("core", 1);

    diag::ToolSteps steps;
    steps.validate = [&] { return validate(given); };
    steps.collect = [&](const diag::ToolContext& context) {
        given.state_dir = diag::from_working_directory(given.state_dir);
        if (context.root.is_live()) {
            for (auto& directory : given.directories) {
                directory = diag::from_working_directory(directory);
            }
        }
        if (given.list) {
            return list_cores(context, given);
        }
        if (given.group) {
            return group_cores(context, given);
        }
        if (given.enable) {
            return enable_cores(context, given);
        }
        if (given.pid != 0) {
            return live(context, given);
        }
        return one_core(context, given);
    };
    return diag::run_tool(cli, argc, argv, steps);
}
