#include "diag/cli/command_line.hpp"

#include <algorithm>
#include <cstdlib>
#include <sstream>

#include <fmt/format.h>

#include <unistd.h>

namespace po = boost::program_options;

namespace diag {

CommandLine::CommandLine(ToolInfo info)
    : info_(std::move(info)),
      tool_(info_.name + " options"),
      input_("Input"),
      output_("Output"),
      general_("General") {
    input_.add_options()(
        "root", po::value(&parsed_.root)->default_value("/")->value_name("DIR"),
        "read the machine under DIR instead of the live box (a capture bundle, an unpacked "
        "sosreport, a scenario root)")(
        "timeout", po::value(&timeout_seconds_)->default_value(5.0)->value_name("SECONDS"),
        "deadline in seconds for each probe; a probe that misses it becomes an issue");
    output_.add_options()("json", po::bool_switch(&parsed_.json),
                          "print one JSON object instead of text")(
        "nagios", po::bool_switch(&parsed_.nagios),
        "print a monitoring-plugin status line with perfdata; exit 0-3")(
        "prom", po::value<std::string>()->value_name("FILE"),
        "also write Prometheus metrics to FILE, atomically (node_exporter textfile collector)")(
        "color", po::value(&color_text_)->default_value("auto")->value_name("WHEN"),
        "colour text output: auto, always or never (NO_COLOR is honoured under auto)")(
        "warning,w", po::value(&parsed_.warning)->composing()->value_name("[LABEL=]RANGE"),
        "with --nagios: warn when perfdata LABEL is outside RANGE ([@]start:end, ~ for -inf)")(
        "critical,c", po::value(&parsed_.critical)->composing()->value_name("[LABEL=]RANGE"),
        "with --nagios: critical when perfdata LABEL is outside RANGE")(
        "quiet,q", po::bool_switch(&parsed_.quiet),
        "print nothing on stdout; only the exit status tells (and --prom still writes)");
    general_.add_options()("help,h", po::bool_switch(&parsed_.help), "show this help and exit")(
        "version,V", po::bool_switch(&parsed_.version), "show the version and exit")(
        "verbose,v", "say more about what diag itself does, on stderr (-vv for debug)");
}

std::expected<CommonOptions, std::string> CommandLine::parse(int argc, const char* const* argv) {
    po::options_description all;
    all.add(tool_).add(hidden_).add(input_).add(output_).add(general_);
    po::variables_map vm;
    try {
        auto parsed = po::command_line_parser(argc, argv)
                          .options(all)
                          .positional(positional_)
                          .style(po::command_line_style::default_style &
                                 ~po::command_line_style::allow_guessing)
                          .run();
        // -v may repeat (-v -v, -vv); count it here, since a variables_map keeps one value.
        auto& options = parsed.options;
        parsed_.verbosity =
            static_cast<int>(std::count_if(options.begin(), options.end(), [](const po::option& o) {
                return o.string_key == "verbose";
            }));
        std::erase_if(options, [](const po::option& o) { return o.string_key == "verbose"; });
        po::store(parsed, vm);
        po::notify(vm);
    } catch (const po::error& e) {
        return std::unexpected(std::string(e.what()));
    }
    if (vm.count("prom") != 0) {
        parsed_.prom_file = vm["prom"].as<std::string>();
    }
    if (color_text_ == "auto") {
        parsed_.color = ColorMode::automatic;
    } else if (color_text_ == "always") {
        parsed_.color = ColorMode::always;
    } else if (color_text_ == "never") {
        parsed_.color = ColorMode::never;
    } else {
        return std::unexpected(
            fmt::format("--color takes auto, always or never, not '{}'", color_text_));
    }
    // Deadlines are whole milliseconds: anything below one would become a zero deadline that
    // every probe misses.
    if (!(timeout_seconds_ >= 0.001 && timeout_seconds_ <= 3600.0)) {
        return std::unexpected(fmt::format("--timeout takes seconds between 0.001 and 3600, not {}",
                                           timeout_seconds_));
    }
    parsed_.timeout = std::chrono::milliseconds(static_cast<long>(timeout_seconds_ * 1000.0));
    if (parsed_.json && parsed_.nagios) {
        return std::unexpected("--json and --nagios cannot be used together");
    }
    if ((!parsed_.warning.empty() || !parsed_.critical.empty()) && !parsed_.nagios) {
        return std::unexpected("-w and -c only apply with --nagios");
    }
    return parsed_;
}

std::string CommandLine::help() const {
    std::ostringstream out;
    out << fmt::format("Usage: {} {}\n{}\n\n", info_.name, info_.usage, info_.summary);
    if (!tool_.options().empty()) {
        out << tool_ << "\n";
    }
    out << input_ << "\n" << output_ << "\n" << general_ << "\n";
    if (!info_.epilog.empty()) {
        out << info_.epilog << "\n\n";
    }
    out << "Exit status:\n"
           "  0   nothing at warning or above\n"
           "  1   at least one warning\n"
           "  2   at least one critical finding\n"
           "  3   nothing could be assessed, or all was well but the --prom file could not\n"
           "      be written\n"
           " 64   usage error (3 under --nagios)\n\n"
        << fmt::format("See {}(1) and diag(7).\n", info_.name);
    return out.str();
}

bool use_color(ColorMode mode) {
    if (mode != ColorMode::automatic) {
        return mode == ColorMode::always;
    }
    const char* no_color = std::getenv("NO_COLOR");
    if (no_color != nullptr && *no_color != '\0') {
        return false;
    }
    const char* term = std::getenv("TERM");
    if (term == nullptr || std::string_view(term) == "dumb") {
        return false;
    }
    return ::isatty(STDOUT_FILENO) == 1;
}

}  // namespace diag
