// diag-nic: NIC error counters, rates and link flaps by layer, from netlink, ethtool and /proc.

#include <diag/cli/tool_main.hpp>
#include <diag/core/units.hpp>
#include <diag/net/nic_assess.hpp>
#include <diag/net/nic_sampler.hpp>
#include <diag/net/nic_snapshot.hpp>
#include <diag/net/nic_window.hpp>
#include <diag/render/escape.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <limits>
#include <optional>
#include <string_view>

#include <fmt/chrono.h>
#include <fmt/format.h>

namespace po = boost::program_options;

namespace {

struct NicOptions {
    std::vector<std::string> interfaces;
    bool all = false;
    double interval_seconds = 0.0;
    unsigned count = 0;
    bool watch = false;
    bool no_ethtool = false;
};

// Seconds --nagios samples when no --interval is given: a plugin wants rates, not totals.
constexpr double kNagiosSampleSeconds = 1.0;

// A snapshot waits on at most a few deadlines one after another (the netlink dump, the ethtool
// worker, the /proc reads begun beside them, a captured tree's files); the run may take this
// many --timeout spans, plus kSpareTime for the work itself, before the caller gives up on it.
constexpr int kDeadlinesPerSnapshot = 4;
constexpr std::chrono::milliseconds kSpareTime{1000};

// The caller's limit on one run (see ToolSteps::time_limit): every snapshot's deadlines and the
// sampling window; none for --watch, which runs until Ctrl-C.
std::optional<std::chrono::milliseconds> time_limit(const diag::CommonOptions& options,
                                                    const NicOptions& nic) {
    if (nic.watch) {
        return std::nullopt;
    }
    double interval = nic.interval_seconds;
    if (interval <= 0 && options.nagios) {
        interval = kNagiosSampleSeconds;
    }
    const unsigned intervals = interval > 0 ? std::max(nic.count, 1U) : 0;
    const auto window = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::duration<double>(interval * intervals));
    return window + options.timeout * kDeadlinesPerSnapshot * (intervals + 1) + kSpareTime;
}

std::atomic<bool> g_interrupted{false};

extern "C" void on_interrupt(int /*signal*/) {
    g_interrupted.store(true);
}

// A short state for the --watch lines: admin down, or the operstate.
std::string state_word(const diag::net::Interface& interface) {
    if (interface.admin_up == false) {
        return "off";
    }
    return interface.operstate ? std::string(diag::net::to_string(*interface.operstate)) : "?";
}

// One line per interface with the rates of the last interval, for --watch.
bool print_watch_lines(const diag::net::NicSamples& samples,
                       const diag::net::NicSelection& selection) {
    const auto& snaps = samples.snapshots;
    const auto window = diag::net::compute_window(std::span(snaps).last(2));
    const auto& last = snaps.back();
    for (const auto& interface : last.interfaces) {
        const auto* w = window.find(interface.name);
        if (!selection.selects(interface) || w == nullptr) {
            continue;
        }
        auto rate = [&](diag::net::LinkCounter c) {
            const auto& d = w->get(c);
            return d ? fmt::format("{:.0f}", d->per_second) : std::string("-");
        };
        using C = diag::net::LinkCounter;
        fmt::print("{:%H:%M:%S} {:<16} {:<8} rx {}/s tx {}/s err {}/{} drop {}/{} flaps {}\n",
                   fmt::localtime(std::chrono::system_clock::to_time_t(last.taken)),
                   diag::escape_for_terminal(interface.name), state_word(interface),
                   rate(C::rx_packets), rate(C::tx_packets), rate(C::rx_errors), rate(C::tx_errors),
                   rate(C::rx_dropped), rate(C::tx_dropped),
                   w->carrier_down ? std::to_string(w->carrier_down->delta) : "-");
    }
    std::fflush(stdout);
    return !g_interrupted.load();
}

