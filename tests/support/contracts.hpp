#pragma once

// The output contracts of ARCHITECTURE.md as checks tests share: the Nagios status line and
// the Prometheus text exposition format.

#include <string>
#include <string_view>
#include <vector>

namespace diag::test {

/// True when line is a monitoring-plugin status line as diag promises it:
/// "DIAG-TOOL STATUS - text[ | perfdata...]" with STATUS one of OK, WARNING, CRITICAL,
/// UNKNOWN, no '|' in the text, and each perfdata item 'label'=value[UOM][;warn;crit;min;max].
/// Source: Monitoring Plugins Development Guidelines, "Plugin Output", "Performance data".
bool is_nagios_status_line(std::string_view line);

/// Problems found in a Prometheus text exposition (version 0.0.4), empty when it is sound:
/// each family has one HELP and one TYPE before its samples, its samples are contiguous,
/// metric and label names are valid and start with "diag_", counters end in "_total", and
/// label values use only the escapes \\, \" and \n.
std::vector<std::string> prometheus_problems(std::string_view exposition);

}  // namespace diag::test
