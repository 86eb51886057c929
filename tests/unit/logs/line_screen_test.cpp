// The line screen: under --classified only lines where some rule could match are parsed. It
// must never hide a line the classifier would match: the events with and without it are the
// same.

#include "support/shared_data.hpp"
#include "support/temp_dir.hpp"

#include <diag/core/root.hpp>
#include <diag/logs/classifier.hpp>
#include <diag/logs/log_files.hpp>

#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

using diag::logs::LogRecord;

namespace {

// (line number, rule ids) of every classified record of a file, read with or without the
// screen; stats of the read go to stats.
std::vector<std::pair<std::uint64_t, std::string>> events(const diag::Root& root,
                                                          const std::string& path,
                                                          const diag::logs::Classifier& classifier,
                                                          bool screened,
                                                          diag::logs::ReaderStats& stats) {
    diag::logs::ReadOptions options;
    options.chunk_bytes = 4096;  // many chunk borders, so matches cross them
    options.screen_with = screened ? &classifier : nullptr;
    std::vector<std::pair<std::uint64_t, std::string>> found;
    auto result = diag::logs::read_source(root, {path, false}, options, [&](LogRecord&& record) {
        std::string ids;
        for (const auto& match : classifier.classify(record)) {
            ids += classifier.rules().at(match.rule_index).id + " ";
        }
        if (!ids.empty()) {
            found.emplace_back(record.line_number, ids);
        }
    });
    CHECK(result.issues.empty());
    stats = result.data.stats;
    return found;
}

}  // namespace

TEST_CASE("screen: every rule's sample, as a line of its program, passes the screen") {
    auto classifier = diag::logs::Classifier::build(diag::logs::builtin_rules());
    REQUIRE(classifier);
    REQUIRE(classifier->has_screen());
    diag::test::TempDir dir;
    std::string text;
    for (const auto& rule : classifier->rules()) {
        const std::string program = rule.program.empty() ? "httpd" : rule.program;
        // Routine lines between the samples: the first is parsed (it could continue the
        // sample's record), the second is ruled out by the screen.
        text += "2024-03-10T14:02:10.000000+00:00 web1 cron[1]: (root) CMD (run-parts)\n";
        text += "2024-03-10T14:02:10.500000+00:00 web1 cron[1]: (root) CMD (true)\n";
        text += "2024-03-10T14:02:11.000000+00:00 web1 " + program + "[9]: " + rule.sample + "\n";
    }
    dir.write("samples.log", text);
    auto root = diag::Root::open(dir.path().string());
    REQUIRE(root);
    diag::logs::ReaderStats screened_stats;
    diag::logs::ReaderStats plain_stats;
    const auto path = dir.at("samples.log").string();
    const auto screened = events(*root, path, *classifier, true, screened_stats);
    const auto plain = events(*root, path, *classifier, false, plain_stats);
    CHECK(plain.size() == classifier->rules().size());
    CHECK(screened == plain);
    CHECK(screened_stats.screened_out_lines >= classifier->rules().size());
    CHECK(plain_stats.screened_out_lines == 0);
}

TEST_CASE("screen: the captured web server's logs give the same events with and without it") {
    auto classifier = diag::logs::Classifier::build(diag::logs::builtin_rules());
    REQUIRE(classifier);
    auto root = diag::Root::open("/");
    REQUIRE(root);
    const auto logs = diag::test::source_dir() / "tests/fixtures/logs/root/var/log";
    std::size_t total = 0;
    for (const char* name : {"syslog", "syslog.1.gz", "nginx/error.log", "nginx/error.log.1.zst",
                             "dmesg", "kern.log.1.xz", "apache2/error.log"}) {
        INFO(name);
        diag::logs::ReaderStats screened_stats;
        diag::logs::ReaderStats plain_stats;
        const auto path = (logs / name).string();
        const auto screened = events(*root, path, *classifier, true, screened_stats);
        const auto plain = events(*root, path, *classifier, false, plain_stats);
        CHECK(screened == plain);
        CHECK(screened_stats.lines == plain_stats.lines);
        total += plain.size();
    }
    CHECK(total >= 10);
}

TEST_CASE("screen: loghub's Linux and Apache samples give the same events with and without it") {
    const auto dir = diag::test::require_shared_data("logs");
    auto classifier = diag::logs::Classifier::build(diag::logs::builtin_rules());
    REQUIRE(classifier);
    auto root = diag::Root::open("/");
    REQUIRE(root);
    for (const char* name : {"Linux_2k.log", "Apache_2k.log"}) {
        INFO(name);
        diag::logs::ReaderStats screened_stats;
        diag::logs::ReaderStats plain_stats;
        const auto path = (dir / name).string();
        const auto screened = events(*root, path, *classifier, true, screened_stats);
        const auto plain = events(*root, path, *classifier, false, plain_stats);
        CHECK(screened == plain);
        CHECK(screened_stats.lines == plain_stats.lines);
        // Most of these lines are routine: the screen spares parsing them.
        CHECK(screened_stats.screened_out_lines * 2 > screened_stats.lines);
    }
}

