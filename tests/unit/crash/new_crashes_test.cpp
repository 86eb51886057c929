// diag-core --list --nagios: the cores found after the last run are new, each once.

#include <diag/crash/crash_collector.hpp>

#include <chrono>

#include <catch2/catch.hpp>

using namespace std::chrono;
using diag::Severity;
using diag::crash::FoundCore;

namespace {

system_clock::time_point at(int minute) {
    return sys_days{2026y / December / 3} + hours(10) + minutes(minute);
}

FoundCore core_at(std::optional<system_clock::time_point> time, std::string executable) {
    FoundCore core;
    core.path = "/var/crash/core." + executable;
    core.time = time;
    core.executable = std::move(executable);
    core.signal = 11;
    core.core_present = true;
    return core;
}

}  // namespace

TEST_CASE("new crashes: only cores after the last run and not after this one are new") {
    const std::vector<FoundCore> cores{core_at(at(1), "old"), core_at(at(10), "same_time"),
                                       core_at(at(11), "fresh"), core_at(at(30), "during"),
                                       core_at(std::nullopt, "timeless")};
    const auto report = diag::crash::assess_new_crashes(cores, at(10), at(20));
    REQUIRE(report.findings.size() == 1);
    CHECK(report.findings[0].check == "crash.new");
    CHECK(report.findings[0].severity == Severity::warning);
    CHECK(report.findings[0].subject == "fresh");
    CHECK(report.findings[0].summary.find("SIGSEGV") != std::string::npos);
    REQUIRE(report.perfdata.size() == 1);
    CHECK(report.perfdata[0].label == "new_crashes");
    CHECK(report.perfdata[0].value == 1.0);
    CHECK(report.assessed_count == 1);
}

TEST_CASE("new crashes: none since the last run is ok, the first run is info") {
    const std::vector<FoundCore> cores{core_at(at(1), "old")};
    const auto quiet = diag::crash::assess_new_crashes(cores, at(5), at(20));
    REQUIRE(quiet.findings.size() == 1);
    CHECK(quiet.findings[0].severity == Severity::ok);
    CHECK(quiet.perfdata.at(0).value == 0.0);
    const auto first = diag::crash::assess_new_crashes(cores, std::nullopt, at(20));
    REQUIRE(first.findings.size() == 1);
    CHECK(first.findings[0].severity == Severity::info);
    CHECK(first.findings[0].summary.find("1 core(s) known") != std::string::npos);
}

TEST_CASE("new crashes: the state file keeps the run time to the microsecond") {
    const auto when = at(7) + microseconds(123456);
    CHECK(diag::crash::parse_core_state(diag::crash::render_core_state(when)) == when);
    CHECK_FALSE(diag::crash::parse_core_state("{}").has_value());
    CHECK_FALSE(diag::crash::parse_core_state("not json").has_value());
    CHECK_FALSE(diag::crash::parse_core_state("{\"last_run_unix_us\": \"x\"}").has_value());
}
