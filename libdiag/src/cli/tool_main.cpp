#include "diag/cli/tool_main.hpp"

#include "diag/core/atomic_file.hpp"
#include "diag/core/child_run.hpp"
#include "diag/core/log.hpp"
#include "diag/crash/crash_handler.hpp"
#include "diag/render/json.hpp"
#include "diag/render/nagios.hpp"
#include "diag/render/prometheus.hpp"
#include "diag/render/text.hpp"
#include "diag/version.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <exception>
#include <string_view>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <sys/utsname.h>

namespace diag {

namespace {

// AddressSanitizer reports a fault of its own program better than a backtrace does, and its
// SIGSEGV handler must stay in place: the crash handler stays out of sanitizer builds.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kUnderSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kUnderSanitizer = true;
#else
constexpr bool kUnderSanitizer = false;
#endif
#else
constexpr bool kUnderSanitizer = false;
#endif

int usage_error(const CommandLine& cli, int argc, const char* const* argv,
                const std::string& message) {
    const bool nagios = std::any_of(
        argv, argv + argc, [](const char* arg) { return std::string_view(arg) == "--nagios"; });
    const auto& name = cli.info().name;
    fmt::print(stderr, "{}: {}\nTry '{} --help' for more information.\n", name, message, name);
    return nagios ? kExitUnknown : kExitUsage;
}

std::string first_line(const std::expected<std::string, Error>& text) {
    if (!text) {
        return {};
    }
    return text->substr(0, text->find('\n'));
}

// The host name and kernel release for the report's header. On the live machine uname(2)
// gives what /proc/sys/kernel/{hostname,osrelease} hold (both are this UTS namespace's
// utsname) without a file, so without a thread to wait for; a captured tree has the files.
void name_host(const Root& root, RunInfo& run) {
    utsname names{};
    if (root.is_live() && ::uname(&names) == 0) {
        // Cut as the files' first lines are, should a name hold a newline.
        const auto line = [](std::string_view text) {
            return std::string(text.substr(0, text.find('\n')));
        };
        run.hostname = line(names.nodename);
        run.kernel_release = line(names.release);
        return;
    }
    // One batch, one thread: both are tiny and every tool pays for them.
    auto texts = root.read_files({"/proc/sys/kernel/hostname", "/proc/sys/kernel/osrelease"}, 4096);
    run.hostname = first_line(texts[0]);
    run.kernel_release = first_line(texts[1]);
}

Report collect_safely(const ToolSteps& steps, const ToolContext& context) {
    try {
        return steps.collect(context);
    } catch (const std::exception& e) {
        Report report;
        report.issues.push_back(Issue{IssueLevel::error, "collect", "",
                                      fmt::format("internal error: {}", e.what()),
                                      "please report this as a bug in diag"});
        return report;
    }
}

// The rendered output to stdout as it is: fmt::print("{}", text) would first copy it into a
// buffer of its own, grown by doubling (a report of hundreds of interfaces is several hundred
// KiB of JSON). False when it could not all be written.
bool write_stdout(const std::string& text) {
    return std::fwrite(text.data(), 1, text.size(), stdout) == text.size();
}

int write_outputs(const Report& report, const RunInfo& run, const CommonOptions& options) {
    int status = exit_status(report);
    bool stdout_written = true;
    if (options.nagios) {
        auto nagios = render_nagios(report, run);
        status = nagios.exit_status;
        if (!options.quiet) {
            stdout_written = write_stdout(nagios.text);
        }
    } else if (!options.quiet) {
        if (options.json) {
            stdout_written = write_stdout(render_json(report, run, status));
        } else {
            stdout_written = write_stdout(render_text(
                report, run, TextStyle{use_color(options.color), options.verbosity > 0}));
        }
    }
    if (std::fflush(stdout) != 0 || !stdout_written) {
        spdlog::error("write standard output: {}", std::strerror(errno));
        // A report that did not get out must not pass for "all is well".
        status = status == 0 ? kExitUnknown : status;
    }
    if (options.prom_file) {
        // 0644: node_exporter runs as its own user and must be able to read the file.
        constexpr mode_t kPromMode = 0644;
        auto written =
            write_file_atomically(*options.prom_file, render_prometheus(report, run), kPromMode);
        if (!written) {
            spdlog::error("{}", describe(written.error()));
            // A failed write must not pass for "all is well", nor hide a warning or critical.
            status = status == 0 ? kExitUnknown : status;
        }
    }
    return status;
}

// What the caller prints when the collecting child missed the tool's time limit: a report of
// one Issue, in the output form asked for. Nothing is read: the root may be what is stuck.
int report_missed_limit(const CommandLine& cli, int argc, const char* const* argv,
                        const CommonOptions& options, std::chrono::milliseconds limit,
                        std::chrono::system_clock::time_point started) {
    init_logging(cli.info().name, options.verbosity, options.quiet);
    RunInfo run;
    run.tool = cli.info().name;
    run.argv.assign(argv, argv + argc);
    run.started = started;
    run.root = options.root;
    utsname names{};
    // A captured tree's names are in the tree, which is not read.
    if (options.root == "/" && ::uname(&names) == 0) {
        run.hostname = names.nodename;
        run.kernel_release = names.release;
    }
    run.duration = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now() - started);
    Report report;
    report.issues.push_back(
        Issue{IssueLevel::error, "collect", run.tool,
              fmt::format("no report within {} ms: a probe is stuck where its own deadline cannot "
                          "reach (a driver holding a kernel lock, a hung filesystem)",
                          limit.count()),
              "the collecting process was killed and may linger until the kernel lets it go; "
              "look for processes in D state (ps -eo pid,stat,wchan,cmd) and retry"});
    return write_outputs(report, run, options);
}

}  // namespace