TEST_CASE(
    "screen: the one made at build time loads for the built-in rules and finds what a "
    "compiled one finds") {
    auto loaded = diag::logs::Classifier::build(diag::logs::builtin_rules(),
                                                diag::logs::builtin_screen_database());
    REQUIRE(loaded);
    CHECK(loaded->screen_prebuilt());
    auto compiled = diag::logs::Classifier::build(diag::logs::builtin_rules());
    REQUIRE(compiled);
    CHECK_FALSE(compiled->screen_prebuilt());
    auto root = diag::Root::open("/");
    REQUIRE(root);
    const auto logs = diag::test::source_dir() / "tests/fixtures/logs/root/var/log";
    for (const char* name : {"syslog", "dmesg", "kern.log.1.xz", "nginx/error.log"}) {
        INFO(name);
        diag::logs::ReaderStats loaded_stats;
        diag::logs::ReaderStats compiled_stats;
        const auto path = (logs / name).string();
        const auto with_loaded = events(*root, path, *loaded, true, loaded_stats);
        CHECK_FALSE(with_loaded.empty());
        CHECK(with_loaded == events(*root, path, *compiled, true, compiled_stats));
        CHECK(loaded_stats.screened_out_lines == compiled_stats.screened_out_lines);
    }
}

TEST_CASE("screen: a prebuilt screen is refused for changed rules, which compile their own") {
    auto rules = diag::logs::builtin_rules();
    for (auto& rule : rules) {
        if (rule.id == "proc.segfault") {
            rule.pattern = "^(\\S+)\\[(\\d+)\\]: fell over at ([0-9a-f]+) ip ([0-9a-f]+)";
            rule.fields = {"process", "pid", "address", "ip"};
        }
    }
    auto classifier =
        diag::logs::Classifier::build(std::move(rules), diag::logs::builtin_screen_database());
    REQUIRE(classifier);
    CHECK_FALSE(classifier->screen_prebuilt());
    REQUIRE(classifier->has_screen());
    diag::test::TempDir dir;
    dir.write("kern.log",
              "2024-03-10T14:02:10.000000+00:00 web1 kernel: cron[1]: nothing here\n"
              "2024-03-10T14:02:11.000000+00:00 web1 kernel: app[77]: fell over at 0 "
              "ip 401000 sp 7ffc error 4\n");
    auto root = diag::Root::open("/");
    REQUIRE(root);
    diag::logs::ReaderStats stats;
    const auto found = events(*root, dir.at("kern.log").string(), *classifier, true, stats);
    REQUIRE(found.size() == 1);
    CHECK(found.front().second == "proc.segfault ");
    CHECK(stats.screened_out_lines == 1);
}

TEST_CASE(
    "screen: a line cut by chunk borders, an over-long line and a last line without a "
    "newline give the same events with and without it") {
    auto classifier = diag::logs::Classifier::build(diag::logs::builtin_rules());
    REQUIRE(classifier);
    const std::string sample =
        "2024-03-10T14:02:11.000000+00:00 web1 kernel: [ 5000.2] I/O error, dev sda, sector "
        "1953456 op 0x0:(READ) flags 0x0 phys_seg 1 prio class 0\n";
    std::string text;
    for (int i = 0; i < 300; ++i) {
        text += sample;  // 300 lines of ~140 bytes: many cut by the 4096-byte chunks
    }
    // A line of 200 KiB (longer than any record keeps) holding a match near its start, then
    // the sample again, and a last line with a match but no newline.
    text +=
        "2024-03-10T14:02:12.000000+00:00 web1 kernel: [ 5001.0] I/O error, dev sdb, sector "
        "7 op 0x0:(READ) " +
        std::string(200 << 10, 'x') + "\n";
    text += sample;
    text += sample.substr(0, sample.size() - 1);
    diag::test::TempDir dir;
    dir.write("kern.log", text);
    auto root = diag::Root::open("/");
    REQUIRE(root);
    diag::logs::ReaderStats screened_stats;
    diag::logs::ReaderStats plain_stats;
    const auto path = dir.at("kern.log").string();
    const auto screened = events(*root, path, *classifier, true, screened_stats);
    const auto plain = events(*root, path, *classifier, false, plain_stats);
    CHECK(plain.size() == 303);
    CHECK(screened == plain);
    CHECK(screened_stats.lines == plain_stats.lines);
}
