#pragma once

#include <diag/logs/line_parsers.hpp>
#include <diag/logs/log_record.hpp>
#include <diag/logs/record_reader.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace diag::logs {

/// One field of a journal entry: its name ("MESSAGE", "_PID", "__REALTIME_TIMESTAMP") and its
/// value as bytes (a MESSAGE may hold newlines, NULs and invalid UTF-8).
struct JournalField {
    std::string name;
    std::string value;
};

/// The fields of one journal entry, in the order they were given.
using JournalFields = std::vector<JournalField>;

/// True when name can be a journal field name: A-Z, 0-9 and '_', not starting with a digit, at
/// most 64 bytes (systemd's journal_field_valid(), src/libsystemd/sd-journal/journal-file.c).
bool is_journal_field_name(std::string_view name);

/// A record from one entry's fields (systemd.journal-fields(7)): the time from
/// __REALTIME_TIMESTAMP (microseconds since the epoch, UTC: exact), the level from PRIORITY,
/// the program from SYSLOG_IDENTIFIER else _COMM, the pid from _PID else SYSLOG_PID, the host
/// from _HOSTNAME, the message from MESSAGE as bytes. Kernel entries (_TRANSPORT=kernel) get
/// the program "kernel" and their seconds since boot from _SOURCE_MONOTONIC_TIMESTAMP (the
/// kernel's own stamp) else __MONOTONIC_TIMESTAMP, so both stamps are kept. Fields "boot_id",
/// "unit", "comm", "transport", "facility" and "identifier" keep the rest that matters.
/// A value that is not a number where one is due is left out, never read as zero.
LogRecord record_from_journal(const JournalFields& fields);

/// One line of `journalctl -o json` (systemd's JOURNAL_EXPORT_FORMATS, "Journal JSON Format"):
/// an object whose values are strings, arrays of byte values (binary data), null (a value too
/// large to show) or arrays of those (a field given more than once: the first is kept).
/// nullopt when the line is not such an object or has neither __REALTIME_TIMESTAMP nor
/// MESSAGE.
std::optional<JournalFields> parse_journal_json(std::string_view line);

/// parse_journal_json and record_from_journal as a line parser (format journal_json).
std::optional<ParsedLine> parse_journal_json_line(std::string_view line);

/// True when a line looks like a field of `journalctl -o export` text: "NAME=value", or a
/// lone "NAME" that starts a binary field.
bool is_journal_export_line(std::string_view line);

/// Decodes `journalctl -o export` (JOURNAL_EXPORT_FORMATS, "Journal Export Format") fed in
/// chunks: text fields "NAME=value\n", binary fields "NAME\n" + 64-bit little-endian size +
/// bytes + "\n", entries ended by an empty line. Memory stays bounded: a field's value is kept
/// up to kMaxValueBytes and an entry up to kMaxEntryBytes, the rest counted as dropped.
/// Damage (a field name that is not one) skips to the next empty line and is counted.
class JournalExportDecoder {
public:
    /// Cap on the bytes kept of one field's value.
    static constexpr std::size_t kMaxValueBytes = std::size_t{256} << 10U;
    /// Cap on the bytes kept of one entry.
    static constexpr std::size_t kMaxEntryBytes = std::size_t{1} << 20U;

    using Sink = std::function<void(LogRecord&&)>;

    /// Records go to sink with `source` set, in file order.
    JournalExportDecoder(std::string source, Sink sink);

    /// Takes the next bytes.
    void feed(std::string_view bytes);
    /// Ends the stream: a last entry without its empty line is given too.
    void finish();

    /// lines: fields read; records: entries given; unparsed_lines: damaged stretches skipped;
    /// dropped_bytes: bytes past the caps.
    [[nodiscard]] const ReaderStats& stats() const { return stats_; }

private:
    enum class State { name, text_value, binary_size, binary_value, binary_end, skip };

    // One step of feed in each state, taking what it reads off the front of bytes.
    void feed_name(std::string_view& bytes);
    void feed_text_value(std::string_view& bytes);
    void feed_binary_size(std::string_view& bytes);
    void feed_binary_value(std::string_view& bytes);
    void feed_binary_end(std::string_view& bytes);
    void feed_skip(std::string_view& bytes);
    void end_field();
    void end_entry();

    std::string source_;
    Sink sink_;
    ReaderStats stats_;
    State state_ = State::name;
    JournalFields fields_;
    std::size_t entry_bytes_ = 0;
    std::string name_;
    std::string value_;
    std::uint64_t binary_left_ = 0;
    std::string size_bytes_;
    std::uint64_t entry_line_ = 1;
    std::uint64_t line_ = 1;
    std::uint64_t offset_ = 0;
    std::uint64_t entry_offset_ = 0;
};

}  // namespace diag::logs
