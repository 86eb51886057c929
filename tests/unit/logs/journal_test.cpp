// The journal: entries turned into records, `journalctl -o json` and `-o export` decoded, and
// a real journal file (made here from export text by systemd-journal-remote) read natively with
// libsystemd through a captured root.

#include "support/process.hpp"
#include "support/shared_data.hpp"
#include "support/temp_dir.hpp"

#include <diag/core/root.hpp>
#include <diag/logs/format_detect.hpp>
#include <diag/logs/journal_entry.hpp>
#include <diag/logs/journal_reader.hpp>
#include <diag/logs/kmsg_reader.hpp>
#include <diag/logs/log_files.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include <unistd.h>

using diag::logs::JournalFields;
using diag::logs::LogFormat;
using diag::logs::LogRecord;
using diag::logs::UtcTime;

namespace {

// One entry in the export format: text fields as "NAME=value", a value holding a newline or
// NUL as a binary field (NAME, LF, 64-bit little-endian length, bytes, LF); then the empty line.
std::string export_entry(const std::vector<std::pair<std::string, std::string>>& fields) {
    std::string out;
    for (const auto& [name, value] : fields) {
        if (value.find_first_of(std::string_view("\n\0", 2)) == std::string::npos) {
            out += name + "=" + value + "\n";
            continue;
        }
        out += name + "\n";
        std::uint64_t size = value.size();
        for (int i = 0; i < 8; ++i) {
            out += static_cast<char>(size & 0xFFU);
            size >>= 8U;
        }
        out += value + "\n";
    }
    return out + "\n";
}

const std::string kBoot = "0123456789abcdef0123456789abcdef";

// A kernel I/O error and a program's two-line message with a NUL, as journald stores them.
std::string sample_export() {
    return export_entry({{"__CURSOR", "s=1;i=1"},
                         {"__REALTIME_TIMESTAMP", "1710079331123456"},
                         {"__MONOTONIC_TIMESTAMP", "5012123456"},
                         {"_BOOT_ID", kBoot},
                         {"_TRANSPORT", "kernel"},
                         {"PRIORITY", "3"},
                         {"_SOURCE_MONOTONIC_TIMESTAMP", "5012100000"},
                         {"SYSLOG_IDENTIFIER", "kernel"},
                         {"_HOSTNAME", "web1"},
                         {"MESSAGE", "blk_update_request: I/O error, dev sda, sector 1953456"}}) +
           export_entry({{"__CURSOR", "s=1;i=2"},
                         {"__REALTIME_TIMESTAMP", "1710079332000000"},
                         {"__MONOTONIC_TIMESTAMP", "5013000000"},
                         {"_BOOT_ID", kBoot},
                         {"_TRANSPORT", "syslog"},
                         {"PRIORITY", "6"},
                         {"SYSLOG_IDENTIFIER", "app"},
                         {"_PID", "42"},
                         {"_COMM", "app-bin"},
                         {"_HOSTNAME", "web1"},
                         {"MESSAGE", std::string("two\nlines\0nul", 13)}});
}

UtcTime micros(std::int64_t value) {
    return UtcTime{std::chrono::microseconds{value}};
}

void check_sample_records(const std::vector<LogRecord>& records) {
    REQUIRE(records.size() == 2);
    const auto& kernel = records[0];
    CHECK(kernel.time == micros(1710079331123456));
    CHECK(kernel.time_confidence == diag::logs::TimeConfidence::exact);
    REQUIRE(kernel.monotonic_seconds.has_value());
    CHECK(*kernel.monotonic_seconds == Approx(5012.1));
    CHECK(kernel.program == "kernel");
    CHECK(kernel.level == diag::logs::LogLevel::error);
    CHECK(kernel.host == "web1");
    CHECK(kernel.field("boot_id") == kBoot);
    CHECK(kernel.message == "blk_update_request: I/O error, dev sda, sector 1953456");
    const auto& app = records[1];
    CHECK(app.program == "app");
    CHECK(app.pid == 42);
    CHECK(app.level == diag::logs::LogLevel::info);
    CHECK(app.message == std::string("two\nlines\0nul", 13));
    CHECK_FALSE(app.monotonic_seconds.has_value());
}

std::vector<LogRecord> decode_export(std::string_view bytes, std::size_t chunk,
                                     diag::logs::ReaderStats* stats = nullptr) {
    std::vector<LogRecord> records;
    diag::logs::JournalExportDecoder decoder(
        "test", [&](LogRecord&& record) { records.push_back(std::move(record)); });
    for (std::size_t at = 0; at < bytes.size(); at += chunk) {
        decoder.feed(bytes.substr(at, chunk));
    }
    decoder.finish();
    if (stats != nullptr) {
        *stats = decoder.stats();
    }
    return records;
}

std::vector<LogRecord> read_file_records(const diag::Root& root, const std::string& path,
                                         diag::logs::SourceSummary* summary = nullptr) {
    std::vector<LogRecord> records;
    auto result = diag::logs::read_source(root, {path, false}, {},
                                          [&](LogRecord&& r) { records.push_back(std::move(r)); });
    CHECK(result.issues.empty());
    if (summary != nullptr) {
        *summary = result.data;
    }
    return records;
}

const char* const kJournalRemote = "/lib/systemd/systemd-journal-remote";

// Makes <root>/var/log/journal/<machine>/remote.journal from export text with
// systemd-journal-remote, which writes real journal files; skips when it is not installed.
void make_journal(const diag::test::TempDir& dir, const std::string& export_text) {
    if (::access(kJournalRemote, X_OK) != 0) {
        diag::test::skip("no way to write a journal here: install systemd-journal-remote");
    }
    dir.write("in.export", export_text);
    dir.make_dir("root/var/log/journal/" + kBoot);
    const auto output = dir.at("root/var/log/journal/" + kBoot + "/remote.journal").string();
    const auto run =
        diag::test::run_process({kJournalRemote, "--output=" + output, dir.at("in.export")});
    INFO(run.err);
    REQUIRE(run.exit_code == 0);
    REQUIRE(std::filesystem::exists(output));
}

}  // namespace

