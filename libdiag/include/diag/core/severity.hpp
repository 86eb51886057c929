#pragma once

#include <optional>
#include <string_view>

namespace diag {

/// How bad a finding is. Ordered, so the worst of several is their maximum.
enum class Severity { ok, info, warning, critical };

/// Lower-case name as used in JSON and on the command line: "ok", "info", "warning", "critical".
std::string_view to_string(Severity severity);

/// Upper-case name as used in text and Nagios output: "OK", "INFO", "WARNING", "CRITICAL".
std::string_view to_upper_string(Severity severity);

/// Parses a lower-case severity name; nullopt for anything else.
std::optional<Severity> parse_severity(std::string_view name);

}  // namespace diag
