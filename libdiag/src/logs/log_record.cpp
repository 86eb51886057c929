#include "diag/logs/log_record.hpp"

#include <array>

namespace diag::logs {

namespace {

constexpr std::array<std::pair<LogFormat, std::string_view>, 11> kFormatNames{{
    {LogFormat::plain, "plain"},
    {LogFormat::rfc3164, "rfc3164"},
    {LogFormat::rfc5424, "rfc5424"},
    {LogFormat::rsyslog_iso, "rsyslog-iso"},
    {LogFormat::dmesg, "dmesg"},
    {LogFormat::kmsg, "kmsg"},
    {LogFormat::apache_error, "apache-error"},
    {LogFormat::nginx_error, "nginx-error"},
    {LogFormat::journal_json, "journal-json"},
    {LogFormat::journal_export, "journal-export"},
    {LogFormat::journal, "journal"},
}};

}  // namespace

std::string_view to_string(LogFormat format) {
    for (const auto& [value, name] : kFormatNames) {
        if (value == format) {
            return name;
        }
    }
    return "plain";
}

std::optional<LogFormat> parse_format_name(std::string_view name) {
    for (const auto& [value, text] : kFormatNames) {
        if (text == name) {
            return value;
        }
    }
    return std::nullopt;
}

std::string_view to_string(TimeConfidence confidence) {
    switch (confidence) {
        case TimeConfidence::exact:
            return "exact";
        case TimeConfidence::zone_assumed:
            return "zone-assumed";
        case TimeConfidence::year_forced:
            return "year-forced";
        case TimeConfidence::year_inferred:
            return "year-inferred";
        case TimeConfidence::boot_relative:
            return "boot-relative";
        case TimeConfidence::none:
            return "none";
    }
    return "none";
}

std::string_view LogRecord::field(std::string_view name) const {
    for (const auto& item : fields) {
        if (item.name == name) {
            return item.value;
        }
    }
    return {};
}

}  // namespace diag::logs
