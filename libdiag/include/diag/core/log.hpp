#pragma once

#include <string>

namespace diag {

/// Sends diag's own diagnostics to stderr as "TOOL: LEVEL: message". Level warn by default,
/// info with verbosity 1 (-v), debug with 2 (-vv), error only when quiet. Results never go
/// through the log, and the contents of log lines are never logged above debug.
void init_logging(const std::string& tool, int verbosity, bool quiet);

}  // namespace diag
