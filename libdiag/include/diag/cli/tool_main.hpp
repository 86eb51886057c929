#pragma once

#include <diag/cli/command_line.hpp>
#include <diag/core/report.hpp>
#include <diag/core/root.hpp>

#include <chrono>
#include <expected>
#include <functional>
#include <optional>
#include <string>

namespace diag {

/// What a tool's collect step gets: the parsed common options and the opened root.
struct ToolContext {
    const CommonOptions& options;
    const Root& root;
};

/// The two steps a tool supplies; run_tool does everything around them.
struct ToolSteps {
    /// Checks the tool's own options after parsing; the error is a one-line usage message.
    std::function<std::expected<void, std::string>()> validate;
    /// An action that replaces collection, such as --list; returns the exit status when it
    /// ran, nullopt to go on and collect.
    std::function<std::optional<int>()> instead;
    /// Probes, decodes and assesses. Must not throw; if it does, the exception becomes an
    /// Issue and whatever other output there is still goes out.
    std::function<Report(const ToolContext&)> collect;
    /// How long the whole collection and its output may take, from the options, counted from
    /// the start of collection; nullopt (or no function) waits as long as it takes, as a run
    /// that samples until Ctrl-C must. When it passes, the collecting child is killed and
    /// what is printed instead is a report of one Issue saying so (exit status 3).
    std::function<std::optional<std::chrono::milliseconds>(const CommonOptions&)> time_limit;
};

/// Installs diag::crash::install_crash_handler for the tool's own crashes (stderr), except in
/// sanitizer builds, whose handlers report better. A failure is logged at debug and ignored.
void install_tool_crash_handler();

/// The whole life of a tool run: crash handler, parse, -h/-V, logging, open the root, collect,
/// apply -w/-c, render text, JSON or Nagios to stdout, write --prom atomically, and return the exit
/// status.
int run_tool(CommandLine& cli, int argc, const char* const* argv, const ToolSteps& steps);

}  // namespace diag
