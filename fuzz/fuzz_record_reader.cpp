// Fuzzes LineSplitter and RecordReader together: a byte stream (CRLF, NUL runs, lines longer
// than the limit, continuation lines) cut into chunks of a size the input chooses.
// Input: byte 0 picks the format, byte 1 the chunk size, byte 2 the line limit; the rest is the
// stream. Invariants: the lines do not depend on how the stream is chunked; a line holds no LF,
// never starts with NUL and keeps at most the limit; offsets and line numbers count up; every
// byte is fed; every non-empty line starts a record or is counted as a continuation; a record
// is never longer than the record cap; records come in file order.

#include "fuzz_check.hpp"

#include <diag/logs/line_splitter.hpp>
#include <diag/logs/record_reader.hpp>

#include <string>
#include <vector>

namespace {

using diag::fuzz::require;
using diag::logs::LogFormat;

struct Line {
    std::string text;
    std::uint64_t number = 0;
    std::uint64_t offset = 0;
    std::uint64_t dropped = 0;

    bool operator==(const Line&) const = default;
};

std::vector<Line> split(std::string_view stream, std::size_t chunk, std::size_t limit) {
    std::vector<Line> lines;
    diag::logs::LineSplitter splitter(
        [&](const diag::logs::SplitLine& line) {
            lines.push_back(
                {std::string(line.text), line.line_number, line.byte_offset, line.dropped_bytes});
        },
        limit);
    for (std::size_t at = 0; at < stream.size(); at += chunk) {
        splitter.feed(stream.substr(at, chunk));
    }
    splitter.finish();
    require(splitter.bytes_fed() == stream.size(), "every byte is fed");
    return lines;
}

void check_lines(std::string_view stream, const std::vector<Line>& lines, std::size_t limit) {
    std::uint64_t next_offset = 0;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const auto& line = lines[i];
        require(line.number == i + 1, "line numbers count up from 1");
        require(line.text.find('\n') == std::string::npos, "a line holds no LF");
        require(line.text.empty() || line.text.front() != '\0', "leading NULs are dropped");
        require(line.text.size() <= limit, "a line keeps at most the limit");
        require(line.offset >= next_offset && line.offset <= stream.size(),
                "a line starts after the one before");
        if (line.dropped == 0) {
            // The kept text is the stream's bytes there, less a CR before the LF.
            require(stream.substr(line.offset, line.text.size()) == line.text,
                    "a line is the bytes of the stream at its offset");
            next_offset = line.offset + line.text.size();
        } else {
            require(line.text.size() == limit, "bytes are dropped only past the limit");
            next_offset = line.offset + line.text.size() + line.dropped;
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 3) {
        return 0;
    }
    constexpr std::array<LogFormat, 9> kFormats{
        LogFormat::plain,        LogFormat::rfc3164,     LogFormat::rfc5424,
        LogFormat::rsyslog_iso,  LogFormat::dmesg,       LogFormat::kmsg,
        LogFormat::apache_error, LogFormat::nginx_error, LogFormat::journal_json,
    };
    const LogFormat format = kFormats[data[0] % kFormats.size()];
    const std::size_t chunk = 1 + data[1] % 64U;
    const std::size_t limit = 1 + data[2] * 4U;
    const auto stream = diag::fuzz::as_text(data + 3, size - 3);

    const auto lines = split(stream, chunk, limit);
    require(lines == split(stream, stream.size() + 1, limit),
            "the lines do not depend on the chunking");
    check_lines(stream, lines, limit);

    diag::logs::ReaderSettings settings;
    settings.format = format;
    settings.source = "fuzz";
    settings.modified = diag::logs::UtcTime{std::chrono::seconds{1700000000}};
    settings.boot_time = diag::logs::UtcTime{std::chrono::seconds{1690000000}};
    std::vector<diag::logs::LogRecord> records;
    diag::logs::RecordReader reader(
        settings, [&](diag::logs::LogRecord&& record) { records.push_back(std::move(record)); });
    std::size_t non_empty = 0;
    for (const auto& line : lines) {
        non_empty += line.text.empty() ? 0U : 1U;
        reader.add_line({line.text, line.number, line.offset, line.dropped});
    }
    reader.finish();
    const auto& stats = reader.stats();
    require(stats.lines == lines.size(), "every line is counted");
    require(stats.records == records.size(), "every record is counted");
    require(stats.records + stats.continuation_lines == non_empty,
            "a non-empty line starts a record or continues one");
    std::uint64_t last_line = 0;
    for (const auto& record : records) {
        require(record.message.size() <= diag::logs::RecordReader::kMaxRecordBytes,
                "a record keeps at most the record cap");
        require(record.line_number > last_line, "records come in file order");
        require(record.source == "fuzz", "a record names its source");
        require(
            record.time.has_value() == (record.time_confidence != diag::logs::TimeConfidence::none),
            "a record has a time exactly when it has a confidence");
        last_line = record.line_number;
    }
    return 0;
}