static int collect_and_render(const CommandLine& cli, int argc, const char* const* argv,
                              const ToolSteps& steps, const CommonOptions& options) {
    init_logging(cli.info().name, options.verbosity, options.quiet);
    if (steps.instead) {
        if (auto status = steps.instead()) {
            return *status;
        }
    }

    RunInfo run;
    run.tool = cli.info().name;
    run.argv.assign(argv, argv + argc);
    run.started = std::chrono::system_clock::now();
    const auto started_steady = std::chrono::steady_clock::now();

    Report report;
    auto root = Root::open(options.root, options.timeout);
    if (!root) {
        report.issues.push_back(to_issue(root.error()));
        run.root = options.root;
    } else {
        run.root = root->path();
        spdlog::info("reading {} ({}), {} ms deadline per probe", root->path(),
                     root->is_live() ? "live machine" : "captured tree", root->deadline().count());
        name_host(*root, run);
        report = collect_safely(steps, ToolContext{options, *root});
    }
    if (options.nagios) {
        auto applied = apply_thresholds(report, options.warning, options.critical,
                                        cli.info().primary_perfdata);
        if (!applied) {
            return usage_error(cli, argc, argv, applied.error());
        }
    }
    run.duration = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started_steady);
    spdlog::info("done in {} ms: {} findings, {} issues", run.duration.count(),
                 report.findings.size(), report.issues.size());
    return write_outputs(report, run, options);
}

void install_tool_crash_handler() {
    if constexpr (!kUnderSanitizer) {
        if (auto installed = crash::install_crash_handler(); !installed) {
            spdlog::debug("crash handler not installed: {}", std::strerror(installed.error()));
        }
    }
}

int run_tool(CommandLine& cli, int argc, const char* const* argv, const ToolSteps& steps) {
    install_tool_crash_handler();
    auto options = cli.parse(argc, argv);
    if (!options) {
        return usage_error(cli, argc, argv, options.error());
    }
    if (options->help) {
        fmt::print("{}", cli.help());
        return 0;
    }
    if (options->version) {
        fmt::print("{} (diag) {}\n", cli.info().name, kVersion);
        return 0;
    }
    if (steps.validate) {
        if (auto valid = steps.validate(); !valid) {
            return usage_error(cli, argc, argv, valid.error());
        }
    }
    // Collect in a child process, so a thread stuck in the kernel cannot keep the caller
    // waiting after the report is out.
    std::optional<ChildLimit> limit;
    if (auto wait = steps.time_limit ? steps.time_limit(*options) : std::nullopt) {
        const auto started = std::chrono::system_clock::now();
        limit = ChildLimit{*wait, [&, wait = *wait, started] {
                               return report_missed_limit(cli, argc, argv, *options, wait, started);
                           }};
    }
    return run_in_child([&] { return collect_and_render(cli, argc, argv, steps, *options); },
                        limit);
}

}  // namespace diag
