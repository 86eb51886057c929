#pragma once

#include <chrono>
#include <expected>
#include <optional>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

namespace diag {

/// When the text output uses colour.
enum class ColorMode { automatic, always, never };

/// Options every tool takes. Parsing fills this plain struct and nothing else happens.
struct CommonOptions {
    bool help = false;
    bool version = false;
    /// 0 warnings only, 1 info (-v), 2 debug (-vv).
    int verbosity = 0;
    bool quiet = false;
    bool json = false;
    bool nagios = false;
    std::optional<std::string> prom_file;
    ColorMode color = ColorMode::automatic;
    std::string root = "/";
    /// Deadline for each probe.
    std::chrono::milliseconds timeout{5000};
    /// Nagios thresholds, "RANGE" or "LABEL=RANGE".
    std::vector<std::string> warning;
    std::vector<std::string> critical;
};

/// What a tool says about itself in --help, -V and Nagios output.
struct ToolInfo {
    /// "diag-sys".
    std::string name;
    /// One line: what it is for.
    std::string summary;
    /// What follows the name in the usage line, such as "[OPTION]... [DEVICE]...".
    std::string usage = "[OPTION]...";
    /// The perfdata label a bare -w/-c range applies to; empty when the tool has none.
    std::string primary_perfdata;
    /// Extra paragraphs after the options, before the exit codes.
    std::string epilog;
};

/// The command line of one tool: the common options in the Input, Output and General groups,
/// plus the tool's own options. Parsing has no side effects; errors come back as text.
class CommandLine {
public:
    explicit CommandLine(ToolInfo info);

    /// Options of the tool itself; shown first in --help under the tool's name.
    boost::program_options::options_description& tool_options() { return tool_; }
    /// Options that take the positional arguments; not shown in --help.
    boost::program_options::options_description& hidden_options() { return hidden_; }
    /// Maps positional arguments to hidden options.
    boost::program_options::positional_options_description& positional() { return positional_; }

    /// Parses argv into CommonOptions and the tool's own variables (through their notifiers).
    /// The error is one line, such as "unrecognised option '--foo'".
    std::expected<CommonOptions, std::string> parse(int argc, const char* const* argv);

    /// The full --help text, grouped, with defaults, ending with the exit codes and man page.
    [[nodiscard]] std::string help() const;
    [[nodiscard]] const ToolInfo& info() const { return info_; }

private:
    ToolInfo info_;
    CommonOptions parsed_;
    std::string color_text_ = "auto";
    double timeout_seconds_ = 5.0;
    boost::program_options::options_description tool_;
    boost::program_options::options_description hidden_;
    boost::program_options::options_description input_;
    boost::program_options::options_description output_;
    boost::program_options::options_description general_;
    boost::program_options::positional_options_description positional_;
};

/// True when stdout text should be coloured: --color=always, or auto on a terminal whose TERM
/// is not "dumb" and with NO_COLOR unset or empty (https://no-color.org).
bool use_color(ColorMode mode);

}  // namespace diag
