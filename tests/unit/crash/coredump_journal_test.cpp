#include <diag/crash/coredump_journal.hpp>

#include <map>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

namespace {

// Fields of a systemd 252 coredump entry (journalctl -o export, MESSAGE_ID
// fc2e22bc6ee647b6b90729ab34a250b1), the ones diag-core reads.
std::map<std::string, std::string> entry_fields() {
    return {{"COREDUMP_PID", "4117"},
            {"COREDUMP_UID", "1000"},
            {"COREDUMP_SIGNAL", "11"},
            {"COREDUMP_EXE", "/usr/bin/crasher"},
            {"COREDUMP_COMM", "crasher"},
            {"COREDUMP_TIMESTAMP", "1764700000123456"},
            {"COREDUMP_FILENAME",
             "/var/lib/systemd/coredump/"
             "core.crasher.1000.0123456789abcdef0123456789abcdef.4117."
             "1764700000000000.zst"}};
}

}  // namespace

TEST_CASE("coredump journal: an entry's COREDUMP fields give pid, uid, signal, path and time") {
    const auto core = diag::crash::core_from_journal_fields(entry_fields());
    CHECK(core.pid == 4117);
    CHECK(core.uid == 1000U);
    CHECK(core.signal == 11);
    CHECK(core.executable == "/usr/bin/crasher");
    CHECK(core.compression == "zst");
    CHECK(core.core_present);
    REQUIRE(core.time.has_value());
    CHECK(core.time->time_since_epoch() == std::chrono::microseconds(1764700000123456));
}

TEST_CASE(
    "coredump journal: an entry without COREDUMP_FILENAME is a crash whose core was not "
    "kept") {
    auto fields = entry_fields();
    fields.erase("COREDUMP_FILENAME");
    fields.erase("COREDUMP_EXE");
    fields["COREDUMP_SIGNAL"] = "six";
    const auto core = diag::crash::core_from_journal_fields(fields);
    CHECK_FALSE(core.core_present);
    CHECK(core.path.empty());
    CHECK(core.executable == "crasher");
    CHECK_FALSE(core.signal.has_value());
}

TEST_CASE(
    "coredump journal: the journal adds signal and exe path to stored cores and lists "
    "crashes whose core is gone") {
    const auto entry = diag::crash::core_from_journal_fields(entry_fields());
    diag::crash::FoundCore stored;
    stored.store = diag::crash::CoreStore::systemd_coredump;
    stored.path = entry.path;
    stored.executable = "crasher";
    std::vector<diag::crash::FoundCore> cores{stored};
    auto gone = entry;
    gone.path = "/var/lib/systemd/coredump/core.crasher.1000.0123.4000.1764600000000000.zst";
    diag::crash::merge_journal_cores(cores, {entry, gone});
    REQUIRE(cores.size() == 2);
    CHECK(cores[0].signal == 11);
    CHECK(cores[0].executable == "/usr/bin/crasher");
    CHECK(cores[0].core_present);
    CHECK_FALSE(cores[1].core_present);
}
