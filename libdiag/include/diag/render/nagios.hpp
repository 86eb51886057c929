#pragma once

#include <diag/core/report.hpp>
#include <diag/core/run_info.hpp>

#include <expected>
#include <string>
#include <vector>

namespace diag {

/// What a monitoring plugin prints and returns.
struct NagiosOutput {
    std::string text;
    int exit_status = 3;
};

/// Renders the monitoring-plugins contract: "DIAG-SYS WARNING - summary | perfdata" on the
/// first line, one line per finding at warning or above and per Issue after it; exit status
/// 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (nothing could be assessed).
/// Source: Monitoring Plugins Development Guidelines, "Plugin Output", "Performance data".
NagiosOutput render_nagios(const Report& report, const RunInfo& run);

/// "value" formatted for perfdata: plain decimal, no exponent, no trailing zeros.
std::string format_perfdata_number(double value);

/// One perfdata item: 'label'=value[UOM];[warn];[crit];[min];[max].
std::string format_perfdata(const Perfdata& item);

/// Applies -w/-c given on the command line. Each entry is "RANGE" (for the tool's primary
/// perfdata label) or "LABEL=RANGE". The ranges are attached to the perfdata, and a value that
/// breaks one adds a finding "nagios.threshold" of that severity. Fails on a malformed range
/// or an unknown label, naming it.
std::expected<void, std::string> apply_thresholds(Report& report,
                                                  const std::vector<std::string>& warning,
                                                  const std::vector<std::string>& critical,
                                                  const std::string& primary_label);

}  // namespace diag
