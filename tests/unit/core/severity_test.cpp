#include <diag/core/report.hpp>

#include <catch2/catch.hpp>

TEST_CASE("report: exit status follows the worst finding, 3 when nothing was assessed") {
    diag::Report report;
    CHECK(diag::exit_status(report) == 3);

    report.assessed_count = 1;
    report.findings.push_back({diag::Severity::ok, "a", "x", "fine", {}, {}, ""});
    CHECK(diag::exit_status(report) == 0);

    report.findings.push_back({diag::Severity::warning, "b", "x", "hm", {}, {}, ""});
    CHECK(diag::exit_status(report) == 1);

    report.findings.push_back({diag::Severity::critical, "c", "x", "bad", {}, {}, ""});
    CHECK(diag::exit_status(report) == 2);
    CHECK(diag::ranked(report.findings).front().check == "c");
}
