// Other tools ask the classifier about one subject: a disk's kernel I/O errors for diag-smart,
// EDAC lines for diag-mem. events_about reads the kernel's logs under a root; select_events is
// the pure part.

#include "support/shared_data.hpp"
#include "support/temp_dir.hpp"

#include <diag/core/root.hpp>
#include <diag/logs/subject_events.hpp>

#include <algorithm>
#include <set>
#include <string>

#include <catch2/catch.hpp>

using diag::logs::SubjectQuery;

namespace {

std::multiset<std::string> rule_ids(const std::vector<diag::logs::SubjectEvent>& events) {
    std::multiset<std::string> ids;
    for (const auto& event : events) {
        ids.insert(event.rule_id);
    }
    return ids;
}

diag::logs::UtcTime at(int hour, int minute) {
    using namespace std::chrono;
    return sys_days{2024y / March / 10} + hours(hour) + minutes(minute);
}

}  // namespace

TEST_CASE("subject: a disk is the same subject as its partitions, not as a longer name") {
    using diag::logs::same_subject;
    CHECK(same_subject("device", "sda", "sda"));
    CHECK(same_subject("device", "sda1", "sda"));
    CHECK(same_subject("device", "/dev/sda", "sda"));
    CHECK(same_subject("device", "sda", "/dev/sda"));
    CHECK(same_subject("device", "nvme0n1p2", "nvme0n1"));
    CHECK_FALSE(same_subject("device", "sdaa", "sda"));
    CHECK_FALSE(same_subject("device", "nvme0n10", "nvme0n1"));
    CHECK_FALSE(same_subject("device", "sda", "sda1"));
    // Only devices have partitions: pid 12 is not pid 1.
    CHECK_FALSE(same_subject("pid", "12", "1"));
    CHECK(same_subject("pid", "12", "12"));
}

TEST_CASE(
    "subject: the captured web server's kernel log has sda's I/O error and its "
    "filesystem's, once each, and nothing about sdb") {
    auto root = diag::Root::open((diag::test::source_dir() / "tests/fixtures/logs/root").string());
    REQUIRE(root);
    SubjectQuery query{"device", "sda", "", at(0, 0)};
    const auto found = diag::logs::events_about(*root, query);
    const auto ids = rule_ids(found.data);
    // dmesg and syslog both hold the kernel's lines: each event is given once.
    CHECK(ids.count("disk.io_error_legacy") == 1);
    CHECK(ids.count("disk.ext4_error") == 1);
    CHECK(ids.count("disk.remount_read_only") == 1);
    // The ATA lines name the port (ata1.00), not the disk.
    CHECK(ids.count("disk.ata_exception") == 0);
    for (const auto& event : found.data) {
        CHECK(event.rule_id.starts_with("disk."));
        REQUIRE(event.time.has_value());
        CHECK(*event.time >= at(14, 0));
        if (event.rule_id == "disk.io_error_legacy") {
            CHECK(
                event.message.starts_with("blk_update_request: I/O error, dev sda, sector "
                                          "1953456"));
            CHECK(event.severity == diag::Severity::critical);
            const auto sector =
                std::find_if(event.fields.begin(), event.fields.end(),
                             [](const diag::logs::RecordField& f) { return f.name == "sector"; });
            REQUIRE(sector != event.fields.end());
            CHECK(sector->value == "1953456");
        }
    }
    CHECK(diag::logs::events_about(*root, {"device", "sdb", "", at(0, 0)}).data.empty());
    // The web servers' logs are not read: their events are about no disk or memory.
    CHECK(diag::logs::events_about(*root, {"", "", "web.", at(0, 0)}).data.empty());
}

TEST_CASE("subject: EDAC lines are found by rule prefix, from --since on") {
    diag::test::TempDir dir;
    dir.write("var/log/kern.log",
              "2024-03-10T09:00:00.000000+00:00 db1 kernel: [  100.000000] EDAC MC0: 1 CE memory "
              "read error on CPU_SrcID#0_Ha#0_Chan#1_DIMM#0 (channel:1 slot:0 page:0x4d1c3 "
              "offset:0x240 grain:32 syndrome:0x0)\n"
              "2024-03-10T11:00:00.000000+00:00 db1 kernel: [ 7300.000000] EDAC MC1: 1 UE memory "
              "read error on CPU_SrcID#1_Ha#0_Chan#0_DIMM#1 (channel:0 slot:1 page:0x1fe000 "
              "offset:0x0 grain:32)\n"
              "2024-03-10T11:00:01.000000+00:00 db1 kernel: [ 7301.000000] I/O error, dev sdb, "
              "sector 2048 op 0x0:(READ) flags 0x0 phys_seg 1 prio class 0\n"
              "2024-03-10T11:00:02.000000+00:00 db1 kernel: [ 7302.000000] EDAC is quiet\n");
    auto root = diag::Root::open(dir.path().string());
    REQUIRE(root);
    const auto all = diag::logs::events_about(*root, {"", "", "mem.edac", at(0, 0)});
    CHECK(rule_ids(all.data) == std::multiset<std::string>{"mem.edac_ce", "mem.edac_ue"});
    const auto later = diag::logs::events_about(*root, {"", "", "mem.edac", at(10, 0)});
    REQUIRE(later.data.size() == 1);
    CHECK(later.data.front().rule_id == "mem.edac_ue");
    CHECK(later.data.front().source.ends_with("kern.log"));
    // One controller: MC0's correctable error only.
    const auto mc0 = diag::logs::events_about(*root, {"controller", "MC0", "mem.edac", at(0, 0)});
    REQUIRE(mc0.data.size() == 1);
    CHECK(mc0.data.front().rule_id == "mem.edac_ce");
}
