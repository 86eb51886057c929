#pragma once

#include <optional>
#include <string_view>

namespace diag::logs {

/// The eight syslog severities (RFC 5424 section 6.2.1, table 2), most severe first, so that
/// a smaller value is worse. Apache's and nginx's level names map onto the same scale.
enum class LogLevel { emergency, alert, critical, error, warning, notice, info, debug };

/// Lower-case name: "emergency", "alert", "critical", "error", "warning", "notice", "info",
/// "debug".
std::string_view to_string(LogLevel level);

/// The level for a name as log writers print it: syslog's ("emerg", "crit", "err", "warn"),
/// Apache's ("trace1".."trace8" count as debug) and nginx's, and our own full names.
/// nullopt for anything else. Case-sensitive, as every writer prints lower case.
std::optional<LogLevel> parse_level_name(std::string_view name);

/// The level for a syslog severity number 0..7; nullopt outside that range.
std::optional<LogLevel> level_from_severity(unsigned severity);

}  // namespace diag::logs
