#include "diag/logs/journal_entry.hpp"
#include "diag/logs/line_parsers.hpp"
#include "text_scan.hpp"

#include <array>

namespace diag::logs {

using namespace detail;

namespace {

bool is_weekday(std::string_view text) {
    static constexpr std::array<std::string_view, 7> kDays{"Sun", "Mon", "Tue", "Wed",
                                                           "Thu", "Fri", "Sat"};
    for (const auto day : kDays) {
        if (text == day) {
            return true;
        }
    }
    return false;
}

// "[Wed Oct 11 14:32:52.123456 2017]": apr_ctime's layout plus 2.4's optional microseconds.
bool consume_apache_stamp(std::string_view& text, CivilTime& civil) {
    std::string_view rest = text;
    if (!consume(rest, "[") || rest.size() < 24 || !is_weekday(rest.substr(0, 3)) ||
        rest[3] != ' ') {
        return false;
    }
    const auto month = month_from_abbreviation(rest.substr(4, 3));
    if (!month || rest[7] != ' ') {
        return false;
    }
    rest.remove_prefix(8);
    consume(rest, " ");
    const auto day = consume_number(rest, 2);
    if (!day || *day < 1 || *day > 31 || !consume(rest, " ") || !consume_clock(rest, civil)) {
        return false;
    }
    consume_fraction(rest, civil);
    const auto year = read_digits(rest, 1, 4);
    if (!consume(rest, " ") || !year) {
        return false;
    }
    rest.remove_prefix(4);
    if (!consume(rest, "]")) {
        return false;
    }
    civil.month = *month;
    civil.day = static_cast<unsigned>(*day);
    civil.year = static_cast<int>(*year);
    text = rest;
    return true;
}

// "[pid 1234:tid 5678]" or "[pid 1234]".
void consume_apache_pid(std::string_view& text, LogRecord& record) {
    std::string_view rest = text;
    if (!consume(rest, " [pid ")) {
        return;
    }
    const auto pid = consume_number(rest, 10);
    if (!pid) {
        return;
    }
    std::optional<std::uint64_t> tid;
    if (consume(rest, ":tid ")) {
        tid = consume_number(rest);
        if (!tid) {
            return;
        }
    }
    if (!consume(rest, "]")) {
        return;
    }
    record.pid = static_cast<std::int64_t>(*pid);
    if (tid) {
        record.tid = static_cast<std::int64_t>(*tid);
    }
    text = rest;
}

// Reads the client and the AH code at the front of a message without removing them.
void read_apache_message_fields(std::string_view message, LogRecord& record) {
    if (consume(message, "[client ")) {
        const auto end = message.find(']');
        if (end != std::string_view::npos) {
            record.fields.push_back({"client", std::string(message.substr(0, end))});
            message.remove_prefix(end + 1);
            skip_spaces(message);
        }
    }
    // Message codes are "AH" and five digits (httpd 2.4, docs/log-message-tags).
    if (message.size() >= 8 && message.starts_with("AH") && read_digits(message, 2, 5) &&
        message[7] == ':') {
        record.fields.push_back({"code", std::string(message.substr(0, 7))});
    }
}

}  // namespace

std::optional<ParsedLine> parse_apache_error(std::string_view line) {
    ParsedLine parsed;
    auto& record = parsed.record;
    std::string_view rest = line;
    CivilTime civil;
    if (!consume_apache_stamp(rest, civil) || !consume(rest, " [")) {
        return std::nullopt;
    }
    record.stamp.assign(line.substr(1, line.size() - rest.size() - 4));
    const auto close = rest.find(']');
    if (close == std::string_view::npos) {
        return std::nullopt;
    }
    // 2.2 writes "[level]", 2.4 "[module:level]".
    const std::string_view level_text = rest.substr(0, close);
    const auto colon = level_text.rfind(':');
    const auto level = parse_level_name(
        colon == std::string_view::npos ? level_text : level_text.substr(colon + 1));
    if (!level) {
        return std::nullopt;
    }
    record.level = level;
    if (colon != std::string_view::npos) {
        record.program.assign(level_text.substr(0, colon));
    }
    rest.remove_prefix(close + 1);
    consume_apache_pid(rest, record);
    consume(rest, " ");
    record.format = LogFormat::apache_error;
    record.message.assign(trim_right(rest));
    read_apache_message_fields(record.message, record);
    parsed.civil = civil;
    return parsed;
}

namespace {

// The context ngx_http_log_error appends: ", client: A, server: B, request: "C",
// upstream: "D", host: "E", referrer: "F"" (src/http/ngx_http_request.c).
void read_nginx_context(std::string_view message, LogRecord& record) {
    const auto start = message.rfind(", client: ");
    if (start == std::string_view::npos) {
        return;
    }
    std::string_view rest = message.substr(start);
    static constexpr std::array<std::string_view, 7> kKeys{
        "client", "server", "request", "subrequest", "upstream", "host", "referrer"};
    while (consume(rest, ", ")) {
        const auto colon = rest.find(": ");
        if (colon == std::string_view::npos) {
            return;
        }
        const std::string_view key = rest.substr(0, colon);
        if (std::find(kKeys.begin(), kKeys.end(), key) == kKeys.end()) {
            return;
        }
        rest.remove_prefix(colon + 2);
        std::string_view value;
        if (consume(rest, "\"")) {
            const auto quote = rest.find('"');
            value = rest.substr(0, quote);
            rest.remove_prefix(quote == std::string_view::npos ? rest.size() : quote + 1);
        } else {
            const auto comma = std::min(rest.find(", "), rest.size());
            value = rest.substr(0, comma);
            rest.remove_prefix(comma);
        }
        record.fields.push_back({std::string(key), std::string(value)});
    }
}

}  // namespace

std::optional<ParsedLine> parse_nginx_error(std::string_view line) {
    ParsedLine parsed;
    auto& record = parsed.record;
    const auto year = read_digits(line, 0, 4);
    const auto month = read_digits(line, 5, 2);
    const auto day = read_digits(line, 8, 2);
    if (!year || !month || !day || line.size() < 11 || line[4] != '/' || line[7] != '/' ||
        line[10] != ' ' || !plausible_date(*month, *day)) {
        return std::nullopt;
    }
    CivilTime civil{static_cast<int>(*year), *month, *day, 0, 0, 0, 0, std::nullopt};
    std::string_view rest = line.substr(11);
    if (!consume_clock(rest, civil) || !consume(rest, " [")) {
        return std::nullopt;
    }
    const auto close = rest.find(']');
    if (close == std::string_view::npos) {
        return std::nullopt;
    }
    record.level = parse_level_name(rest.substr(0, close));
    if (!record.level) {
        return std::nullopt;
    }
    record.stamp.assign(line.substr(0, 19));
    rest.remove_prefix(close + 1);
    if (consume(rest, " ")) {
        std::string_view ids = rest;
        const auto pid = consume_number(ids, 10);
        std::optional<std::uint64_t> tid;
        if (pid && consume(ids, "#")) {
            tid = consume_number(ids);
        }
        if (pid && tid && consume(ids, ":")) {
            record.pid = static_cast<std::int64_t>(*pid);
            record.tid = static_cast<std::int64_t>(*tid);
            rest = ids;
            consume(rest, " ");
        }
    }
    if (consume(rest, "*")) {
        std::string_view digits = rest;
        // The connection number ends at a space, or at the end of a line with no message.
        const auto connection = consume_number(digits);
        if (connection && (trim_right(digits).empty() || consume(digits, " "))) {
            record.fields.push_back({"connection", std::to_string(*connection)});
            rest = digits;
        } else {
            rest = std::string_view(rest.data() - 1, rest.size() + 1);
        }
    }
    record.format = LogFormat::nginx_error;
    record.program = "nginx";
    record.message.assign(trim_right(rest));
    read_nginx_context(record.message, record);
    parsed.civil = civil;
    return parsed;
}

std::optional<ParsedLine> parse_line(LogFormat format, std::string_view line) {
    switch (format) {
        case LogFormat::rfc3164:
            return parse_rfc3164(line);
        case LogFormat::rfc5424:
            return parse_rfc5424(line);
        case LogFormat::rsyslog_iso:
            return parse_rsyslog_iso(line);
        case LogFormat::dmesg:
            return parse_dmesg(line);
        case LogFormat::kmsg:
            return parse_kmsg(line);
        case LogFormat::apache_error:
            return parse_apache_error(line);
        case LogFormat::nginx_error:
            return parse_nginx_error(line);
        case LogFormat::journal_json:
            return parse_journal_json_line(line);
        case LogFormat::journal_export:
        case LogFormat::journal:
        case LogFormat::plain:
            break;
    }
    ParsedLine parsed;
    parsed.record.message.assign(trim_right(line));
    return parsed;
}

}  // namespace diag::logs
