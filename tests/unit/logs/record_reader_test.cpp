#include <diag/logs/line_splitter.hpp>
#include <diag/logs/record_reader.hpp>
#include <diag/logs/time_zone.hpp>

#include <string>
#include <vector>

#include <catch2/catch.hpp>

using diag::logs::LogFormat;
using diag::logs::LogRecord;
using diag::logs::ReaderSettings;
using diag::logs::TimeConfidence;
using diag::logs::UtcTime;

namespace {

UtcTime at(int year, unsigned month, unsigned day, unsigned hour = 0, unsigned minute = 0,
           unsigned second = 0) {
    return *diag::logs::civil_as_utc({year, month, day, hour, minute, second, 0, std::nullopt});
}

std::vector<LogRecord> read_all(std::string_view bytes, ReaderSettings settings,
                                std::size_t max_line = 1024,
                                diag::logs::ReaderStats* stats = nullptr) {
    std::vector<LogRecord> records;
    diag::logs::RecordReader reader(std::move(settings),
                                    [&](LogRecord&& record) { records.push_back(record); });
    diag::logs::LineSplitter splitter(
        [&](const diag::logs::SplitLine& line) { reader.add_line(line); }, max_line);
    // Feed in small pieces so lines cross chunk borders.
    for (std::size_t i = 0; i < bytes.size(); i += 7) {
        splitter.feed(bytes.substr(i, 7));
    }
    splitter.finish();
    reader.finish();
    if (stats != nullptr) {
        *stats = reader.stats();
    }
    return records;
}

// A TZif version 1 file (RFC 8536 section 3) for a zone at +01:00 that is at +02:00 between
// 2024-03-31 01:00 UTC and 2024-10-27 01:00 UTC, as Central Europe was.
std::string central_europe_2024() {
    std::string bytes = "TZif";
    bytes += '\0';
    bytes += std::string(15, '\0');
    const auto put32 = [&](std::uint32_t value) {
        for (int shift = 24; shift >= 0; shift -= 8) {
            bytes += static_cast<char>((value >> static_cast<unsigned>(shift)) & 0xFFU);
        }
    };
    for (const std::uint32_t count : {0U, 0U, 0U, 2U, 2U, 8U}) {
        put32(count);
    }
    put32(1711846800U);  // 2024-03-31T01:00:00Z
    put32(1729990800U);  // 2024-10-27T01:00:00Z
    bytes += '\1';
    bytes += '\0';
    put32(3600);
    bytes += '\0';
    bytes += '\0';
    put32(7200);
    bytes += '\1';
    bytes += '\4';
    bytes += std::string("CET\0CEST", 8);
    return bytes;
}

}  // namespace

TEST_CASE("year: a December record in a file modified in January belongs to the year before") {
    ReaderSettings settings{LogFormat::rfc3164, "syslog", {}, {}, at(2025, 1, 2, 6), {}};
    const auto records =
        read_all("Dec 31 23:59:58 h a: old year\nJan  1 00:00:01 h a: new year\n", settings);
    REQUIRE(records.size() == 2);
    CHECK(records[0].time == at(2024, 12, 31, 23, 59, 58));
    CHECK(records[1].time == at(2025, 1, 1, 0, 0, 1));
    CHECK(records[0].time_confidence == TimeConfidence::year_inferred);
}

TEST_CASE("year: a forced year applies to the first record and rolls over at New Year") {
    ReaderSettings settings{LogFormat::rfc3164, "syslog", {}, 2004, at(2030, 6, 1), {}};
    const auto records = read_all(
        "Dec 31 23:59:58 h a: x\nJan  1 00:00:01 h a: y\nJan  1 00:00:02 h a: z\n", settings);
    REQUIRE(records.size() == 3);
    CHECK(records[0].time == at(2004, 12, 31, 23, 59, 58));
    CHECK(records[2].time == at(2005, 1, 1, 0, 0, 2));
    CHECK(records[2].time_confidence == TimeConfidence::year_forced);
}

TEST_CASE("time: dmesg seconds since boot are mapped through the boot time") {
    ReaderSettings settings{LogFormat::dmesg, "dmesg", {}, {}, {}, at(2024, 5, 1, 12)};
    const auto records = read_all("[    1.500000] a\n[ 3600.000001] b\n", settings);
    REQUIRE(records.size() == 2);
    CHECK(records[0].time == at(2024, 5, 1, 12) + std::chrono::milliseconds(1500));
    CHECK(records[1].time == at(2024, 5, 1, 13) + std::chrono::microseconds(1));
    CHECK(records[1].time_confidence == TimeConfidence::boot_relative);

    ReaderSettings no_boot{LogFormat::dmesg, "dmesg", {}, {}, {}, {}};
    const auto unmapped = read_all("[    1.500000] a\n", no_boot);
    CHECK_FALSE(unmapped.at(0).time.has_value());
    CHECK(unmapped.at(0).time_confidence == TimeConfidence::none);
}

