#include "sample_report.hpp"
#include "support/contracts.hpp"

#include <diag/render/prometheus.hpp>

#include <catch2/catch.hpp>

namespace {

std::size_t count(const std::string& text, std::string_view needle) {
    std::size_t found = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
        ++found;
    }
    return found;
}

std::string problems_of(const std::string& text) {
    std::string all;
    for (const auto& problem : diag::test::prometheus_problems(text)) {
        all += problem + "\n";
    }
    return all;
}

}  // namespace

TEST_CASE("prometheus: interleaved samples of a family come out in one block under one HELP") {
    diag::Report report;
    auto gauge = [](std::string name, std::string disk, double value) {
        return diag::Metric{std::move(name),
                            "help " + disk,
                            diag::MetricType::gauge,
                            {{"device", std::move(disk)}},
                            value};
    };
    report.metrics = {gauge("diag_a_bytes", "sda", 1), gauge("diag_b_ratio", "sda", 0.5),
                      gauge("diag_a_bytes", "sdb", 2), gauge("diag_b_ratio", "sdb", 0.25)};
    const auto text = diag::render_prometheus(report, diag::test::sample_run());
    INFO(text);

    CHECK(problems_of(text).empty());
    CHECK(count(text, "# HELP diag_a_bytes ") == 1);
    CHECK(count(text, "# TYPE diag_a_bytes gauge\n") == 1);
    CHECK_THAT(text, Catch::Contains("# HELP diag_a_bytes help sda\n"
                                     "# TYPE diag_a_bytes gauge\n"
                                     "diag_a_bytes{tool=\"diag-sys\",device=\"sda\"} 1\n"
                                     "diag_a_bytes{tool=\"diag-sys\",device=\"sdb\"} 2\n"
                                     "# HELP diag_b_ratio"));
}

TEST_CASE("prometheus: every run has its own metrics, labelled with the tool") {
    const auto text =
        diag::render_prometheus(diag::test::sample_report(), diag::test::sample_run());
    INFO(text);
    CHECK(problems_of(text).empty());
    CHECK_THAT(text, Catch::Contains("diag_finding_severity{tool=\"diag-sys\",check=\"sys.fs."
                                     "read_only\",subject=\"/srv\"} 3\n"));
    CHECK_THAT(text, Catch::Contains("diag_findings{tool=\"diag-sys\",severity=\"critical\"} 1\n"));
    CHECK_THAT(text, Catch::Contains("diag_findings{tool=\"diag-sys\",severity=\"ok\"} 1\n"));
    CHECK_THAT(text, Catch::Contains("diag_collection_issues{tool=\"diag-sys\"} 1\n"));
    CHECK_THAT(text, Catch::Contains("diag_run_complete{tool=\"diag-sys\"} 0\n"));
    CHECK_THAT(text, Catch::Contains("diag_run_timestamp_seconds{tool=\"diag-sys\"} 1796305202\n"));
    CHECK_THAT(text, Catch::Contains("diag_run_duration_seconds{tool=\"diag-sys\"} 1.234\n"));
}

TEST_CASE("prometheus: label values escape backslash, quote and newline") {
    CHECK(diag::escape_label_value("a\\b\"c\nd") == "a\\\\b\\\"c\\nd");
    CHECK(diag::escape_label_value("plain /dev/sda") == "plain /dev/sda");
    CHECK(diag::escape_label_value("bad \xff utf8") == "bad ? utf8");

    auto report = diag::test::sample_report();
    report.findings[1].subject = "/mnt/\"quoted\"\\dir\nnext";
    const auto text = diag::render_prometheus(report, diag::test::sample_run());
    INFO(text);
    CHECK(problems_of(text).empty());
    CHECK_THAT(text, Catch::Contains("subject=\"/mnt/\\\"quoted\\\"\\\\dir\\nnext\"} 3\n"));
}

TEST_CASE("prometheus: HELP text escapes backslash and newline") {
    diag::Report report;
    report.metrics.push_back({"diag_x", "two\nlines \\ here", diag::MetricType::gauge, {}, 1.0});
    const auto text = diag::render_prometheus(report, diag::test::sample_run());
    CHECK_THAT(text, Catch::StartsWith("# HELP diag_x two\\nlines \\\\ here\n"));
    CHECK(problems_of(text).empty());
}

TEST_CASE("prometheus: counters are typed as counters and special values are spelled out") {
    diag::Report report;
    report.metrics.push_back(
        {"diag_sys_oom_kills_total", "kills", diag::MetricType::counter, {}, 3.0});
    report.metrics.push_back({"diag_nan", "n", diag::MetricType::gauge, {}, 0.0 / 0.0});
    report.metrics.push_back({"diag_inf", "i", diag::MetricType::gauge, {}, -1.0 / 0.0});
    const auto text = diag::render_prometheus(report, diag::test::sample_run());
    INFO(text);
    CHECK(problems_of(text).empty());
    CHECK_THAT(text, Catch::Contains("# TYPE diag_sys_oom_kills_total counter\n"
                                     "diag_sys_oom_kills_total{tool=\"diag-sys\"} 3\n"));
    CHECK_THAT(text, Catch::Contains("diag_nan{tool=\"diag-sys\"} NaN\n"));
    CHECK_THAT(text, Catch::Contains("diag_inf{tool=\"diag-sys\"} -Inf\n"));
}