diag::Report collect(const diag::ToolContext& context, const NicOptions& nic) {
    diag::net::NicProbeOptions probe;
    probe.selection = {nic.interfaces, nic.all};
    probe.ethtool = !nic.no_ethtool;
    // Metrics are what --prom writes; JSON and text carry the counters in the findings.
    const bool metrics = context.options.prom_file.has_value();

    double interval = nic.interval_seconds;
    if (interval <= 0 && (context.options.nagios || nic.watch)) {
        interval = kNagiosSampleSeconds;
    }
    diag::Report report;
    if (interval > 0 && !context.root.is_live()) {
        report.issues.push_back({diag::IssueLevel::info, "sample", "counters",
                                 "sampling needs the live machine; judged since boot",
                                 "run without --root"});
        interval = 0;
    }
    if (interval <= 0) {
        auto snapshot = diag::net::probe_nic(context.root, probe);
        report.merge(diag::net::assess_nic(snapshot.data, nullptr, probe.selection, metrics));
        report.issues.insert(report.issues.end(), snapshot.issues.begin(), snapshot.issues.end());
        return report;
    }
    diag::net::NicSampling sampling;
    sampling.interval_seconds = interval;
    sampling.count =
        nic.count > 0 ? nic.count : (nic.watch ? std::numeric_limits<unsigned>::max() : 1);
    if (nic.watch && !context.options.json && !context.options.nagios) {
        std::signal(SIGINT, on_interrupt);
        sampling.on_sample = [&](const diag::net::NicSamples& samples) {
            return print_watch_lines(samples, probe.selection);
        };
    }
    auto samples = diag::net::sample_nic(context.root, probe, sampling);
    const auto& snaps = samples.data.snapshots;
    const auto window = diag::net::compute_window(
        snaps, samples.data.watched ? samples.data.events : std::vector<diag::net::LinkEvent>{});
    report.merge(diag::net::assess_nic(snaps.back(), &window, probe.selection, metrics));
    report.issues.insert(report.issues.end(), samples.issues.begin(), samples.issues.end());
    return report;
}

}  // namespace

int main(int argc, char** argv) {
    NicOptions nic;
    diag::CommandLine cli(
        {"diag-nic",
         "NIC error counters, rates and link flaps by layer (physical, ring/driver, stack, TCP, "
         "link) from rtnetlink, ethtool and /proc, judged.",
         "[OPTION]... [IFACE]...", "errors_per_s",
         "Without IFACE, physical interfaces are shown (with their bond or team); --all adds "
         "the virtual ones (veth, bridge, vlan, tun, lo). Without --interval the counters since "
         "boot are judged, mildly; with it, rates over the window (--nagios samples 1 s)."});
    cli.tool_options().add_options()("all,a", po::bool_switch(&nic.all),
                                     "include virtual interfaces")(
        "interval,i", po::value(&nic.interval_seconds)->value_name("SECONDS"),
        "sample counters SECONDS apart and judge rates over the window")(
        "count,n", po::value(&nic.count)->value_name("N"),
        "number of intervals to sample (default 1; with --watch, until Ctrl-C)")(
        "watch,W", po::bool_switch(&nic.watch),
        "print rates after every interval, judge the whole window at the end")(
        "no-ethtool", po::bool_switch(&nic.no_ethtool),
        "skip the ethtool ioctls (driver statistics, link settings)");
    cli.hidden_options().add_options()("iface", po::value(&nic.interfaces)->composing());
    cli.positional().add("iface", -1);

    // --watch ends with Ctrl-C: the caller's half of run_tool must outlive it and print the
    // report, so it ignores SIGINT; the collecting child installs its own handler.
    if (std::any_of(argv + 1, argv + argc,
                    [](const char* arg) { return std::string_view(arg) == "--watch"; })) {
        std::signal(SIGINT, SIG_IGN);
    }

    diag::ToolSteps steps;
    steps.validate = [&]() -> std::expected<void, std::string> {
        constexpr double kMaxInterval = 3600.0;
        if (nic.interval_seconds < 0 || nic.interval_seconds > kMaxInterval) {
            return std::unexpected("--interval takes seconds from 0 to 3600");
        }
        if (nic.count > 0 && nic.interval_seconds <= 0 && !nic.watch) {
            return std::unexpected("--count needs --interval");
        }
        return {};
    };
    steps.collect = [&](const diag::ToolContext& context) { return collect(context, nic); };
    steps.time_limit = [&](const diag::CommonOptions& options) { return time_limit(options, nic); };
    return diag::run_tool(cli, argc, argv, steps);
}
