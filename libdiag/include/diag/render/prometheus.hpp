#pragma once

#include <diag/core/report.hpp>
#include <diag/core/run_info.hpp>

#include <string>

namespace diag {

/// The Prometheus text exposition format (version 0.0.4) for node_exporter's textfile collector:
/// the report's own metrics grouped into families with HELP and TYPE, and for every run
/// diag_finding_severity, diag_findings, diag_collection_issues, diag_run_complete,
/// diag_run_timestamp_seconds and diag_run_duration_seconds. Every sample carries a "tool"
/// label, so files of several tools can share one textfile directory.
std::string render_prometheus(const Report& report, const RunInfo& run);

/// Escapes a label value: backslash, double quote and newline.
std::string escape_label_value(std::string_view value);

}  // namespace diag
