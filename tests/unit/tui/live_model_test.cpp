#include "support/temp_dir.hpp"

#include <diag/tui/live_model.hpp>

#include <thread>

#include <catch2/catch.hpp>

namespace {

using namespace diag;
using namespace diag::tui;

// Polls the model until `done` holds or 10 s pass (a bound against a hang, not a speed test).
template <class Done>
bool wait_for(const LiveModel& model, Done done) {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds{10};
    while (std::chrono::steady_clock::now() < give_up) {
        if (done(model.snapshot())) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds{20});
    }
    return false;
}

CollectorSpec collector(std::string name, std::chrono::milliseconds takes) {
    return {name, "test collector", std::chrono::milliseconds{0}, [name, takes](const Root&) {
                std::this_thread::sleep_for(takes);
                Report report;
                report.findings.push_back(
                    {Severity::warning, name + ".check", name, "answered", {}, {}, ""});
                return report;
            }};
}

}  // namespace

TEST_CASE("tui model: a collector past its deadline is stale while the others answer") {
    test::TempDir dir;
    dir.write("proc/sys/kernel/hostname", "captured-host\n");
    dir.write("proc/uptime", "3600.5 100.0\n");
    // A 20 ms deadline per probe gives each collector 60 ms.
    auto root = Root::open(dir.path().string(), std::chrono::milliseconds{20});
    REQUIRE(root);
    LiveModel model(*root,
                    {collector("fast", std::chrono::milliseconds{0}),
                     collector("slow", std::chrono::milliseconds{1500})},
                    std::chrono::seconds{5});

    CHECK(wait_for(model, [](const Snapshot& s) {
        return s.domains[0].status == DomainStatus::fresh &&
               s.domains[1].status == DomainStatus::stale;
    }));
    auto snapshot = model.snapshot();
    CHECK_FALSE(snapshot.live);
    CHECK(snapshot.host == "captured-host");
    REQUIRE(snapshot.uptime_seconds);
    CHECK(*snapshot.uptime_seconds == Approx(3600.5));
    CHECK(snapshot.domains[0].report->findings.front().summary == "answered");
    CHECK_FALSE(snapshot.domains[1].report);
    CHECK(snapshot.domains[1].running_for > snapshot.domains[1].limit);
    CHECK(model.settled());

    // When the late run returns at last, its report is shown.
    CHECK(wait_for(model, [](const Snapshot& s) {
        return s.domains[1].status == DomainStatus::fresh && s.domains[1].report.has_value();
    }));
}

TEST_CASE("tui model: pause and the interval are kept, the interval within 1 to 300 s") {
    test::TempDir dir;
    auto root = Root::open(dir.path().string());
    REQUIRE(root);
    LiveModel model(*root, {}, std::chrono::seconds{5});
    const auto before = model.version();
    model.toggle_pause();
    CHECK(model.snapshot().paused);
    CHECK(model.version() > before);
    model.step_interval(-10);
    CHECK(model.snapshot().interval == std::chrono::seconds{1});
    model.step_interval(1000);
    CHECK(model.snapshot().interval == std::chrono::seconds{300});
}

TEST_CASE("tui model: the timeline of a root is read with its classified events") {
    test::TempDir dir;
    dir.write("var/log/kern.log",
              "2026-12-03T10:00:00.000000+00:00 box kernel: [  100.000000] blk_update_request: "
              "I/O error, dev sda, sector 2048 op 0x0:(READ) flags 0x0 phys_seg 1 prio class 0\n"
              "2026-12-03T10:00:05.000000+00:00 box kernel: [  105.000000] all is well\n");
    auto root = Root::open(dir.path().string());
    REQUIRE(root);
    const auto data = read_timeline(*root);
    CHECK(data.ready);
    REQUIRE(data.timeline.entries.size() == 2);
    CHECK(tone_of(data.timeline.entries[0], data.rules) == Tone::error);
    CHECK(tone_of(data.timeline.entries[1], data.rules) == Tone::plain);
}

TEST_CASE("tui model: a first look reads the head of each log, the whole read counts its bytes") {
    test::TempDir dir;
    std::string log;
    for (int i = 0; i < 10000; ++i) {
        log += "2026-12-03T10:00:00.000000+00:00 box app[1]: routine line number " +
               std::to_string(i) + "\n";
    }
    REQUIRE(log.size() > 2 * kHeadBytes);
    dir.write("var/log/syslog", log);
    auto root = Root::open(dir.path().string());
    REQUIRE(root);
    CHECK(log_bytes(*root) == log.size());

    const auto head = read_timeline(*root, {kHeadBytes, nullptr});
    CHECK_FALSE(head.timeline.entries.empty());
    CHECK(head.timeline.entries.size() < 10000);
    CHECK(head.timeline.entries.front().record.message == "routine line number 0");

    std::atomic<std::uint64_t> progress{0};
    const auto whole = read_timeline(*root, {std::nullopt, &progress});
    CHECK(whole.timeline.entries.size() == 10000);
    CHECK(progress.load() == log.size());
}
