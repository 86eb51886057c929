// Our parse of loghub's Apache_2k and Linux_2k samples against loghub's own structured CSVs.
// See ../shared/data/logs/SOURCES.md: CRLF line ends, no final newline, and the Linux CSV puts
// the hostname in its Level column.

#include "support/shared_data.hpp"

#include <diag/logs/format_detect.hpp>
#include <diag/logs/line_splitter.hpp>
#include <diag/logs/record_reader.hpp>

#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <fmt/chrono.h>
#include <fmt/format.h>

namespace {

using diag::logs::LogRecord;

// RFC 4180 CSV: fields separated by commas, a quoted field may hold commas, newlines and
// doubled quotes. Rows end with LF or CRLF.
std::vector<std::vector<std::string>> read_csv(const std::string& text) {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string field;
    bool quoted = false;
    bool field_started = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
            continue;
        }
        if (c == '"' && field.empty()) {
            quoted = true;
            field_started = true;
        } else if (c == ',') {
            row.push_back(std::move(field));
            field.clear();
            field_started = true;
        } else if (c == '\n') {
            row.push_back(std::move(field));
            rows.push_back(std::move(row));
            row.clear();
            field.clear();
            field_started = false;
        } else if (c != '\r') {
            field += c;
            field_started = true;
        }
    }
    if (field_started || !row.empty()) {
        row.push_back(std::move(field));
        rows.push_back(std::move(row));
    }
    return rows;
}

std::vector<LogRecord> read_records(const std::string& bytes, diag::logs::ReaderSettings settings) {
    std::vector<LogRecord> records;
    diag::logs::RecordReader reader(std::move(settings),
                                    [&](LogRecord&& record) { records.push_back(record); });
    diag::logs::LineSplitter splitter(
        [&](const diag::logs::SplitLine& line) { reader.add_line(line); });
    splitter.feed(bytes);
    splitter.finish();
    reader.finish();
    return records;
}

std::vector<std::string_view> first_lines(std::string_view text, std::size_t count) {
    std::vector<std::string_view> lines;
    while (!text.empty() && lines.size() < count) {
        const auto end = std::min(text.find('\n'), text.size());
        auto line = text.substr(0, end);
        if (line.ends_with('\r')) {
            line.remove_suffix(1);
        }
        lines.push_back(line);
        text.remove_prefix(std::min(end + 1, text.size()));
    }
    return lines;
}

std::string pid_text(const LogRecord& record) {
    return record.pid ? std::to_string(*record.pid) : std::string();
}

}  // namespace

TEST_CASE("csv: quoted fields keep commas and doubled quotes") {
    const auto rows = read_csv("a,\"b, c\",\"say \"\"hi\"\"\"\r\n1,,3");
    REQUIRE(rows.size() == 2);
    CHECK(rows[0] == std::vector<std::string>{"a", "b, c", "say \"hi\""});
    CHECK(rows[1] == std::vector<std::string>{"1", "", "3"});
}

TEST_CASE("logs: every line of loghub's Apache_2k parses as its structured CSV says") {
    const auto dir = diag::test::require_shared_data("logs");
    const std::string bytes = diag::test::read_file(dir / "Apache_2k.log");
    const auto csv = read_csv(diag::test::read_file(dir / "Apache_2k.log_structured.csv"));
    REQUIRE(csv.size() == 2001);
    REQUIRE(csv[0] == std::vector<std::string>{"LineId", "Time", "Level", "Content", "EventId",
                                               "EventTemplate"});

    const auto format = diag::logs::detect_format(first_lines(bytes, 50));
    REQUIRE(format == diag::logs::LogFormat::apache_error);
    const auto records = read_records(bytes, {format, "Apache_2k.log", {}, {}, {}, {}});
    REQUIRE(records.size() == 2000);

    std::size_t time_matches = 0;
    std::size_t level_matches = 0;
    std::size_t content_matches = 0;
    for (std::size_t i = 0; i < records.size(); ++i) {
        const auto& record = records[i];
        const auto& row = csv[i + 1];
        REQUIRE(record.time.has_value());
        // The stamp has no zone: with the zone given as UTC the wall time is kept as it is.
        const auto seconds = std::chrono::floor<std::chrono::seconds>(*record.time);
        time_matches += fmt::format("{:%a %b %d %H:%M:%S %Y}", seconds) == row[1] ? 1U : 0U;
        level_matches += record.level && diag::logs::to_string(*record.level) == row[2] ? 1U : 0U;
        content_matches += record.message == row[3] ? 1U : 0U;
        CHECK(record.line_number == i + 1);
        CHECK(record.time_confidence == diag::logs::TimeConfidence::zone_assumed);
    }
    CHECK(time_matches == 2000);
    CHECK(level_matches == 2000);
    CHECK(content_matches == 2000);
}

TEST_CASE("logs: every line of loghub's Linux_2k parses as its structured CSV says") {
    const auto dir = diag::test::require_shared_data("logs");
    const std::string bytes = diag::test::read_file(dir / "Linux_2k.log");
    const auto csv = read_csv(diag::test::read_file(dir / "Linux_2k.log_structured.csv"));
    REQUIRE(csv.size() == 2001);
    REQUIRE(csv[0].at(4) == "Level");

    const auto format = diag::logs::detect_format(first_lines(bytes, 50));
    REQUIRE(format == diag::logs::LogFormat::rfc3164);
    // SOURCES.md: the real year is 2005, which the stamps do not carry.
    const auto records = read_records(bytes, {format, "Linux_2k.log", {}, 2005, {}, {}});
    REQUIRE(records.size() == 2000);

    std::size_t time_matches = 0;
    std::size_t host_matches = 0;
    std::size_t program_matches = 0;
    std::size_t pid_matches = 0;
    std::size_t content_matches = 0;
    for (std::size_t i = 0; i < records.size(); ++i) {
        const auto& record = records[i];
        const auto& row = csv[i + 1];
        REQUIRE(row.size() == 10);
        REQUIRE(record.time.has_value());
        const auto seconds = std::chrono::floor<std::chrono::seconds>(*record.time);
        const auto expected_time = fmt::format("2005 {} {} {}", row[1], row[2], row[3]);
        const auto day =
            std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(seconds)};
        const auto ours = fmt::format("{} {:%b} {} {:%H:%M:%S}", static_cast<int>(day.year()),
                                      seconds, static_cast<unsigned>(day.day()), seconds);
        time_matches += ours == expected_time ? 1U : 0U;
        host_matches += record.host == row[4] ? 1U : 0U;
        program_matches += record.program == row[5] ? 1U : 0U;
        pid_matches += pid_text(record) == row[6] ? 1U : 0U;
        content_matches += record.message == row[7] ? 1U : 0U;
        CHECK(record.time_confidence == diag::logs::TimeConfidence::year_forced);
    }
    CHECK(time_matches == 2000);
    CHECK(host_matches == 2000);
    CHECK(program_matches == 2000);
    CHECK(pid_matches == 2000);
    CHECK(content_matches == 2000);
}
