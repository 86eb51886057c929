#include "sample_report.hpp"

#include <diag/render/text.hpp>

#include <catch2/catch.hpp>

namespace {

std::size_t position(const std::string& text, std::string_view needle) {
    const auto at = text.find(needle);
    INFO("looking for '" << needle << "' in:\n" << text);
    REQUIRE(at != std::string::npos);
    return at;
}

}  // namespace

TEST_CASE("text: findings are listed worst first") {
    const auto text =
        diag::render_text(diag::test::sample_report(), diag::test::sample_run(), {false, false});
    const auto critical = position(text, "CRITICAL  sys.fs.read_only");
    const auto warning = position(text, "WARNING   sys.clock");
    const auto info = position(text, "INFO      sys.uptime");
    const auto ok = position(text, "OK        sys.memory.available");
    CHECK(critical < warning);
    CHECK(warning < info);
    CHECK(info < ok);
}

TEST_CASE("text: header, evidence of bad findings, issues and summary are shown") {
    const auto text =
        diag::render_text(diag::test::sample_report(), diag::test::sample_run(), {false, false});
    CHECK_THAT(text, Catch::StartsWith("diag-sys on box1 (Linux 6.1.0-13-amd64), "
                                       "2026-12-03 13:40:02 UTC\n"));
    CHECK_THAT(text, Catch::Contains("fs_errors_count=3"));
    CHECK_THAT(text, Catch::Contains("used_pct=96.5"));
    CHECK_THAT(text, Catch::Contains("rule: mountinfo"));
    CHECK_THAT(text, Catch::Contains("Could not check (1):\n  open /proc/pressure/io: No such"));
    CHECK_THAT(text, Catch::EndsWith("Summary: 1 critical, 1 warning, 1 info, 1 ok, 1 issue\n"));
    // Evidence of ok findings only with verbose.
    CHECK_THAT(text, !Catch::Contains("available_bytes=1024"));
    const auto verbose =
        diag::render_text(diag::test::sample_report(), diag::test::sample_run(), {false, true});
    CHECK_THAT(verbose, Catch::Contains("available_bytes=1024"));
}

TEST_CASE("text: without colour there is no escape character at all") {
    const auto text =
        diag::render_text(diag::test::sample_report(), diag::test::sample_run(), {false, true});
    CHECK(text.find('\x1b') == std::string::npos);
}

TEST_CASE("text: with colour the severities are painted and the colour reset") {
    const auto text =
        diag::render_text(diag::test::sample_report(), diag::test::sample_run(), {true, false});
    CHECK_THAT(text, Catch::Contains("\x1b[1;31mCRITICAL"));
    CHECK_THAT(text, Catch::Contains("\x1b[1;33mWARNING"));
    CHECK_THAT(text, Catch::Contains("\x1b[0m"));
}

TEST_CASE("text: machine text is escaped so it cannot drive the terminal") {
    auto report = diag::test::sample_report();
    report.findings.push_back({diag::Severity::critical,
                               "sys.fs.space",
                               "/mnt/\x1b[2Jevil",
                               "label \xc2\x9b"
                               "31m red",
                               {{"device", std::string("/dev/\x1b]0;title\x07")}},
                               {},
                               ""});
    report.issues.push_back({diag::IssueLevel::error, "open", "/sys/\x1b[5m", "gone\n", ""});
    auto run = diag::test::sample_run();
    run.hostname = "host\x1b[8m";

    for (bool color : {false, true}) {
        const auto text = diag::render_text(report, run, {color, true});
        INFO("colour " << color << ":\n" << text);
        CHECK(text.find("\x1b[2J") == std::string::npos);
        CHECK(text.find("\x1b]0;") == std::string::npos);
        CHECK(text.find("\x1b[5m") == std::string::npos);
        CHECK(text.find("\x1b[8m") == std::string::npos);
        CHECK(text.find("\xc2\x9b") == std::string::npos);
        CHECK_THAT(text, Catch::Contains("/mnt/\\x1b[2Jevil"));
        CHECK_THAT(text, Catch::Contains("label \\u009b31m red"));
        CHECK_THAT(text, Catch::Contains("device=/dev/\\x1b]0;title\\x07"));
        CHECK_THAT(text, Catch::Contains("host\\x1b[8m"));
        CHECK_THAT(text, Catch::Contains("open /sys/\\x1b[5m: gone\\n"));
    }
}

TEST_CASE("text: an empty report says nothing could be assessed") {
    const auto text = diag::render_text(diag::Report{}, diag::test::sample_run(), {false, false});
    CHECK_THAT(text, Catch::EndsWith("Summary: nothing could be assessed\n"));
}

TEST_CASE("text: a captured root is named in the header") {
    auto run = diag::test::sample_run();
    run.root = "/tmp/bundle";
    const auto text = diag::render_text(diag::Report{}, run, {false, false});
    CHECK_THAT(text, Catch::Contains(", captured root /tmp/bundle, "));
}