TEST_CASE("journal: a kernel entry keeps its realtime and its own monotonic stamp") {
    const JournalFields fields{{"__REALTIME_TIMESTAMP", "1710079331123456"},
                               {"__MONOTONIC_TIMESTAMP", "5012123456"},
                               {"_TRANSPORT", "kernel"},
                               {"_SOURCE_MONOTONIC_TIMESTAMP", "5012100000"},
                               {"PRIORITY", "2"},
                               {"MESSAGE", "Kernel panic - not syncing\n"}};
    const auto record = diag::logs::record_from_journal(fields);
    CHECK(record.time == micros(1710079331123456));
    REQUIRE(record.monotonic_seconds.has_value());
    CHECK(*record.monotonic_seconds == Approx(5012.1));
    CHECK(record.level == diag::logs::LogLevel::critical);
    CHECK(record.program == "kernel");
    CHECK(record.message == "Kernel panic - not syncing");
}

TEST_CASE("journal: a kernel entry without a source stamp falls back to journald's monotonic") {
    const auto record = diag::logs::record_from_journal(
        {{"_TRANSPORT", "kernel"}, {"__MONOTONIC_TIMESTAMP", "2500000"}, {"MESSAGE", "x"}});
    REQUIRE(record.monotonic_seconds.has_value());
    CHECK(*record.monotonic_seconds == Approx(2.5));
}

TEST_CASE("journal: numbers that are not numbers are left out, never read as zero") {
    const auto record = diag::logs::record_from_journal({{"__REALTIME_TIMESTAMP", "soon"},
                                                         {"PRIORITY", "high"},
                                                         {"_PID", "-3"},
                                                         {"_COMM", "cron"},
                                                         {"MESSAGE", "m"}});
    CHECK_FALSE(record.time.has_value());
    CHECK(record.time_confidence == diag::logs::TimeConfidence::none);
    CHECK_FALSE(record.level.has_value());
    CHECK_FALSE(record.pid.has_value());
    CHECK(record.program == "cron");
}

TEST_CASE("journal: JSON lines give strings, byte arrays, the first of repeated values") {
    const auto fields = diag::logs::parse_journal_json(
        R"({"__REALTIME_TIMESTAMP":"1710079332000000","MESSAGE":[116,119,111,10,0,33],)"
        R"("_COMM":["first","second"],"BIG":null,"bad name":"x","_PID":"42"})");
    REQUIRE(fields.has_value());
    const auto record = diag::logs::record_from_journal(*fields);
    CHECK(record.message == std::string("two\n\0!", 6));
    CHECK(record.program == "first");
    CHECK(record.pid == 42);
    CHECK(record.time == micros(1710079332000000));
    for (const auto& field : *fields) {
        CHECK(field.name != "BIG");
        CHECK(field.name != "bad name");
    }
}

