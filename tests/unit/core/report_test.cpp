#include <diag/core/error.hpp>
#include <diag/core/report.hpp>

#include <cerrno>

#include <catch2/catch.hpp>

namespace {

diag::Finding finding(diag::Severity severity, std::string check, std::string subject) {
    return {severity, std::move(check), std::move(subject), "summary", {}, {}, ""};
}

}  // namespace

TEST_CASE("report: ranked puts the worst first, then orders by check and subject") {
    using diag::Severity;
    const auto ranked = diag::ranked(
        {finding(Severity::ok, "b", "x"), finding(Severity::critical, "z", "b"),
         finding(Severity::info, "a", "x"), finding(Severity::warning, "c", "x"),
         finding(Severity::critical, "z", "a"), finding(Severity::critical, "a", "q")});
    REQUIRE(ranked.size() == 6);
    CHECK(ranked[0].check == "a");
    CHECK(ranked[1].subject == "a");
    CHECK(ranked[2].subject == "b");
    CHECK(ranked[3].severity == Severity::warning);
    CHECK(ranked[4].severity == Severity::info);
    CHECK(ranked[5].severity == Severity::ok);
}

TEST_CASE("report: info findings alone exit 0 when something was assessed") {
    diag::Report report;
    report.findings.push_back(finding(diag::Severity::info, "sys.uptime", "kernel"));
    CHECK(diag::exit_status(report) == 3);
    report.assessed_count = 1;
    CHECK(diag::exit_status(report) == 0);
    CHECK(report.worst() == diag::Severity::info);
}

TEST_CASE("report: merge appends everything and adds the assessed counts") {
    diag::Report a;
    a.findings.push_back(finding(diag::Severity::ok, "a", "x"));
    a.assessed_count = 1;
    diag::Report b;
    b.findings.push_back(finding(diag::Severity::warning, "b", "y"));
    b.issues.push_back({diag::IssueLevel::info, "read", "/proc/x", "gone", ""});
    b.metrics.push_back({"diag_x", "help", diag::MetricType::gauge, {}, 1.0});
    b.perfdata.push_back({"x", 1.0, "", {}, {}, {}, {}});
    b.assessed_count = 2;

    a.merge(std::move(b));
    CHECK(a.findings.size() == 2);
    CHECK(a.issues.size() == 1);
    CHECK(a.metrics.size() == 1);
    CHECK(a.perfdata.size() == 1);
    CHECK(a.assessed_count == 3);
    CHECK(diag::exit_status(a) == 1);
}

TEST_CASE("severity: names round-trip and unknown names are rejected") {
    for (auto severity : {diag::Severity::ok, diag::Severity::info, diag::Severity::warning,
                          diag::Severity::critical}) {
        CHECK(diag::parse_severity(diag::to_string(severity)) == severity);
    }
    CHECK(diag::to_upper_string(diag::Severity::critical) == "CRITICAL");
    CHECK_FALSE(diag::parse_severity("CRITICAL").has_value());
    CHECK_FALSE(diag::parse_severity("").has_value());
}

TEST_CASE("error: text names operation, object and reason; permission errors hint at root") {
    const auto error = diag::system_error("open", "/dev/sdb", EACCES);
    CHECK(diag::describe(error) == "open /dev/sdb: Permission denied");
    const auto issue = diag::to_issue(error);
    CHECK(issue.hint == "run as root");
    CHECK(diag::describe(issue) == "open /dev/sdb: Permission denied (run as root)");

    const auto missing = diag::to_issue(diag::system_error("open", "/x", ENOENT));
    CHECK(missing.hint.empty());
    CHECK(diag::describe(diag::Issue{diag::IssueLevel::info, "measure", "", "live only", ""}) ==
          "measure: live only");
}
