#pragma once

#include <diag/core/report.hpp>
#include <diag/core/run_info.hpp>

#include <string>

namespace diag {

/// How the text form looks.
struct TextStyle {
    /// ANSI colours for severities; the caller decides (TTY, --color, NO_COLOR).
    bool color = false;
    /// Show the evidence of ok and info findings too, not only of warnings and criticals.
    bool verbose = false;
};

/// The report for a person: a header, findings worst first in aligned columns with their
/// evidence, the Issues, and a one-line summary. Text from the machine is escaped.
std::string render_text(const Report& report, const RunInfo& run, const TextStyle& style);

}  // namespace diag
