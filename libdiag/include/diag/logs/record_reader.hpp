#pragma once

#include <diag/logs/civil_time.hpp>
#include <diag/logs/line_parsers.hpp>
#include <diag/logs/line_splitter.hpp>
#include <diag/logs/log_record.hpp>
#include <diag/logs/time_zone.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace diag::logs {

/// What a RecordReader needs to know about one source to put its records on the UTC timeline.
struct ReaderSettings {
    LogFormat format = LogFormat::plain;
    /// Stored in every record's source.
    std::string source;
    /// Zone of stamps that carry none (syslog, Apache, nginx): --tz or the machine's zone.
    TimeZone zone;
    /// --year: the year of the first year-less record (later ones follow rollovers).
    std::optional<int> forced_year;
    /// The file's modification time, for the year of year-less stamps.
    std::optional<UtcTime> modified;
    /// When the kernel booted, for stamps in seconds since boot (dmesg, kmsg).
    std::optional<UtcTime> boot_time;
};

/// Counts of what a RecordReader met, for the user to judge how much was understood.
struct ReaderStats {
    std::uint64_t lines = 0;
    std::uint64_t records = 0;
    /// Lines that did not parse and were joined to the record before them.
    std::uint64_t continuation_lines = 0;
    /// Lines that did not parse and had no record to join (kept as records without time).
    std::uint64_t unparsed_lines = 0;
    /// Bytes dropped from over-long lines and records.
    std::uint64_t dropped_bytes = 0;
    /// Lines not parsed because no rule could match them (add_screened_line).
    std::uint64_t screened_out_lines = 0;
    /// Records whose stamp could not be turned into a time (February 30th, ...).
    std::uint64_t bad_stamps = 0;
};

/// Turns the lines of one source into records: parses each line in the source's format, joins
/// lines that do not parse to the record before them (stack traces, wrapped messages; at most
/// kMaxRecordBytes per record), and normalises the time. Records are given to the sink in file
/// order, each once the next one starts or the stream ends.
class RecordReader {
public:
    /// Cap on a record's message with its continuation lines.
    static constexpr std::size_t kMaxRecordBytes = std::size_t{256} << 10U;

    using Sink = std::function<void(LogRecord&&)>;

    RecordReader(ReaderSettings settings, Sink sink);

    /// Takes the next line of the source.
    void add_line(const SplitLine& line);
    /// Takes the next line when only records some rule could match are wanted: a line the
    /// screen passed (candidate) is read as by add_line; another one is not parsed at all
    /// unless it may continue a wanted record, and records it starts are not given out.
    /// `hints` are the rules the screen saw possible matches of in this line (none: the line
    /// is no candidate); a record the line starts carries them as its rule_hints.
    void add_screened_line(const SplitLine& line, std::vector<std::uint32_t> hints);
    /// Counts lines the screen ruled out without looking at them; only while wants_lines() is
    /// false.
    void skip_screened_lines(std::uint64_t count);
    /// True while the record held back is wanted and the next line may continue it.
    [[nodiscard]] bool wants_lines() const { return pending_ && pending_wanted_; }
    /// Ends the source: the last record goes to the sink.
    void finish();
    /// Gives the record held back for continuation lines to the sink now (a followed file that
    /// went quiet); lines that come later and do not parse start records of their own.
    void flush_pending() { flush(); }

    [[nodiscard]] const ReaderStats& stats() const { return stats_; }
    [[nodiscard]] const ReaderSettings& settings() const { return settings_; }

private:
    void start_record(ParsedLine&& parsed, const SplitLine& line);
    void flush();
    void normalise_time(LogRecord& record, const std::optional<CivilTime>& civil);
    std::optional<int> year_for(const CivilTime& civil);

    ReaderSettings settings_;
    Sink sink_;
    ReaderStats stats_;
    std::optional<LogRecord> pending_;
    /// Whether the pending record goes to the sink, and whether the next one started will.
    bool pending_wanted_ = true;
    bool next_wanted_ = true;
    std::vector<std::uint32_t> next_hints_;
    /// Year and month of the last year-less record, to follow rollovers under --year.
    std::optional<int> last_year_;
    unsigned last_month_ = 0;
};

}  // namespace diag::logs
