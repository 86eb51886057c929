#include <diag/logs/incidents.hpp>
#include <diag/logs/timeline.hpp>

#include <catch2/catch.hpp>

using diag::logs::TimelineEntry;
using diag::logs::UtcTime;

namespace {

UtcTime at_second(int second) {
    return UtcTime{std::chrono::seconds{1710079200 + second}};
}

const diag::logs::Classifier& classifier() {
    static const auto built = diag::logs::Classifier::build(diag::logs::builtin_rules());
    REQUIRE(built);
    return *built;
}

TimelineEntry entry(std::optional<int> second, std::size_t source, std::uint64_t sequence,
                    std::string message, std::string program = "kernel") {
    TimelineEntry made;
    if (second) {
        made.record.time = at_second(*second);
    }
    made.sort_time = made.record.time;
    made.record.message = std::move(message);
    made.record.program = std::move(program);
    made.record.source = "source" + std::to_string(source);
    made.source_index = source;
    made.sequence = sequence;
    made.matches = classifier().classify(made.record);
    return made;
}

}  // namespace

TEST_CASE("timeline: merged by time, ties in source then file order") {
    std::vector<TimelineEntry> entries{entry(5, 0, 0, "a5"), entry(3, 0, 1, "a3"),
                                       entry(3, 1, 0, "b3"), entry(1, 1, 1, "b1"),
                                       entry(3, 0, 2, "a3bis")};
    diag::logs::merge_timeline(entries);
    std::vector<std::string> order;
    for (const auto& item : entries) {
        order.push_back(item.record.message);
    }
    CHECK(order == std::vector<std::string>{"b1", "a3", "a3bis", "b3", "a5"});
}

TEST_CASE("timeline: filters by time, source, level, grep and classification") {
    const auto& rules = classifier().rules();
    const auto oom = entry(10, 0, 0, "Out of memory: Killed process 12 (java) total-vm:1kB");
    const auto plain = entry(20, 1, 0, "eth0: renamed from veth1", "kernel");
    diag::logs::TimelineFilter filter;
    CHECK(diag::logs::passes(oom, filter, rules));

    filter.since = at_second(15);
    CHECK_FALSE(diag::logs::passes(oom, filter, rules));
    CHECK(diag::logs::passes(plain, filter, rules));
    filter = {};
    filter.sources = {"source1"};
    CHECK_FALSE(diag::logs::passes(oom, filter, rules));
    CHECK(diag::logs::passes(plain, filter, rules));
    filter = {};
    // Neither has a level of its own: the OOM kill counts as critical through its rule.
    filter.level = diag::logs::LogLevel::error;
    CHECK(diag::logs::passes(oom, filter, rules));
    CHECK_FALSE(diag::logs::passes(plain, filter, rules));
    filter = {};
    filter.grep.emplace("java");
    CHECK(diag::logs::passes(oom, filter, rules));
    CHECK_FALSE(diag::logs::passes(plain, filter, rules));
    filter = {};
    filter.classified_only = true;
    CHECK_FALSE(diag::logs::passes(plain, filter, rules));
}

TEST_CASE("incidents: bursts split at the gap, first domino is the earliest worst event") {
    std::vector<TimelineEntry> entries{
        entry(0, 0, 0, "ata1.00: exception Emask 0x0 SAct 0x0 SErr 0x0 action 0x0"),
        entry(1, 0, 1, "I/O error, dev sda, sector 8 op 0x0:(READ) flags 0x0 phys_seg 1"),
        entry(2, 0, 2, "EXT4-fs error (device sda1): ext4_lookup:1: bad"),
        entry(30, 1, 0, "AH00052: child pid 77 exit signal Bus error (7)", "core"),
        entry(31, 1, 1, "eth0: renamed from veth1"),
        // 20 minutes later: a second incident.
        entry(1231, 2, 0, "Out of memory: Killed process 77 (httpd) total-vm:1kB"),
    };
    const auto incidents =
        diag::logs::find_incidents(entries, classifier().rules(), {std::chrono::minutes(5)});
    REQUIRE(incidents.size() == 2);
    const auto& first = incidents[0];
    CHECK(first.events == std::vector<std::size_t>{0, 1, 2, 3});
    CHECK(first.first_domino == 1);
    CHECK(first.severity == diag::Severity::critical);
    CHECK(first.start == at_second(0));
    CHECK(first.end == at_second(30));
    CHECK(first.sources == std::vector<std::string>{"source0", "source1"});
    REQUIRE_FALSE(first.shared_subjects.empty());
    CHECK(first.shared_subjects[0].kind == "device");
    CHECK(first.shared_subjects[0].value == "sda");
    CHECK(first.shared_subjects[0].event_count == 2);
    CHECK(incidents[1].events == std::vector<std::size_t>{5});
}

TEST_CASE("incidents: echoes and events below the minimum severity are left out") {
    std::vector<TimelineEntry> entries{
        entry(0, 0, 0, "e1000e 0000:00:19.0 eno1: NIC Link is Up 1000 Mbps Full Duplex"),
        entry(1, 0, 1, "Kernel panic - not syncing: Fatal exception"),
        entry(1, 1, 0, "Kernel panic - not syncing: Fatal exception"),
    };
    entries[2].echo = true;
    const auto incidents = diag::logs::find_incidents(entries, classifier().rules(), {});
    REQUIRE(incidents.size() == 1);
    CHECK(incidents[0].events == std::vector<std::size_t>{1});
}
