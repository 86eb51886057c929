#pragma once

#include <diag/core/report.hpp>
#include <diag/core/run_info.hpp>

#include <string>

#include <nlohmann/json.hpp>

namespace diag {

/// Version of the JSON schema: major changes break readers, minor ones only add keys.
inline constexpr int kJsonFormatMajor = 1;
inline constexpr int kJsonFormatMinor = 0;

/// The whole run as one JSON object: json_format_version, a "diag" object (version, tool, argv,
/// exit_status, complete, timings), host, findings (worst first), issues and metrics.
/// Units are in the key names. Strings that are not valid UTF-8 are repaired, never rejected.
nlohmann::ordered_json to_json(const Report& report, const RunInfo& run, int exit_status);

/// to_json serialised with two-space indentation and a final newline.
std::string render_json(const Report& report, const RunInfo& run, int exit_status);

}  // namespace diag
