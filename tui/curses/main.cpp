// diag-top: the whole box on one screen, live or from a captured tree, with the findings'
// evidence and the logs one key away. The only executable that draws with curses.

#include "terminal.hpp"

#include <diag/cli/command_line.hpp>
#include <diag/cli/tool_main.hpp>
#include <diag/collectors.hpp>
#include <diag/core/log.hpp>
#include <diag/core/report.hpp>
#include <diag/tui/live_model.hpp>
#include <diag/tui/screens.hpp>
#include <diag/version.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <unistd.h>

namespace po = boost::program_options;

namespace {

// How long one wait for a key lasts; the clock and the model are looked at in between.
constexpr std::chrono::milliseconds kInputWait{200};

// Set by the end-to-end tests: after each draw with nothing left to wait for, a line
// "ready keys=K resizes=R" is appended to this file, K and R being the keys and resizes handled
// so far, so a test knows its last key has been drawn without sleeping.
constexpr const char* kReadyFileVariable = "DIAG_TOP_READY_FILE";

int usage_error(const std::string& message) {
    fmt::print(stderr, "diag-top: {}\nTry 'diag-top --help' for more information.\n", message);
    return diag::kExitUsage;
}

std::expected<void, std::string> check_options(const diag::CommonOptions& options,
                                               double interval_seconds) {
    if (options.json || options.nagios || options.prom_file || options.quiet) {
        return std::unexpected(
            "diag-top is interactive; --json, --nagios, --prom and --quiet are diag-report's");
    }
    if (!(interval_seconds >= 1.0 && interval_seconds <= 300.0)) {
        return std::unexpected("--interval takes seconds from 1 to 300");
    }
    return {};
}

class ReadySignal {
public:
    ReadySignal() {
        if (const char* path = std::getenv(kReadyFileVariable); path != nullptr && *path != 0) {
            out_.open(path, std::ios::app);
        }
    }
    void drawn(std::uint64_t keys, std::uint64_t resizes, bool settled) {
        if (out_.is_open() && settled) {
            out_ << "ready keys=" << keys << " resizes=" << resizes << '\n' << std::flush;
        }
    }

private:
    std::ofstream out_;
};

// The event loop: keys to the UI state, requests to the model, a draw when anything shown
// changed. Returns when Q is pressed.
void run_screen(diag::tui::LiveModel& model, diag::tui::Terminal& terminal) {
    using namespace diag::tui;
    UiState state;
    ReadySignal ready;
    const Glyphs glyphs{terminal.utf8()};
    std::uint64_t keys = 0;
    std::uint64_t resizes = 0;
    std::uint64_t drawn_version = ~std::uint64_t{0};
    long long drawn_second = -1;
    bool dirty = true;
    while (!state.quit) {
        const auto version = model.version();
        auto snapshot = model.snapshot();
        const auto second =
            std::chrono::duration_cast<std::chrono::seconds>(snapshot.now.time_since_epoch())
                .count();
        if (dirty || version != drawn_version || second != drawn_second) {
            const auto timeline = model.timeline();
            terminal.draw(compose_screen(state, snapshot, timeline.get(), terminal.area(), glyphs));
            ready.drawn(keys, resizes, model.settled());
            drawn_version = version;
            drawn_second = second;
            dirty = false;
        }
        const auto input = terminal.read(kInputWait);
        if (input.resized) {
            terminal.resize();
            ++resizes;
            dirty = true;
        }
        if (!input.key) {
            continue;
        }
        ++keys;
        dirty = true;
        const auto timeline = model.timeline();
        const auto requests =
            handle_key(state, *input.key, snapshot, timeline.get(), terminal.area());
        if (requests.toggle_pause) {
            model.toggle_pause();
        }
        if (requests.interval_step != 0) {
            model.step_interval(requests.interval_step);
        }
        if (requests.need_timeline) {
            model.request_timeline();
        }
        if (requests.redraw) {
            terminal.repaint_all();
        }
    }
}

}  // namespace

int main(int argc, char** argv) {
    diag::install_tool_crash_handler();
    double interval_seconds = 5.0;
    diag::CommandLine cli({"diag-top",
                           "The whole box on one screen: every diag collector, refreshed on the "
                           "live box, with each finding's evidence and the logs around it.",
                           "[OPTION]...", "",
                           "Keys: ? or F1 shows them all; Q quits. Nothing diag-top does changes "
                           "the machine."});
    cli.tool_options().add_options()(
        "interval", po::value(&interval_seconds)->default_value(5.0)->value_name("SECONDS"),
        "refresh the live box every SECONDS (1 to 300; + and - change it while running)");
    auto options = cli.parse(argc, argv);
    if (!options) {
        return usage_error(options.error());
    }
    if (options->help) {
        fmt::print("{}", cli.help());
        return 0;
    }
    if (options->version) {
        fmt::print("diag-top (diag) {}\n", diag::kVersion);
        return 0;
    }
    if (auto valid = check_options(*options, interval_seconds); !valid) {
        return usage_error(valid.error());
    }
    if (::isatty(STDIN_FILENO) != 1 || ::isatty(STDOUT_FILENO) != 1) {
        fmt::print(stderr,
                   "diag-top: needs a terminal on stdin and stdout; diag-report prints "
                   "the same findings as text or JSON\n");
        return diag::kExitUnknown;
    }
    auto root = diag::Root::open(options->root, options->timeout);
    if (!root) {
        fmt::print(stderr, "diag-top: {}\n", diag::describe(diag::to_issue(root.error())));
        return diag::kExitUnknown;
    }
    // Diagnostics on stderr would land in the middle of the screen; what matters is shown as
    // Issues on it.
    diag::init_logging("diag-top", options->verbosity, true);
    spdlog::set_level(spdlog::level::off);

    diag::tui::LiveModel model(std::move(*root), diag::registered_collectors(),
                               std::chrono::seconds(static_cast<long>(interval_seconds)));
    try {
        diag::tui::Terminal terminal(diag::use_color(options->color));
        run_screen(model, terminal);
    } catch (const std::runtime_error& error) {
        fmt::print(stderr, "diag-top: {}\n", error.what());
        std::fflush(nullptr);
        std::_Exit(diag::kExitUnknown);
    }
    // A collector may still be inside a read stuck in the kernel: leave without running the
    // static destructors under its feet, as soon as the terminal is restored.
    std::fflush(nullptr);
    std::_Exit(0);
}