TEST_CASE("prometheus: the contract check itself catches broken expositions") {
    // The checker the other tests rely on must be able to fail.
    CHECK_FALSE(diag::test::prometheus_problems("# HELP diag_a x\n# TYPE diag_a gauge\ndiag_a 1\n"
                                                "# HELP diag_b x\n# TYPE diag_b gauge\ndiag_b 1\n"
                                                "diag_a 2\n")
                    .empty());
    CHECK_FALSE(diag::test::prometheus_problems("# HELP node_a x\n# TYPE node_a gauge\nnode_a 1\n")
                    .empty());
    CHECK_FALSE(
        diag::test::prometheus_problems("# HELP diag_c x\n# TYPE diag_c counter\ndiag_c 1\n")
            .empty());
    CHECK_FALSE(diag::test::prometheus_problems(
                    "# HELP diag_a x\n# TYPE diag_a gauge\ndiag_a{l=\"a\\tb\"} 1\n")
                    .empty());
    CHECK_FALSE(diag::test::prometheus_problems(
                    "# HELP diag_a x\n# HELP diag_a y\n# TYPE diag_a gauge\ndiag_a 1\n")
                    .empty());
    CHECK(diag::test::prometheus_problems("# HELP diag_a x\n# TYPE diag_a gauge\ndiag_a 1\n")
              .empty());
}

TEST_CASE("nagios and prometheus: the status-line check itself rejects broken lines") {
    CHECK(diag::test::is_nagios_status_line("DIAG-SYS OK - 3 checks ok"));
    CHECK(
        diag::test::is_nagios_status_line("DIAG-SYS WARNING - x | 'a b'=1.5%;10:;5:;0;100 'c'=2"));
    CHECK_FALSE(diag::test::is_nagios_status_line("DIAG-SYS FINE - x"));
    CHECK_FALSE(diag::test::is_nagios_status_line("DIAG-SYS OK - a | b | 'c'=1"));
    CHECK_FALSE(diag::test::is_nagios_status_line("DIAG-SYS OK - x | c=1"));
    CHECK_FALSE(diag::test::is_nagios_status_line("DIAG-SYS OK - x | 'c'=1;;;;;;"));
}

TEST_CASE("prometheus: every sample carries the tool label, so tools can share a directory") {
    diag::Report report = diag::test::sample_report();
    report.metrics.push_back(
        {"diag_sys_load_average", "Load.", diag::MetricType::gauge, {{"minutes", "5"}}, 1.5});
    report.metrics.push_back({"diag_own",
                              "Own tool label kept.",
                              diag::MetricType::gauge,
                              {{"tool", "diag-disk"}},
                              1.0});
    const auto text = diag::render_prometheus(report, diag::test::sample_run());
    INFO(text);
    std::size_t samples = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const auto end = text.find('\n', pos);
        const auto line = text.substr(pos, end - pos);
        pos = end + 1;
        if (line.empty() || line.starts_with('#')) {
            continue;
        }
        ++samples;
        CHECK_THAT(line, Catch::Contains("{tool=\""));
    }
    CHECK(samples > 10);
    CHECK_THAT(text,
               Catch::Contains("diag_sys_load_average{tool=\"diag-sys\",minutes=\"5\"} 1.5\n"));
    CHECK_THAT(text, Catch::Contains("diag_own{tool=\"diag-disk\"} 1\n"));
    CHECK(count(text, "tool=") == samples);
}

TEST_CASE("prometheus: two findings on one check and subject make one series, the worst") {
    diag::Report report;
    report.assessed_count = 1;
    report.findings.push_back({diag::Severity::warning,
                               "nagios.threshold",
                               "mem_available_pct",
                               "outside the warning range",
                               {},
                               {},
                               ""});
    report.findings.push_back({diag::Severity::critical,
                               "nagios.threshold",
                               "mem_available_pct",
                               "outside the critical range",
                               {},
                               {},
                               ""});
    const auto text = diag::render_prometheus(report, diag::test::sample_run());
    INFO(text);
    CHECK(count(text, "diag_finding_severity{") == 1);
    CHECK_THAT(text, Catch::Contains("diag_finding_severity{tool=\"diag-sys\",check=\"nagios."
                                     "threshold\",subject=\"mem_available_pct\"} 3\n"));
    // The per-severity counts still count every finding.
    CHECK_THAT(text, Catch::Contains("diag_findings{tool=\"diag-sys\",severity=\"warning\"} 1\n"));
    CHECK_THAT(text, Catch::Contains("diag_findings{tool=\"diag-sys\",severity=\"critical\"} 1\n"));
}
