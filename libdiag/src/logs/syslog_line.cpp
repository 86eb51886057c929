#include "diag/logs/line_parsers.hpp"
#include "text_scan.hpp"

#include <algorithm>

namespace diag::logs {

namespace detail {

bool consume_rfc3339(std::string_view& text, CivilTime& civil, bool zone_optional) {
    const auto year = read_digits(text, 0, 4);
    const auto month = read_digits(text, 5, 2);
    const auto day = read_digits(text, 8, 2);
    if (!year || !month || !day || text.size() < 11 || text[4] != '-' || text[7] != '-' ||
        text[10] != 'T' || !plausible_date(*month, *day)) {
        return false;
    }
    std::string_view rest = text.substr(11);
    CivilTime read{static_cast<int>(*year), *month, *day, 0, 0, 0, 0, std::nullopt};
    if (!consume_clock(rest, read)) {
        return false;
    }
    consume_fraction(rest, read);
    if (consume(rest, "Z")) {
        read.utc_offset_seconds = 0;
    } else if (rest.size() >= 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':') {
        const auto hours = read_digits(rest, 1, 2);
        const auto minutes = read_digits(rest, 4, 2);
        if (!hours || !minutes) {
            return false;
        }
        const auto offset = static_cast<std::int32_t>(*hours * 3600 + *minutes * 60);
        read.utc_offset_seconds = rest[0] == '-' ? -offset : offset;
        rest.remove_prefix(6);
    } else if (!zone_optional) {
        return false;
    }
    civil = read;
    text = rest;
    return true;
}

bool consume_syslog_tag(std::string_view& text, std::string& program,
                        std::optional<std::int64_t>& pid) {
    // RFC 3164 section 5.3 caps the TAG at 32 characters; real tags such as
    // "sshd(pam_unix)" or "syslogd 1.4.1" stay well inside 48.
    constexpr std::size_t kMaxTagBytes = 48;
    const std::size_t end = text.find_first_of("[:");
    if (end == std::string_view::npos || end == 0 || end > kMaxTagBytes) {
        return false;
    }
    const std::string_view tag = text.substr(0, end);
    if (std::count(tag.begin(), tag.end(), ' ') > 1 || tag.back() == ' ') {
        return false;
    }
    std::string_view rest = text.substr(end);
    std::optional<std::int64_t> read_pid;
    if (consume(rest, "[")) {
        const auto number = consume_number(rest, 10);
        if (!number || !consume(rest, "]")) {
            return false;
        }
        read_pid = static_cast<std::int64_t>(*number);
    }
    if (!consume(rest, ":")) {
        return false;
    }
    if (!rest.empty() && rest[0] != ' ') {
        return false;
    }
    consume(rest, " ");
    program.assign(tag);
    pid = read_pid;
    text = rest;
    return true;
}

std::optional<double> consume_printk_time(std::string_view& text) {
    std::string_view rest = text;
    if (!consume(rest, "[")) {
        return std::nullopt;
    }
    skip_spaces(rest);
    const auto whole = consume_number(rest, 12);
    if (!whole || !consume(rest, ".")) {
        return std::nullopt;
    }
    const std::size_t size_before = rest.size();
    const auto fraction = consume_number(rest, 9);
    const std::size_t digits = size_before - rest.size();
    if (!fraction || !consume(rest, "]")) {
        return std::nullopt;
    }
    double scale = 1.0;
    for (std::size_t i = 0; i < digits; ++i) {
        scale *= 10.0;
    }
    consume(rest, " ");
    text = rest;
    return static_cast<double>(*whole) + static_cast<double>(*fraction) / scale;
}

}  // namespace detail

namespace {

using namespace detail;

// "<PRI>" (RFC 3164 section 4.1.1): severity is PRI & 7, facility PRI >> 3.
std::optional<unsigned> consume_priority(std::string_view& text) {
    std::string_view rest = text;
    if (!consume(rest, "<")) {
        return std::nullopt;
    }
    const auto number = consume_number(rest, 3);
    constexpr std::uint64_t kMaxPriority = 191;
    if (!number || *number > kMaxPriority || !consume(rest, ">")) {
        return std::nullopt;
    }
    text = rest;
    return static_cast<unsigned>(*number);
}

void apply_priority(ParsedLine& parsed, unsigned priority) {
    parsed.record.level = level_from_severity(priority & 7U);
    parsed.record.fields.push_back({"facility", std::to_string(priority >> 3U)});
}

// Host, tag and message after a stamp, common to RFC 3164 and the ISO-stamped files.
void read_host_tag_message(std::string_view rest, ParsedLine& parsed) {
    skip_spaces(rest);
    parsed.record.host.assign(consume_token(rest));
    skip_spaces(rest);
    auto& record = parsed.record;
    consume_syslog_tag(rest, record.program, record.pid);
    if (record.program == "kernel") {
        record.monotonic_seconds = consume_printk_time(rest);
    }
    // The indentation some kernel lines carry (" BIOS-e820: ...") is not kept: the separator
    // before the message is a single space in RFC 3164, and loghub's structured CSVs, which
    // the tests hold us to, trim it as well.
    skip_spaces(rest);
    record.message.assign(trim_right(rest));
}

}  // namespace

std::optional<ParsedLine> parse_rfc3164(std::string_view line) {
    ParsedLine parsed;
    std::string_view rest = line;
    if (const auto priority = consume_priority(rest)) {
        apply_priority(parsed, *priority);
    }
    const std::string_view stamp_start = rest;
    if (rest.size() < 15) {
        return std::nullopt;
    }
    const auto month = month_from_abbreviation(rest.substr(0, 3));
    if (!month || rest[3] != ' ') {
        return std::nullopt;
    }
    rest.remove_prefix(4);
    // The day is space-padded ("Jul  3"), and some writers do not pad it.
    consume(rest, " ");
    const auto day = consume_number(rest, 2);
    if (!day || *day < 1 || *day > 31 || !consume(rest, " ")) {
        return std::nullopt;
    }
    CivilTime civil;
    civil.month = *month;
    civil.day = static_cast<unsigned>(*day);
    if (!consume_clock(rest, civil)) {
        return std::nullopt;
    }
    consume_fraction(rest, civil);
    if (!rest.empty() && rest[0] != ' ') {
        return std::nullopt;
    }
    parsed.record.stamp.assign(stamp_start.substr(0, stamp_start.size() - rest.size()));
    parsed.record.format = LogFormat::rfc3164;
    parsed.civil = civil;
    read_host_tag_message(rest, parsed);
    return parsed;
}

std::optional<ParsedLine> parse_rsyslog_iso(std::string_view line) {
    ParsedLine parsed;
    std::string_view rest = line;
    if (const auto priority = consume_priority(rest)) {
        apply_priority(parsed, *priority);
    }
    const std::string_view stamp_start = rest;
    CivilTime civil;
    if (!consume_rfc3339(rest, civil, true) || (!rest.empty() && rest[0] != ' ')) {
        return std::nullopt;
    }
    parsed.record.stamp.assign(stamp_start.substr(0, stamp_start.size() - rest.size()));
    parsed.record.format = LogFormat::rsyslog_iso;
    parsed.civil = civil;
    read_host_tag_message(rest, parsed);
    return parsed;
}

namespace {

// One RFC 5424 header field: "-" (the nil value) gives an empty string.
std::optional<std::string_view> consume_header_field(std::string_view& text) {
    const auto token = consume_token(text);
    if (token.empty() || !consume(text, " ")) {
        return std::nullopt;
    }
    return token == "-" ? std::string_view{} : token;
}

// STRUCTURED-DATA (RFC 5424 section 6.3): "-" or one or more "[...]" elements, in which
// '"', '\' and ']' inside a quoted value are escaped with '\'.
std::optional<std::string_view> consume_structured_data(std::string_view& text) {
    if (consume(text, "-")) {
        return std::string_view{};
    }
    std::size_t pos = 0;
    while (pos < text.size() && text[pos] == '[') {
        bool quoted = false;
        ++pos;
        while (pos < text.size()) {
            const char c = text[pos];
            if (quoted && c == '\\') {
                pos += 2;
                continue;
            }
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ']' && !quoted) {
                break;
            }
            ++pos;
        }
        if (pos >= text.size()) {
            return std::nullopt;
        }
        ++pos;
    }
    if (pos == 0) {
        return std::nullopt;
    }
    const auto data = text.substr(0, pos);
    text.remove_prefix(pos);
    return data;
}

}  // namespace

