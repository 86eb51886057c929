#pragma once

#include <diag/core/collected.hpp>
#include <diag/core/report.hpp>
#include <diag/crash/backtrace.hpp>
#include <diag/crash/core_file.hpp>
#include <diag/crash/likely_cause.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace diag::crash {

/// Everything diag-core says about one core.
struct CoreAnalysis {
    std::string core_path;
    CoreLayout layout;
    std::optional<Backtrace> backtrace;
    /// The tid of the thread the signal hit (pr_cursig set; else the first thread).
    std::optional<int> crashing_tid;
    std::optional<std::string> abort_message;
    LikelyCause cause;
    /// The crash signature of the crashing thread (see crash_signature).
    std::string signature;
};

/// How to analyse.
struct AnalysisOptions {
    BacktraceOptions backtrace;
    /// The whole unwinding has this deadline; late, it becomes an Issue.
    std::chrono::milliseconds deadline{30000};
};

/// Reads a core file, unwinds it and applies the likely-cause rules. A truncated core, a
/// missing module or a build-id mismatch with options.backtrace.executable is an Issue; what
/// could be read is still returned.
Collected<CoreAnalysis> analyse_core(const std::string& core_path, const AnalysisOptions& options);

/// The crashing thread's stack, if it was unwound.
const ThreadStack* crashing_stack(const CoreAnalysis& analysis);

/// Frames a signature skips: glibc's abort, assert and malloc-error path and the signal
/// trampoline, so every assertion does not look alike.
bool is_abort_internal(std::string_view function);

/// A stable signature from the first three frames of a stack that are not abort internals:
/// "module!function" joined by " < "; pcs and offsets are left out so rebuilds match.
std::string crash_signature(const ThreadStack& stack);

/// The text report: signal, cause, registers of the crashing thread, then every thread's
/// stack with identical stacks folded.
std::string format_core_text(const CoreAnalysis& analysis);

/// One stack as text, gdb-like: "#3  0x... in main () at file.c:12:5 [prog+0x1234]".
std::string format_stack(const ThreadStack& stack);

/// The finding for one analysed core (critical: a process crashed).
Finding crash_finding(const CoreAnalysis& analysis);

}  // namespace diag::crash
