#include "support/shared_data.hpp"
#include "support/temp_dir.hpp"

#include <diag/core/root.hpp>
#include <diag/logs/log_files.hpp>

#include <fstream>
#include <vector>

#include <catch2/catch.hpp>

using diag::logs::LogFormat;
using diag::logs::LogRecord;

namespace {

std::filesystem::path fixture_root() {
    return diag::test::source_dir() / "tests/fixtures/logs/root";
}

std::vector<LogRecord> read_records(const diag::Root& root, const diag::logs::SourceSpec& spec,
                                    diag::logs::ReadOptions options,
                                    diag::Collected<diag::logs::SourceSummary>* summary) {
    std::vector<LogRecord> records;
    auto result =
        diag::logs::read_source(root, spec, options, [&](LogRecord&& r) { records.push_back(r); });
    if (summary != nullptr) {
        *summary = result;
    }
    return records;
}

}  // namespace

TEST_CASE("files: gzip, xz and zstd rotations are decompressed and their format detected") {
    auto root = diag::Root::open(fixture_root().string());
    REQUIRE(root);
    diag::Collected<diag::logs::SourceSummary> summary;

    auto gz = read_records(*root, {"/var/log/syslog.1.gz", true}, {}, &summary);
    CHECK(summary.issues.empty());
    CHECK(summary.data.compression == diag::logs::Compression::gzip);
    CHECK(summary.data.format == LogFormat::rsyslog_iso);
    REQUIRE(gz.size() == 2);
    CHECK(gz[1].program == "rsyslogd");
    CHECK(gz[1].message.ends_with("rsyslogd was HUPed"));

    auto xz = read_records(*root, {"/var/log/kern.log.1.xz", true}, {}, &summary);
    CHECK(summary.data.compression == diag::logs::Compression::xz);
    REQUIRE(xz.size() == 2);
    CHECK(xz[0].message == "e1000e 0000:00:19.0 eno1: NIC Link is Down");
    CHECK(xz[0].monotonic_seconds == Approx(77000.0));

    auto zst = read_records(*root, {"/var/log/nginx/error.log.1.zst", true}, {}, &summary);
    CHECK(summary.data.compression == diag::logs::Compression::zstd);
    CHECK(summary.data.format == LogFormat::nginx_error);
    REQUIRE(zst.size() == 2);
    CHECK(zst[1].message == "768 worker_connections are not enough");
    CHECK(zst[1].level == diag::logs::LogLevel::alert);
}

TEST_CASE("files: a file named on the command line is read by its path, in small chunks") {
    auto root = diag::Root::open("/");
    REQUIRE(root);
    diag::logs::ReadOptions options;
    options.chunk_bytes = 100;
    diag::Collected<diag::logs::SourceSummary> summary;
    const auto path = (fixture_root() / "var/log/syslog.1.gz").string();
    auto records = read_records(*root, {path, false}, options, &summary);
    CHECK(summary.issues.empty());
    REQUIRE(records.size() == 2);
    CHECK(records[0].source == path);
    CHECK(records[0].pid == 811);
}

TEST_CASE("files: a corrupt compressed file keeps what came before and reports an Issue") {
    auto root = diag::Root::open("/");
    REQUIRE(root);
    const auto original = diag::test::read_file(fixture_root() / "var/log/syslog.1.gz");
    const auto dir = std::filesystem::temp_directory_path() / "diag-logs-corrupt-test";
    std::filesystem::create_directories(dir);
    const auto path = dir / "cut.gz";
    {
        std::ofstream out(path, std::ios::binary);
        out << original.substr(0, original.size() - 12);
    }
    diag::Collected<diag::logs::SourceSummary> summary;
    auto records = read_records(*root, {path.string(), false}, {}, &summary);
    REQUIRE(summary.issues.size() == 1);
    CHECK(summary.issues[0].operation == "decompress");
    CHECK_FALSE(records.empty());
    std::filesystem::remove_all(dir);
}

TEST_CASE("files: a missing file is an Issue naming it, not an empty success") {
    auto root = diag::Root::open(fixture_root().string());
    REQUIRE(root);
    diag::Collected<diag::logs::SourceSummary> summary;
    auto records = read_records(*root, {"/var/log/nope.log", true}, {}, &summary);
    CHECK(records.empty());
    REQUIRE(summary.issues.size() == 1);
    CHECK(summary.issues[0].subject.ends_with("/var/log/nope.log"));
}

TEST_CASE("files: a root without /var/log says so once") {
    diag::test::TempDir dir;
    dir.make_dir("etc");
    auto root = diag::Root::open(dir.path().string());
    REQUIRE(root);
    const auto sources = diag::logs::default_sources(*root);
    CHECK(sources.data.empty());
    REQUIRE(sources.issues.size() == 1);
    CHECK(sources.issues[0].subject.ends_with("/var/log"));
}

TEST_CASE("files: this box's default sources are found with their rotations, oldest first") {
    auto root = diag::Root::open(fixture_root().string());
    REQUIRE(root);
    const auto sources = diag::logs::default_sources(*root);
    CHECK(sources.issues.empty());
    std::vector<std::string> paths;
    for (const auto& spec : sources.data) {
        paths.push_back(spec.path);
    }
    CHECK(paths == std::vector<std::string>{
                       "/var/log/syslog.1.gz", "/var/log/syslog", "/var/log/kern.log.1.xz",
                       "/var/log/dmesg", "/var/log/apache2/error.log",
                       "/var/log/nginx/error.log.1.zst", "/var/log/nginx/error.log"});
    CHECK(diag::logs::read_boot_time(*root) ==
          diag::logs::UtcTime{std::chrono::seconds{1710074331}});
}
