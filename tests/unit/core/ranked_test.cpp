#include <diag/core/report.hpp>

#include <catch2/catch.hpp>

TEST_CASE("report: ranked puts the worst first and keeps the order of exact ties") {
    using diag::Severity;
    std::vector<diag::Finding> findings{
        {Severity::ok, "b", "x", "first ok", {}, {}, ""},
        {Severity::warning, "a", "y", "first tie", {}, {}, ""},
        {Severity::critical, "c", "z", "critical", {}, {}, ""},
        {Severity::warning, "a", "y", "second tie", {}, {}, ""},
        {Severity::warning, "a", "w", "same check, earlier subject", {}, {}, ""},
        {Severity::warning, "a", "y", "third tie", {}, {}, ""},
    };
    const auto sorted = diag::ranked(findings);
    REQUIRE(sorted.size() == findings.size());
    CHECK(sorted[0].summary == "critical");
    CHECK(sorted[1].summary == "same check, earlier subject");
    CHECK(sorted[2].summary == "first tie");
    CHECK(sorted[3].summary == "second tie");
    CHECK(sorted[4].summary == "third tie");
    CHECK(sorted[5].summary == "first ok");
}
