#include "sample_report.hpp"
#include "support/contracts.hpp"

#include <diag/render/nagios.hpp>

#include <catch2/catch.hpp>

namespace {

std::string first_line(const std::string& text) {
    return text.substr(0, text.find('\n'));
}

diag::Report perfdata_report(double value) {
    diag::Report report;
    report.assessed_count = 1;
    report.findings.push_back(
        {diag::Severity::ok, "sys.memory.available", "memory", "fine", {}, {}, ""});
    report.perfdata.push_back({"mem_available_pct", value, "%", {}, {}, 0.0, 100.0});
    report.perfdata.push_back({"load5", 0.5, "", {}, {}, 0.0, {}});
    return report;
}

}  // namespace

TEST_CASE("nagios: the status line names the tool and state, then the worst findings") {
    const auto output = diag::render_nagios(diag::test::sample_report(), diag::test::sample_run());
    CHECK(output.exit_status == 2);
    const auto line = first_line(output.text);
    CHECK(line ==
          "DIAG-SYS CRITICAL - /srv: ext4 on /dev/sdb1 is read-only; clock: not synchronised "
          "| 'mem_available_pct'=42.5%;;;0;100");
    CHECK(diag::test::is_nagios_status_line(line));
}

TEST_CASE("nagios: later lines list bad findings and issues") {
    const auto output = diag::render_nagios(diag::test::sample_report(), diag::test::sample_run());
    CHECK_THAT(output.text,
               Catch::Contains("\nCRITICAL: sys.fs.read_only /srv: ext4 on /dev/sdb1 is "
                               "read-only\nWARNING: sys.clock clock: not synchronised\n"));
    CHECK_THAT(output.text, Catch::EndsWith("could not check: open /proc/pressure/io: No such "
                                            "file or directory\n"));
    CHECK_THAT(output.text, !Catch::Contains("sys.uptime"));
}

TEST_CASE("nagios: states map to exit codes 0 to 3") {
    auto run = diag::test::sample_run();
    auto ok = diag::render_nagios(perfdata_report(50.0), run);
    CHECK(ok.exit_status == 0);
    CHECK_THAT(ok.text, Catch::StartsWith("DIAG-SYS OK - 1 checks ok | "));

    auto warning = perfdata_report(50.0);
    warning.findings[0].severity = diag::Severity::warning;
    CHECK(diag::render_nagios(warning, run).exit_status == 1);

    const auto unknown = diag::render_nagios(diag::Report{}, run);
    CHECK(unknown.exit_status == 3);
    CHECK(first_line(unknown.text) == "DIAG-SYS UNKNOWN - nothing could be assessed");
    CHECK(diag::test::is_nagios_status_line(first_line(unknown.text)));
}

TEST_CASE("nagios: more than three bad findings are summarised with a count") {
    diag::Report report;
    report.assessed_count = 5;
    for (int i = 0; i < 5; ++i) {
        report.findings.push_back({diag::Severity::warning,
                                   "sys.fs.space",
                                   "/m" + std::to_string(i),
                                   "full",
                                   {},
                                   {},
                                   ""});
    }
    const auto line = first_line(diag::render_nagios(report, diag::test::sample_run()).text);
    CHECK(line == "DIAG-SYS WARNING - /m0: full; /m1: full; /m2: full (+2 more)");
}

TEST_CASE("nagios: a '|' or a newline in machine text cannot break the status line") {
    auto report = diag::test::sample_report();
    report.findings[1].subject = "/mnt/a|b";
    report.findings[1].summary = "bad\nCRITICAL - forged | 'x'=1";
    const auto output = diag::render_nagios(report, diag::test::sample_run());
    const auto line = first_line(output.text);
    INFO(output.text);
    CHECK(diag::test::is_nagios_status_line(line));
    CHECK_THAT(line, Catch::StartsWith("DIAG-SYS CRITICAL - /mnt/a/b: bad\\nCRITICAL - forged / "
                                       "'x'=1; "));
    // Exactly one '|': the one that starts perfdata.
    CHECK(std::count(line.begin(), line.end(), '|') == 1);
}

TEST_CASE("nagios: perfdata labels are quoted, with quotes doubled and '=' replaced") {
    diag::Perfdata item{"it's a=b", 3.0, "B", {}, {}, {}, {}};
    CHECK(diag::format_perfdata(item) == "'it''s a_b'=3B");
    const std::string line = "DIAG-X OK - fine | " + diag::format_perfdata(item);
    CHECK(diag::test::is_nagios_status_line(line));
}

