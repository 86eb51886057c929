#include "sample_report.hpp"

#include <diag/render/json.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

namespace {

nlohmann::json parse(const std::string& text) {
    INFO(text);
    REQUIRE(nlohmann::json::accept(text));
    return nlohmann::json::parse(text);
}

}  // namespace

TEST_CASE("json: the output parses back with the versioned envelope") {
    const auto text = diag::render_json(diag::test::sample_report(), diag::test::sample_run(), 2);
    CHECK_THAT(text, Catch::EndsWith("}\n"));
    const auto json = parse(text);

    CHECK(json.at("json_format_version") == nlohmann::json::array({1, 0}));
    const auto& meta = json.at("diag");
    CHECK(meta.at("version").is_string());
    CHECK_FALSE(meta.at("version").get<std::string>().empty());
    CHECK(meta.at("tool") == "diag-sys");
    CHECK(meta.at("argv") == nlohmann::json::array({"diag-sys", "--json"}));
    CHECK(meta.at("exit_status") == 2);
    CHECK(meta.at("complete") == false);
    CHECK(meta.at("started_at") == "2026-12-03T13:40:02.000Z");
    CHECK(meta.at("duration_ms") == 1234);
    CHECK(json.at("host").at("hostname") == "box1");
    CHECK(json.at("worst_severity") == "critical");
    CHECK(json.at("assessed_checks_count") == 4);
}

TEST_CASE("json: complete is true only when there were no issues") {
    auto report = diag::test::sample_report();
    report.issues.clear();
    const auto json = parse(diag::render_json(report, diag::test::sample_run(), 2));
    CHECK(json.at("diag").at("complete") == true);
    CHECK(json.at("issues").empty());
}

TEST_CASE("json: findings are worst first with typed evidence") {
    const auto json =
        parse(diag::render_json(diag::test::sample_report(), diag::test::sample_run(), 2));
    const auto& findings = json.at("findings");
    REQUIRE(findings.size() == 4);
    CHECK(findings[0].at("severity") == "critical");
    CHECK(findings[1].at("severity") == "warning");
    CHECK(findings[2].at("severity") == "info");
    CHECK(findings[3].at("severity") == "ok");

    const auto& evidence = findings[0].at("evidence");
    CHECK(evidence.at("fs_errors_count").is_number_unsigned());
    CHECK(evidence.at("fs_errors_count") == 3);
    CHECK(evidence.at("used_pct").is_number_float());
    CHECK(evidence.at("used_pct") == 96.5);
    CHECK(evidence.at("fstab_rw").is_boolean());
    CHECK(evidence.at("device") == "/dev/sdb1");
    CHECK(findings[1].at("evidence").at("offset_us").is_number_integer());
    CHECK(findings[1].at("evidence").at("offset_us") == -250);
    CHECK(findings[0].at("time").is_null());
    CHECK(findings[0].at("source") == "mountinfo");
}

TEST_CASE("json: issues carry their parts and a message; metrics keep numbers") {
    const auto json =
        parse(diag::render_json(diag::test::sample_report(), diag::test::sample_run(), 2));
    const auto& issue = json.at("issues").at(0);
    CHECK(issue.at("level") == "error");
    CHECK(issue.at("operation") == "open");
    CHECK(issue.at("subject") == "/proc/pressure/io");
    CHECK(issue.at("message") == "open /proc/pressure/io: No such file or directory");
    const auto& metric = json.at("metrics").at(0);
    CHECK(metric.at("name") == "diag_sys_memory_available_bytes");
    CHECK(metric.at("type") == "gauge");
    CHECK(metric.at("value") == 1024.0);
}

TEST_CASE("json: invalid UTF-8 from the machine does not throw and is replaced") {
    auto report = diag::test::sample_report();
    report.findings[0].subject = "/mnt/\xff\xfe bad";
    report.findings[0].evidence.push_back({"label", std::string("x\xc3")});
    report.issues[0].reason = "\x80";
    auto run = diag::test::sample_run();
    run.hostname = "h\xff";

    std::string text;
    REQUIRE_NOTHROW(text = diag::render_json(report, run, 2));
    const auto json = parse(text);
    bool found = false;
    for (const auto& finding : json.at("findings")) {
        if (finding.at("check") == "sys.memory.available") {
            found = true;
            CHECK(finding.at("subject") == "/mnt/\xef\xbf\xbd\xef\xbf\xbd bad");
        }
    }
    CHECK(found);
    CHECK(json.at("host").at("hostname") == "h\xef\xbf\xbd");
}

TEST_CASE("json: control characters are escaped by the JSON encoder") {
    auto report = diag::test::sample_report();
    report.findings[0].summary = "line\nbreak \x1b[2J";
    const auto text = diag::render_json(report, diag::test::sample_run(), 2);
    CHECK(text.find('\x1b') == std::string::npos);
    const auto json = parse(text);
    CHECK(json.at("findings").at(3).at("summary") == "line\nbreak \x1b[2J");
}

TEST_CASE("json: the streamed text is byte for byte the dump of the whole tree") {
    const auto report = diag::test::sample_report();
    const auto run = diag::test::sample_run();
    const auto tree = diag::to_json(report, run, 1)
                          .dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) +
                      "\n";
    CHECK(diag::render_json(report, run, 1) == tree);

    diag::Report empty;
    CHECK(diag::render_json(empty, run, 3) == diag::to_json(empty, run, 3).dump(2) + "\n");
}
