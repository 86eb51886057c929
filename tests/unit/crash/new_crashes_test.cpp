// diag-core --list --nagios: the cores the last run did not see are new, each once.

#include <diag/crash/crash_collector.hpp>

#include <chrono>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

using namespace std::chrono;
using diag::Severity;
using diag::crash::FoundCore;
constexpr auto kSlack = diag::crash::kNewCrashSlack;

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

using diag::crash::CoreState;

TEST_CASE("new crashes: a state file without the set counts cores after the last run") {
    const std::vector<FoundCore> cores{core_at(at(1), "old"), core_at(at(10), "same_time"),
                                       core_at(at(11), "fresh"), core_at(at(30), "during"),
                                       core_at(std::nullopt, "timeless")};
    const auto report =
        diag::crash::assess_new_crashes(cores, CoreState{at(10), std::nullopt}, at(20));
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

TEST_CASE("new crashes: a core the last run did not see is new even if timed a little before it") {
    // The last run at minute 20 saw "seen" (minute 15). "coarse" is timed a moment before that
    // run (a file time from the kernel's coarse clock) and "renamed" minutes before it
    // (systemd-coredump renames a core into view after writing it); neither was seen. "ancient"
    // lies beyond the slack, and "ahead" after this run began.
    const auto seen = core_at(at(15), "seen");
    const std::vector<FoundCore> cores{
        seen,
        core_at(at(20) - milliseconds(3), "coarse"),
        core_at(at(20) - minutes(7), "renamed"),
        core_at(at(20) - kSlack - minutes(1), "ancient"),
        core_at(at(40), "ahead"),
    };
    const CoreState last{at(20), std::set<std::string>{diag::crash::core_key(seen)}};
    const auto report = diag::crash::assess_new_crashes(cores, last, at(30));
    std::vector<std::string> subjects;
    for (const auto& finding : report.findings) {
        subjects.push_back(finding.subject);
    }
    CHECK(subjects == std::vector<std::string>{"coarse", "renamed"});
    CHECK(report.perfdata.at(0).value == 2.0);
}

TEST_CASE("new crashes: each core is counted by one run only") {
    // Three runs at minutes 20, 30 and 40; a core appears between each pair, one of them timed
    // after the second run began (it is left for the third).
    const auto first = core_at(at(25), "first");
    const auto late = core_at(at(31), "late");
    std::vector<FoundCore> cores{core_at(at(5), "old")};
    auto state = diag::crash::next_core_state(cores, at(20));
    cores.push_back(first);
    cores.push_back(late);
    const auto second = diag::crash::assess_new_crashes(cores, state, at(30));
    REQUIRE(second.findings.size() == 1);
    CHECK(second.findings[0].subject == "first");
    state = diag::crash::next_core_state(cores, at(30));
    CHECK(state.known->contains(diag::crash::core_key(first)));
    CHECK_FALSE(state.known->contains(diag::crash::core_key(late)));
    const auto third = diag::crash::assess_new_crashes(cores, state, at(40));
    REQUIRE(third.findings.size() == 1);
    CHECK(third.findings[0].subject == "late");
    state = diag::crash::next_core_state(cores, at(40));
    const auto fourth = diag::crash::assess_new_crashes(cores, state, at(50));
    REQUIRE(fourth.findings.size() == 1);
    CHECK(fourth.findings[0].severity == Severity::ok);
    CHECK(fourth.perfdata.at(0).value == 0.0);
    // Only cores within the slack of the run are kept: the set stays small.
    CHECK(diag::crash::next_core_state(cores, at(50)).known->empty());
}

TEST_CASE("new crashes: none since the last run is ok, the first run is info") {
    const std::vector<FoundCore> cores{core_at(at(1), "old")};
    const auto quiet =
        diag::crash::assess_new_crashes(cores, diag::crash::next_core_state(cores, at(5)), at(20));
    REQUIRE(quiet.findings.size() == 1);
    CHECK(quiet.findings[0].severity == Severity::ok);
    CHECK(quiet.perfdata.at(0).value == 0.0);
    const auto first = diag::crash::assess_new_crashes(cores, std::nullopt, at(20));
    REQUIRE(first.findings.size() == 1);
    CHECK(first.findings[0].severity == Severity::info);
    CHECK(first.findings[0].summary.find("1 core(s) known") != std::string::npos);
}

TEST_CASE("new crashes: the state file keeps the run time to the microsecond and the cores seen") {
    const auto when = at(7) + microseconds(123456);
    const std::vector<FoundCore> cores{core_at(at(6), "a b"), core_at(at(7), "c\"d")};
    const auto state = diag::crash::next_core_state(cores, when);
    const auto parsed = diag::crash::parse_core_state(diag::crash::render_core_state(state));
    REQUIRE(parsed.has_value());
    CHECK(parsed->last_run == when);
    CHECK(parsed->known == state.known);
    CHECK(state.known->size() == 2);
    const auto legacy = diag::crash::parse_core_state("{\"last_run_unix_us\": 5}");
    REQUIRE(legacy.has_value());
    CHECK_FALSE(legacy->known.has_value());
    CHECK_FALSE(diag::crash::parse_core_state("{}").has_value());
    CHECK_FALSE(diag::crash::parse_core_state("not json").has_value());
    CHECK_FALSE(diag::crash::parse_core_state("{\"last_run_unix_us\": \"x\"}").has_value());
    CHECK_FALSE(
        diag::crash::parse_core_state("{\"last_run_unix_us\": 5, \"known\": [1]}").has_value());
}
