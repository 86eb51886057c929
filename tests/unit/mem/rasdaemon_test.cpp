// rasdaemon's database read through a captured root: events grouped per place and type, the
// uncorrected one critical, Info events left out; no database and a foreign file are issues.

#include "support/process.hpp"
#include "support/shared_data.hpp"
#include "support/temp_dir.hpp"

#include <diag/mem/mem_history.hpp>
#include <diag/mem/rasdaemon.hpp>

#include <algorithm>

#include <catch2/catch.hpp>

namespace {

// A captured root with rasdaemon's database built from the fixture's SQL by the sqlite3 shell.
void make_database(const diag::test::TempDir& dir) {
    dir.make_dir("var/lib/rasdaemon");
    diag::test::ProcessOptions options;
    options.stdin_file = diag::test::source_dir() / "tests/fixtures/rasdaemon/mc_event.sql";
    const auto made = diag::test::run_process(
        {"sqlite3", dir.at("var/lib/rasdaemon/ras-mc_event.db").string()}, options);
    INFO(diag::test::describe(made));
    REQUIRE(made.exit_code == 0);
}

const diag::Finding* finding_at(const diag::Report& report, std::string_view subject) {
    const auto it = std::ranges::find_if(report.findings, [&](const diag::Finding& f) {
        return f.check == "mem.rasdaemon.errors" && f.subject == subject;
    });
    return it == report.findings.end() ? nullptr : &*it;
}

}  // namespace

TEST_CASE("rasdaemon: events are grouped per place and type, uncorrected ones critical") {
    diag::test::TempDir dir;
    make_database(dir);
    auto root = diag::Root::open(dir.path().string());
    REQUIRE(root.has_value());
    const auto read = diag::mem::read_rasdaemon(*root);
    CHECK(read.issues.empty());
    REQUIRE(read.data.has_value());
    CHECK(read.data->size() == 3);  // corrected on the DIMM, uncorrected, info

    const auto report = diag::mem::assess_rasdaemon(*read.data);
    const auto* dimm = finding_at(report, "CPU_SrcID#0_Ha#0_Chan#1_DIMM#0");
    REQUIRE(dimm != nullptr);
    CHECK(dimm->severity == diag::Severity::warning);
    CHECK(dimm->summary.find("3 corrected memory errors") != std::string::npos);
    CHECK(dimm->summary.find("2026-11-02 03:14:07 +0000 to 2026-11-20 18:40:51") !=
          std::string::npos);
    const auto* unlabelled = finding_at(report, "mc1 layers 0.1.-1");
    REQUIRE(unlabelled != nullptr);
    CHECK(unlabelled->severity == diag::Severity::critical);
    CHECK(finding_at(report, "CPU_SrcID#1_Ha#0_Chan#0_DIMM#1") == nullptr);  // Info only
}

TEST_CASE("rasdaemon: the history of a root with the database judges it") {
    diag::test::TempDir dir;
    make_database(dir);
    auto root = diag::Root::open(dir.path().string());
    REQUIRE(root.has_value());
    const auto report =
        diag::mem::collect_mem_history(*root, std::nullopt, std::chrono::system_clock::now());
    CHECK(finding_at(report, "mc1 layers 0.1.-1") != nullptr);
}

TEST_CASE("rasdaemon: no database is an info issue, a file that is not one an error") {
    diag::test::TempDir dir;
    auto root = diag::Root::open(dir.path().string());
    REQUIRE(root.has_value());
    const auto none = diag::mem::read_rasdaemon(*root);
    CHECK_FALSE(none.data.has_value());
    REQUIRE(none.issues.size() == 1);
    CHECK(none.issues[0].level == diag::IssueLevel::info);

    dir.write("var/lib/rasdaemon/ras-mc_event.db", "not a database at all, just text\n");
    const auto foreign = diag::mem::read_rasdaemon(*root);
    CHECK_FALSE(foreign.data.has_value());
    REQUIRE(foreign.issues.size() == 1);
    CHECK(foreign.issues[0].level == diag::IssueLevel::error);
}
