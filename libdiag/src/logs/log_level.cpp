#include "diag/logs/log_level.hpp"

#include <array>
#include <utility>

namespace diag::logs {

std::string_view to_string(LogLevel level) {
    switch (level) {
        case LogLevel::emergency:
            return "emergency";
        case LogLevel::alert:
            return "alert";
        case LogLevel::critical:
            return "critical";
        case LogLevel::error:
            return "error";
        case LogLevel::warning:
            return "warning";
        case LogLevel::notice:
            return "notice";
        case LogLevel::info:
            return "info";
        case LogLevel::debug:
            return "debug";
    }
    return "unknown";
}

std::optional<LogLevel> parse_level_name(std::string_view name) {
    // syslog names (RFC 5424 table 2 and syslog.conf(5)), Apache's LogLevel names (httpd docs,
    // "LogLevel Directive") and nginx's (ngx_log.c, err_levels).
    static constexpr std::array<std::pair<std::string_view, LogLevel>, 19> kNames{{
        {"emerg", LogLevel::emergency}, {"emergency", LogLevel::emergency},
        {"panic", LogLevel::emergency}, {"alert", LogLevel::alert},
        {"crit", LogLevel::critical},   {"critical", LogLevel::critical},
        {"err", LogLevel::error},       {"error", LogLevel::error},
        {"warn", LogLevel::warning},    {"warning", LogLevel::warning},
        {"notice", LogLevel::notice},   {"info", LogLevel::info},
        {"debug", LogLevel::debug},     {"trace1", LogLevel::debug},
        {"trace2", LogLevel::debug},    {"trace3", LogLevel::debug},
        {"trace4", LogLevel::debug},    {"trace5", LogLevel::debug},
        {"trace6", LogLevel::debug},
    }};
    for (const auto& [text, level] : kNames) {
        if (text == name) {
            return level;
        }
    }
    if (name == "trace7" || name == "trace8") {
        return LogLevel::debug;
    }
    return std::nullopt;
}

std::optional<LogLevel> level_from_severity(unsigned severity) {
    if (severity > 7) {
        return std::nullopt;
    }
    return static_cast<LogLevel>(severity);
}

}  // namespace diag::logs
