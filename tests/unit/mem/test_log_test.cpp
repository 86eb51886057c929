// The saved memory test log: what goes in comes back, damage is no history, and the progress
// line a terminal shows.

#include <diag/mem/progress_line.hpp>
#include <diag/mem/test_log.hpp>

#include <catch2/catch.hpp>

namespace {

diag::mem::SavedTestRun sample_run() {
    diag::mem::SavedTestRun run;
    run.time = std::chrono::system_clock::time_point(std::chrono::milliseconds(1764720000123));
    run.size_bytes = 1U << 30U;
    run.plan = {"march-c-minus", "random-fill"};
    run.finished = {"march-c-minus"};
    run.passes_completed = 0;
    run.stopped_by = "interrupted";
    run.failure_count = 3;
    run.elapsed_seconds = 12.5;
    run.bytes_moved = 75U << 30U;
    run.failures.push_back({"march-c-minus", 1, 0x7f0012345678, 0x12345678, 0, 0x20000, 3});
    return run;
}

}  // namespace

TEST_CASE("test log: a run written is read back field for field") {
    const auto text = diag::mem::encode_test_log({sample_run()});
    const auto runs = diag::mem::decode_test_log(text);
    REQUIRE(runs.has_value());
    REQUIRE(runs->size() == 1);
    const auto& run = runs->front();
    CHECK(run.time == sample_run().time);
    CHECK(run.size_bytes == 1U << 30U);
    CHECK(run.plan == std::vector<std::string>{"march-c-minus", "random-fill"});
    CHECK(run.finished == std::vector<std::string>{"march-c-minus"});
    CHECK(run.stopped_by == "interrupted");
    CHECK(run.failure_count == 3);
    CHECK(run.elapsed_seconds == 12.5);
    REQUIRE(run.failures.size() == 1);
    CHECK(run.failures[0].physical_address == 0x12345678U);
    CHECK(run.failures[0].actual == 0x20000U);
    CHECK(run.failures[0].count == 3);
}

TEST_CASE("test log: only the newest runs are kept") {
    std::vector<diag::mem::SavedTestRun> runs(diag::mem::kTestLogRunsMax + 7, sample_run());
    runs.back().size_bytes = 4096;
    const auto back = diag::mem::decode_test_log(diag::mem::encode_test_log(runs));
    REQUIRE(back.has_value());
    CHECK(back->size() == diag::mem::kTestLogRunsMax);
    CHECK(back->back().size_bytes == 4096);
}

TEST_CASE("test log: damaged or foreign text is no history, a damaged run is skipped") {
    CHECK_FALSE(diag::mem::decode_test_log("{\"version\": 1, \"runs\": [").has_value());
    CHECK_FALSE(diag::mem::decode_test_log("{\"version\": 2, \"runs\": []}").has_value());
    CHECK_FALSE(diag::mem::decode_test_log("[]").has_value());
    const auto partial = diag::mem::decode_test_log(
        R"({"version": 1, "runs": [{"time_unix_ms": 5, "size_bytes": "big"}]})");
    REQUIRE(partial.has_value());
    CHECK(partial->empty());
}

TEST_CASE("progress line: bar, percentage, pass, test, rate and ETA fit the width") {
    diag::mem::ProgressState state;
    state.fraction = 0.5;
    state.test = "bit-flip";
    state.pass = 1;
    state.passes = 2;
    state.bytes_per_second = 9.44e9;
    state.eta_seconds = 65;
    const auto line = diag::mem::progress_line(state, 100);
    CHECK(line == "[###############...............]  50%  pass 1/2  bit-flip  9.4 GB/s  ETA 1:05");
    CHECK(diag::mem::progress_line(state, 60).size() <= 60);
    CHECK(diag::mem::progress_line(state, 60).starts_with("[#"));
    state.eta_seconds.reset();
    CHECK(diag::mem::progress_line(state, 100).ends_with("ETA --:--"));
    CHECK(diag::mem::format_eta(3723) == "1:02:03");
    CHECK(diag::mem::format_eta(7) == "0:07");
}
