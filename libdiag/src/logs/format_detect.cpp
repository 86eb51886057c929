#include "diag/logs/format_detect.hpp"

#include "diag/logs/journal_entry.hpp"
#include "diag/logs/line_parsers.hpp"

#include <algorithm>
#include <array>

namespace diag::logs {

std::vector<std::string_view> head_lines(std::string_view head, std::size_t max_lines) {
    std::vector<std::string_view> lines;
    while (!head.empty() && lines.size() < max_lines) {
        const auto end = std::min(head.find('\n'), head.size());
        auto line = head.substr(0, end);
        if (line.ends_with('\r')) {
            line.remove_suffix(1);
        }
        line.remove_prefix(std::min(line.find_first_not_of('\0'), line.size()));
        lines.push_back(line);
        head.remove_prefix(std::min(end + 1, head.size()));
    }
    return lines;
}

LogFormat detect_format(const std::vector<std::string_view>& first_lines) {
    // Most specific first: on a tie the earlier format wins. A syslog line never parses as
    // Apache or nginx, but an RFC 5424 line is not RFC 3164, so order matters only for ties.
    static constexpr std::array<LogFormat, 8> kCandidates{
        LogFormat::journal_json, LogFormat::rfc5424,     LogFormat::kmsg,
        LogFormat::apache_error, LogFormat::nginx_error, LogFormat::dmesg,
        LogFormat::rsyslog_iso,  LogFormat::rfc3164,
    };
    std::size_t non_empty = 0;
    bool export_stamp = false;
    std::size_t export_fields = 0;
    for (const auto line : first_lines) {
        non_empty += line.empty() ? 0U : 1U;
        // journalctl -o export starts every entry with __CURSOR and __REALTIME_TIMESTAMP.
        export_stamp = export_stamp || line.starts_with("__REALTIME_TIMESTAMP=");
        export_fields += !line.empty() && is_journal_export_line(line) ? 1U : 0U;
    }
    if (export_stamp && export_fields * 2 >= non_empty) {
        return LogFormat::journal_export;
    }
    LogFormat best = LogFormat::plain;
    std::size_t best_count = 0;
    for (const auto format : kCandidates) {
        std::size_t count = 0;
        for (const auto line : first_lines) {
            count += !line.empty() && parse_line(format, line).has_value() ? 1U : 0U;
        }
        if (count > best_count) {
            best = format;
            best_count = count;
        }
    }
    if (non_empty == 0 || best_count * 2 < non_empty) {
        return LogFormat::plain;
    }
    return best;
}

}  // namespace diag::logs