std::optional<ParsedLine> parse_rfc5424(std::string_view line) {
    ParsedLine parsed;
    std::string_view rest = line;
    const auto priority = consume_priority(rest);
    if (!priority || !consume(rest, "1 ")) {
        return std::nullopt;
    }
    apply_priority(parsed, *priority);
    auto& record = parsed.record;
    record.format = LogFormat::rfc5424;
    if (!consume(rest, "- ")) {
        const std::string_view stamp_start = rest;
        CivilTime civil;
        if (!consume_rfc3339(rest, civil, false) || !consume(rest, " ")) {
            return std::nullopt;
        }
        record.stamp.assign(stamp_start.substr(0, stamp_start.size() - rest.size() - 1));
        parsed.civil = civil;
    }
    const auto host = consume_header_field(rest);
    const auto app = consume_header_field(rest);
    const auto procid = consume_header_field(rest);
    const auto msgid = consume_header_field(rest);
    if (!host || !app || !procid || !msgid) {
        return std::nullopt;
    }
    record.host.assign(*host);
    record.program.assign(*app);
    if (std::string_view digits = *procid; !digits.empty()) {
        const auto number = consume_number(digits, 10);
        if (number && digits.empty()) {
            record.pid = static_cast<std::int64_t>(*number);
        } else {
            record.fields.push_back({"procid", std::string(*procid)});
        }
    }
    if (!msgid->empty()) {
        record.fields.push_back({"msgid", std::string(*msgid)});
    }
    const auto data = consume_structured_data(rest);
    if (!data) {
        return std::nullopt;
    }
    if (!data->empty()) {
        record.fields.push_back({"structured_data", std::string(*data)});
    }
    consume(rest, " ");
    consume(rest, "\xEF\xBB\xBF");
    record.message.assign(trim_right(rest));
    return parsed;
}

}  // namespace diag::logs
