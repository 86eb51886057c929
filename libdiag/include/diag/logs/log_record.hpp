#pragma once

#include <diag/logs/civil_time.hpp>
#include <diag/logs/log_level.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace diag::logs {

/// The log formats diag-logs reads.
enum class LogFormat {
    /// Unknown: every line becomes a record with no time.
    plain,
    /// "Jun 14 15:16:01 host prog[pid]: msg" (RFC 3164 section 4.1, BSD syslog files).
    rfc3164,
    /// "<34>1 2003-10-11T22:14:15.003Z host app procid msgid [sd] msg" (RFC 5424 section 6).
    rfc5424,
    /// rsyslog's RSYSLOG_FileFormat: "2024-01-02T03:04:05.123456+01:00 host prog[pid]: msg".
    rsyslog_iso,
    /// dmesg without -T: "[   12.345678] msg".
    dmesg,
    /// /dev/kmsg records: "6,1234,12345678,-;msg" (Documentation/ABI/testing/dev-kmsg).
    kmsg,
    /// Apache httpd error_log, 2.2 and 2.4 forms (httpd docs, "ErrorLogFormat").
    apache_error,
    /// nginx error.log ("2024/01/02 03:04:05 [error] 1234#5678: *99 msg").
    nginx_error,
    /// `journalctl -o json`: one JSON object per line (systemd JOURNAL_EXPORT_FORMATS).
    journal_json,
    /// `journalctl -o export`: "NAME=value" fields, binary fields, entries ended by an empty
    /// line (systemd JOURNAL_EXPORT_FORMATS).
    journal_export,
    /// The journal itself, read with libsystemd's sd-journal.
    journal,
};

/// Lower-case name used on the command line and in JSON: "rfc3164", "nginx-error", ...
std::string_view to_string(LogFormat format);

/// The format for a command-line name; nullopt for an unknown name.
std::optional<LogFormat> parse_format_name(std::string_view name);

/// How far a record's normalised time can be trusted, best first.
enum class TimeConfidence {
    /// The stamp carries date, time and zone.
    exact,
    /// Date and time, no zone: the zone given for the source (--tz or the machine's) applied.
    zone_assumed,
    /// No year in the stamp: the year was forced with --year.
    year_forced,
    /// No year in the stamp: inferred from the file's modification time and rollovers.
    year_inferred,
    /// Seconds since boot mapped to wall time through the given boot time.
    boot_relative,
    /// The record has no time (no stamp, or one that could not be read).
    none,
};

/// "exact", "zone-assumed", "year-forced", "year-inferred", "boot-relative", "none".
std::string_view to_string(TimeConfidence confidence);

/// A named extra value of a record: "client", "server", "request", "upstream", "connection",
/// "code" (Apache AH code), "module", "facility".
struct RecordField {
    std::string name;
    std::string value;
};

/// One log record, normalised across formats. Text stays as the bytes of the file (it may be
/// invalid UTF-8 or hold control characters): renderers escape it.
struct LogRecord {
    /// Normalised UTC time; absent when the record has no usable stamp.
    std::optional<UtcTime> time;
    TimeConfidence time_confidence = TimeConfidence::none;
    /// The stamp exactly as written ("Jun 14 15:16:01", "[   12.345678]").
    std::string stamp;
    /// Seconds since boot for kernel records that carry them.
    std::optional<double> monotonic_seconds;
    /// Where it came from: a path, or "journal".
    std::string source;
    LogFormat format = LogFormat::plain;
    std::string host;
    /// Program (syslog tag), Apache module, or "kernel".
    std::string program;
    std::optional<std::int64_t> pid;
    std::optional<std::int64_t> tid;
    std::optional<LogLevel> level;
    /// The message; continuation lines are joined with '\n'.
    std::string message;
    std::vector<RecordField> fields;
    /// 1-based line number of the record's first line in its (decompressed) source.
    std::uint64_t line_number = 0;
    /// Offset of the record's first byte in its (decompressed) source.
    std::uint64_t byte_offset = 0;
    /// Bytes of over-long lines that were dropped to keep memory bounded.
    std::uint64_t dropped_bytes = 0;
    /// Set by the line screen (--classified): the only rules that may match this record, by
    /// index; empty when the record was not screened.
    std::vector<std::uint32_t> rule_hints;

    /// The value of a named field, empty when absent.
    [[nodiscard]] std::string_view field(std::string_view name) const;
};

}  // namespace diag::logs