TEST_CASE("journal: JSON that is not a journal entry does not parse") {
    CHECK_FALSE(diag::logs::parse_journal_json(R"({"level":"info","msg":"hello"})"));
    CHECK_FALSE(diag::logs::parse_journal_json(R"({"MESSAGE":"cut)"));
    CHECK_FALSE(diag::logs::parse_journal_json(R"(["MESSAGE","x"])"));
    CHECK_FALSE(diag::logs::parse_journal_json("Jun 14 15:16:01 host x: {}"));
}

TEST_CASE("journal: export text and binary fields decode the same whatever the chunking") {
    const auto bytes = sample_export();
    check_sample_records(decode_export(bytes, bytes.size()));
    check_sample_records(decode_export(bytes, 1));
    check_sample_records(decode_export(bytes, 7));
}

TEST_CASE("journal: a damaged export entry is skipped and the next one is read") {
    const std::string damaged = "__REALTIME_TIMESTAMP=1\nnot a field=1\nMESSAGE=lost\n\n";
    diag::logs::ReaderStats stats;
    const auto records = decode_export(damaged + sample_export(), 5, &stats);
    CHECK(stats.unparsed_lines == 1);
    check_sample_records(records);
}

TEST_CASE("journal: a binary field whose size runs past the stream is cut, not read on") {
    std::string bytes = sample_export();
    bytes += "MESSAGE\n";
    bytes += std::string("\xff\xff\xff\xff\xff\xff\xff\x7f", 8);
    bytes += "short";
    diag::logs::ReaderStats stats;
    const auto records = decode_export(bytes, 3, &stats);
    CHECK(records.size() == 2);
    CHECK(stats.unparsed_lines >= 1);
}

TEST_CASE("journal: export and JSON files are detected from their first lines") {
    const auto text = sample_export();
    std::vector<std::string_view> lines;
    std::string_view rest = text;
    while (!rest.empty()) {
        const auto end = std::min(rest.find('\n'), rest.size());
        lines.push_back(rest.substr(0, end));
        rest.remove_prefix(std::min(end + 1, rest.size()));
    }
    CHECK(diag::logs::detect_format(lines) == LogFormat::journal_export);
    CHECK(diag::logs::detect_format({R"({"__REALTIME_TIMESTAMP":"1","MESSAGE":"a"})",
                                     R"({"__REALTIME_TIMESTAMP":"2","MESSAGE":"b"})"}) ==
          LogFormat::journal_json);
    // Environment-like text without a realtime stamp is not taken for an export.
    CHECK(diag::logs::detect_format({"PATH=/usr/bin", "HOME=/root"}) == LogFormat::plain);
}

TEST_CASE("journal: export and JSON files named on the command line are read as journals") {
    diag::test::TempDir dir;
    dir.write("sample.export", sample_export());
    dir.write("sample.json",
              R"({"__REALTIME_TIMESTAMP":"1710079331123456","__MONOTONIC_TIMESTAMP":"5012123456",)"
              R"("_BOOT_ID":"0123456789abcdef0123456789abcdef","_TRANSPORT":"kernel",)"
              R"("PRIORITY":"3","_SOURCE_MONOTONIC_TIMESTAMP":"5012100000",)"
              R"("SYSLOG_IDENTIFIER":"kernel","_HOSTNAME":"web1",)"
              R"("MESSAGE":"blk_update_request: I/O error, dev sda, sector 1953456"})"
              "\n"
              R"({"__REALTIME_TIMESTAMP":"1710079332000000","_PID":"42","PRIORITY":"6",)"
              R"("SYSLOG_IDENTIFIER":"app","_HOSTNAME":"web1",)"
              R"("MESSAGE":[116,119,111,10,108,105,110,101,115,0,110,117,108]})"
              "\n");
    auto root = diag::Root::open(dir.path().string());
    REQUIRE(root);
    diag::logs::SourceSummary summary;
    check_sample_records(read_file_records(*root, dir.at("sample.export").string(), &summary));
    CHECK(summary.format == LogFormat::journal_export);
    const auto json = read_file_records(*root, dir.at("sample.json").string(), &summary);
    CHECK(summary.format == LogFormat::journal_json);
    REQUIRE(json.size() == 2);
    CHECK(json[0].time == micros(1710079331123456));
    CHECK(json[1].message == std::string("two\nlines\0nul", 13));
}

TEST_CASE("journal: a journal file under a captured root is read natively, every boot") {
    diag::test::TempDir dir;
    const std::string other_boot = "fedcba9876543210fedcba9876543210";
    make_journal(dir, export_entry({{"__CURSOR", "s=0;i=9"},
                                    {"__REALTIME_TIMESTAMP", "1709000000000000"},
                                    {"__MONOTONIC_TIMESTAMP", "1000000"},
                                    {"_BOOT_ID", other_boot},
                                    {"_TRANSPORT", "stdout"},
                                    {"PRIORITY", "5"},
                                    {"SYSLOG_IDENTIFIER", "older"},
                                    {"MESSAGE", "from the boot before"}}) +
                          sample_export());
    auto root = diag::Root::open(dir.at("root").string());
    REQUIRE(root);
    CHECK(diag::logs::has_journal(*root));
    std::vector<LogRecord> records;
    auto result = diag::logs::read_journal(
        *root, {}, [&](LogRecord&& record) { records.push_back(std::move(record)); });
    CHECK(result.issues.empty());
    CHECK(result.data.opened);
    CHECK(result.data.note == "2 boots");
    REQUIRE(records.size() == 3);
    CHECK(records[0].message == "from the boot before");
    CHECK(records[0].field("boot_id") == other_boot);
    records.erase(records.begin());
    check_sample_records(records);
    CHECK(records[0].format == LogFormat::journal);
    CHECK(records[0].source == root->display("/var/log/journal"));
}

TEST_CASE("journal: --since and --until are applied while reading the journal") {
    diag::test::TempDir dir;
    make_journal(dir, sample_export());
    auto root = diag::Root::open(dir.at("root").string());
    REQUIRE(root);
    std::vector<LogRecord> records;
    const diag::logs::JournalReadOptions options{micros(1710079331500000), micros(1710079333000000),
                                                 std::chrono::milliseconds(5000)};
    auto result = diag::logs::read_journal(
        *root, options, [&](LogRecord&& record) { records.push_back(std::move(record)); });
    REQUIRE(records.size() == 1);
    CHECK(records[0].program == "app");

    records.clear();
    const diag::logs::JournalReadOptions later{micros(1810000000000000), std::nullopt,
                                               std::chrono::milliseconds(5000)};
    auto none = diag::logs::read_journal(
        *root, later, [&](LogRecord&& record) { records.push_back(std::move(record)); });
    CHECK(records.empty());
    REQUIRE(none.issues.size() == 1);
    CHECK(none.issues[0].level == diag::IssueLevel::info);
}

TEST_CASE("journal: an empty journal directory is said to be empty, not quiet") {
    diag::test::TempDir dir;
    dir.make_dir("var/log/journal");
    auto root = diag::Root::open(dir.path().string());
    REQUIRE(root);
    CHECK(diag::logs::has_journal(*root));
    std::size_t count = 0;
    auto result = diag::logs::read_journal(*root, {}, [&](LogRecord&&) { ++count; });
    CHECK(count == 0);
    REQUIRE(result.issues.size() == 1);
    CHECK(result.issues[0].reason.find("no journal entries") != std::string::npos);
}

TEST_CASE("journal: a root without journal directories has no journal source") {
    diag::test::TempDir dir;
    dir.write("var/log/syslog", "Jun 14 15:16:01 web1 app: hello\n");
    auto root = diag::Root::open(dir.path().string());
    REQUIRE(root);
    CHECK_FALSE(diag::logs::has_journal(*root));
    const auto sources = diag::logs::default_sources(*root);
    REQUIRE(sources.data.size() == 1);
    CHECK(sources.data[0].kind == diag::logs::SourceKind::file);
}

TEST_CASE("kmsg: a regular file planted at /dev/kmsg in a captured root is refused") {
    diag::test::TempDir dir;
    dir.write("dev/kmsg", "6,1,1,-;planted\n");
    auto root = diag::Root::open(dir.path().string());
    REQUIRE(root);
    std::size_t count = 0;
    auto result = diag::logs::read_kmsg(*root, std::nullopt, std::chrono::milliseconds(2000),
                                        [&](LogRecord&&) { ++count; });
    CHECK(count == 0);
    CHECK_FALSE(result.data.opened);
    REQUIRE(result.issues.size() == 1);
    CHECK(result.issues[0].reason == "not a character device");
}

TEST_CASE("kmsg: the live kernel ring is read through the device, dated through the boot time") {
    auto root = diag::Root::open("/");
    REQUIRE(root);
    const auto boot = diag::logs::read_boot_time(*root);
    std::vector<LogRecord> records;
    auto result = diag::logs::read_kmsg(*root, boot, std::chrono::milliseconds(5000),
                                        [&](LogRecord&& r) { records.push_back(std::move(r)); });
    if (!result.data.opened) {
        diag::test::skip("cannot open /dev/kmsg here (needs root or CAP_SYSLOG)");
    }
    if (!boot) {
        diag::test::skip("no btime in /proc/stat to date the ring by");
    }
    REQUIRE_FALSE(records.empty());
    std::optional<std::uint64_t> last_sequence;
    for (const auto& record : records) {
        CHECK(record.format == LogFormat::kmsg);
        REQUIRE(record.time.has_value());
        CHECK(record.time_confidence == diag::logs::TimeConfidence::boot_relative);
        CHECK(*record.time >= *boot);
        const auto sequence = std::stoull(std::string(record.field("sequence")));
        CHECK((!last_sequence || sequence > *last_sequence));
        last_sequence = sequence;
    }
    CHECK(result.data.stats.records == records.size());
}
