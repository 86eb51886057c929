#pragma once

#include <diag/logs/civil_time.hpp>
#include <diag/logs/log_record.hpp>

#include <optional>
#include <string_view>

namespace diag::logs {

/// One line read in a known format, before its time is normalised: the record's fields, and the
/// stamp either as a civil reading (zone and year maybe missing) or as seconds since boot.
struct ParsedLine {
    LogRecord record;
    std::optional<CivilTime> civil;
};

/// "Jun 14 15:16:01 host tag[pid]: message" (RFC 3164 section 4.1.2 and 5.3; the tag ends at
/// '[' or ':', may hold a space as "syslogd 1.4.1:" does, and may be missing). An optional
/// "<PRI>" in front sets the level (section 4.1.1). A "kernel:" message that starts with
/// "[  12.345678] " also gets its seconds since boot. nullopt when the line is not of that form.
std::optional<ParsedLine> parse_rfc3164(std::string_view line);

/// "<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [SD] MSG" (RFC 5424 section 6; "-" is the
/// nil value, the structured data is kept in the field "structured_data"). A UTF-8 BOM before
/// the message is removed (section 6.4).
std::optional<ParsedLine> parse_rfc5424(std::string_view line);

/// rsyslog's RSYSLOG_FileFormat and other ISO 8601 stamped syslog files:
/// "2024-01-02T03:04:05.123456+01:00 host tag[pid]: message" (RFC 3339 stamp, then as 3164).
std::optional<ParsedLine> parse_rsyslog_iso(std::string_view line);

/// dmesg's default output "[   12.345678] message" (seconds since boot; no wall time), with an
/// optional "<6>" level prefix as `dmesg -r` prints it.
std::optional<ParsedLine> parse_dmesg(std::string_view line);

/// One /dev/kmsg record "PRI,SEQ,USEC,FLAGS[,...];message" (kernel
/// Documentation/ABI/testing/dev-kmsg). The facility bits of PRI are dropped for the level.
std::optional<ParsedLine> parse_kmsg(std::string_view line);

/// Apache httpd error_log: 2.2's "[Sun Dec 04 04:47:44 2005] [notice] message" and 2.4's
/// "[Wed Oct 11 14:32:52.123456 2017] [core:error] [pid 1234:tid 5678] [client 1.2.3.4:5678]
/// AH00037: message" (httpd 2.4 docs, core ErrorLogFormat default). The module goes to
/// program, pid and tid to their fields, the client and the AH code to fields "client" and
/// "code"; the message keeps everything after the level and the pid, client included, as the
/// file shows it.
std::optional<ParsedLine> parse_apache_error(std::string_view line);

/// nginx error.log: "2024/01/02 03:04:05 [error] 1234#5678: *99 message, client: 1.2.3.4,
/// server: x, request: "GET / HTTP/1.1", upstream: "http://...", host: "..."" (nginx
/// src/core/ngx_log.c, ngx_log_error_core). pid#tid go to pid and tid, "*99" to the field
/// "connection", and the trailing context pairs to fields of the same names.
std::optional<ParsedLine> parse_nginx_error(std::string_view line);

/// The parser for a format; plain gives every line as a record without time.
std::optional<ParsedLine> parse_line(LogFormat format, std::string_view line);

}  // namespace diag::logs