TEST_CASE("nagios: perfdata has warn, crit, min and max in order, trailing blanks dropped") {
    auto warn = diag::parse_threshold_range("10:");
    auto crit = diag::parse_threshold_range("5:");
    REQUIRE(warn);
    REQUIRE(crit);
    CHECK(diag::format_perfdata({"mem", 42.5, "%", *warn, *crit, 0.0, 100.0}) ==
          "'mem'=42.5%;10:;5:;0;100");
    CHECK(diag::format_perfdata({"load5", 1.25, "", {}, {}, 0.0, {}}) == "'load5'=1.25;;;0");
    CHECK(diag::format_perfdata({"n", 7.0, "c", {}, {}, {}, {}}) == "'n'=7c");
}

TEST_CASE("nagios: perfdata numbers are plain decimals without exponent") {
    CHECK(diag::format_perfdata_number(25276071936.0) == "25276071936");
    CHECK(diag::format_perfdata_number(0.000123) == "0.000123");
    CHECK(diag::format_perfdata_number(-2.5) == "-2.5");
    CHECK(diag::format_perfdata_number(0.0) == "0");
    CHECK(diag::format_perfdata_number(1.0 / 0.0) == "U");
}

TEST_CASE("nagios: a bare -w range applies to the tool's primary perfdata label") {
    auto report = perfdata_report(7.0);
    auto applied = diag::apply_thresholds(report, {"10:"}, {"5:"}, "mem_available_pct");
    REQUIRE(applied.has_value());

    REQUIRE(report.perfdata[0].warn.has_value());
    CHECK(report.perfdata[0].warn->text == "10:");
    CHECK(report.perfdata[0].crit->text == "5:");
    REQUIRE(report.findings.size() == 2);
    CHECK(report.findings[1].check == "nagios.threshold");
    CHECK(report.findings[1].severity == diag::Severity::warning);
    CHECK(report.findings[1].subject == "mem_available_pct");

    const auto output = diag::render_nagios(report, diag::test::sample_run());
    CHECK(output.exit_status == 1);
    const auto line = first_line(output.text);
    CHECK(diag::test::is_nagios_status_line(line));
    CHECK_THAT(line, Catch::Contains("'mem_available_pct'=7%;10:;5:;0;100"));
}

TEST_CASE("nagios: LABEL=RANGE picks the perfdata item, and a critical breach is critical") {
    auto report = perfdata_report(50.0);
    auto applied = diag::apply_thresholds(report, {}, {"load5=@0:1"}, "mem_available_pct");
    REQUIRE(applied.has_value());
    CHECK_FALSE(report.perfdata[0].crit.has_value());
    REQUIRE(report.perfdata[1].crit.has_value());
    CHECK(report.perfdata[1].crit->text == "@0:1");
    CHECK(diag::render_nagios(report, diag::test::sample_run()).exit_status == 2);
}

TEST_CASE("nagios: a threshold that holds adds no finding") {
    auto report = perfdata_report(50.0);
    REQUIRE(diag::apply_thresholds(report, {"10:"}, {"5:"}, "mem_available_pct").has_value());
    CHECK(report.findings.size() == 1);
    CHECK(diag::render_nagios(report, diag::test::sample_run()).exit_status == 0);
}

TEST_CASE("nagios: an unknown label or a malformed range is an error naming it") {
    auto report = perfdata_report(50.0);
    auto unknown = diag::apply_thresholds(report, {"swap_pct=10"}, {}, "mem_available_pct");
    REQUIRE_FALSE(unknown.has_value());
    CHECK_THAT(unknown.error(), Catch::Contains("'swap_pct'"));

    auto malformed = diag::apply_thresholds(report, {"20:10"}, {}, "mem_available_pct");
    REQUIRE_FALSE(malformed.has_value());
    CHECK_THAT(malformed.error(), Catch::Contains("'20:10'"));

    auto no_primary = diag::apply_thresholds(report, {"10"}, {}, "");
    REQUIRE_FALSE(no_primary.has_value());
    CHECK_THAT(no_primary.error(), Catch::Contains("LABEL=10"));
}