TEST_CASE("time: local stamps follow the zone's summer time, stamps with offsets keep theirs") {
    auto zone = diag::logs::TimeZone::from_tzif(central_europe_2024(), "Europe/Test");
    REQUIRE(zone);
    ReaderSettings settings{LogFormat::nginx_error, "nginx", *zone, {}, {}, {}};
    const auto records = read_all(
        "2024/01/15 12:00:00 [error] 1#1: winter\n2024/07/15 12:00:00 [error] 1#1: summer\n",
        settings);
    REQUIRE(records.size() == 2);
    CHECK(records[0].time == at(2024, 1, 15, 11));
    CHECK(records[1].time == at(2024, 7, 15, 10));
    CHECK(records[1].time_confidence == TimeConfidence::zone_assumed);

    settings.format = LogFormat::rsyslog_iso;
    const auto iso = read_all("2024-07-15T12:00:00-05:00 h a: b\n", settings);
    CHECK(iso.at(0).time == at(2024, 7, 15, 17));
    CHECK(iso.at(0).time_confidence == TimeConfidence::exact);
}

TEST_CASE("tzif: gaps use the offset before, overlaps the earlier instant, bad bytes fail") {
    auto zone = diag::logs::TimeZone::from_tzif(central_europe_2024(), "Europe/Test");
    REQUIRE(zone);
    // 02:30 on 2024-03-31 does not exist there; 02:30 on 2024-10-27 happens twice.
    CHECK(zone->to_utc({2024, 3, 31, 2, 30, 0, 0, std::nullopt}) == at(2024, 3, 31, 1, 30));
    CHECK(zone->to_utc({2024, 10, 27, 2, 30, 0, 0, std::nullopt}) == at(2024, 10, 27, 0, 30));
    CHECK(zone->to_civil(at(2024, 7, 1)).hour == 2);
    CHECK_FALSE(diag::logs::TimeZone::from_tzif("TZi", "x"));
    CHECK_FALSE(diag::logs::TimeZone::from_tzif(central_europe_2024().substr(0, 50), "x"));
    CHECK(diag::logs::parse_utc_offset("+05:30") == 19800);
    CHECK(diag::logs::parse_utc_offset("-0800") == -28800);
    CHECK_FALSE(diag::logs::parse_utc_offset("+5"));
}

TEST_CASE("reader: continuation lines join the record before them") {
    ReaderSettings settings{LogFormat::nginx_error, "nginx", {}, {}, {}, {}};
    diag::logs::ReaderStats stats;
    const auto records = read_all(
        "stray first line\n2024/01/02 03:04:05 [error] 1#1: boom\n  at frame 1\n  at frame 2\n"
        "2024/01/02 03:04:06 [warn] 1#1: next\n",
        settings, 1024, &stats);
    REQUIRE(records.size() == 3);
    CHECK(records[0].message == "stray first line");
    CHECK_FALSE(records[0].time.has_value());
    CHECK(records[1].message == "boom\n  at frame 1\n  at frame 2");
    CHECK(records[1].line_number == 2);
    CHECK(records[2].line_number == 5);
    CHECK(stats.continuation_lines == 2);
    CHECK(stats.unparsed_lines == 1);
}

TEST_CASE("reader: CRLF, NUL runs, invalid UTF-8 and a missing final newline") {
    ReaderSettings settings{LogFormat::rfc3164, "syslog", {}, 2024, {}, {}};
    const std::string bytes = std::string("Jan  1 00:00:01 h a: one\r\n") +
                              std::string(5000, '\0') +
                              "Jan  1 00:00:02 h a: bad \xff\xfe byte\r\nJan  1 00:00:03 h a: end";
    const auto records = read_all(bytes, settings);
    REQUIRE(records.size() == 3);
    CHECK(records[0].message == "one");
    CHECK(records[1].message == "bad \xff\xfe byte");
    CHECK(records[1].byte_offset == 26 + 5000);
    CHECK(records[2].message == "end");
}

TEST_CASE("reader: a huge line is cut to the limit and the rest counted, memory stays bounded") {
    ReaderSettings settings{LogFormat::rfc3164, "syslog", {}, 2024, {}, {}};
    std::vector<LogRecord> records;
    diag::logs::RecordReader reader(settings, [&](LogRecord&& r) { records.push_back(r); });
    diag::logs::LineSplitter splitter(
        [&](const diag::logs::SplitLine& line) { reader.add_line(line); }, 4096);
    splitter.feed("Jan  1 00:00:01 h a: ");
    const std::string block(1 << 20, 'x');
    for (int i = 0; i < 100; ++i) {
        splitter.feed(block);
    }
    splitter.feed("\nJan  1 00:00:02 h a: after\n");
    splitter.finish();
    reader.finish();
    REQUIRE(records.size() == 2);
    CHECK(records[0].message.size() < 4096);
    CHECK(records[0].dropped_bytes == 100U * (1U << 20U) + 21 - 4096);
    CHECK(records[1].message == "after");
    CHECK(records[1].line_number == 2);
}
