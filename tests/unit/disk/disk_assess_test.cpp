// Verdicts on the real data (shared/data/smart/SOURCES.md says what each file shows), and the
// rules on records built for one case each.

#include "unit/disk/disk_test_data.hpp"

#include <diag/disk/ata_pages.hpp>
#include <diag/disk/disk_assess.hpp>
#include <diag/disk/skblob.hpp>
#include <diag/disk/smartctl_import.hpp>

#include <catch2/catch.hpp>

using diag::Finding;
using diag::Severity;

namespace {

diag::Report assess_file(const std::string& relative) {
    const auto path = diag::test::require_shared_data("smart/" + relative);
    auto imported =
        diag::disk::import_smartctl_json(diag::test::read_file(path), path.filename().string());
    REQUIRE(imported.disk.has_value());
    return diag::disk::assess_disk(*imported.disk);
}

std::vector<Finding> with_check(const diag::Report& report, const std::string& check) {
    std::vector<Finding> found;
    std::copy_if(report.findings.begin(), report.findings.end(), std::back_inserter(found),
                 [&](const Finding& f) { return f.check == check; });
    return found;
}

Finding only(const diag::Report& report, const std::string& check) {
    const auto found = with_check(report, check);
    INFO("check " << check);
    REQUIRE(found.size() == 1);
    return found[0];
}

std::optional<diag::Value> evidence(const Finding& finding, const std::string& key) {
    for (const auto& item : finding.evidence) {
        if (item.key == key) {
            return item.value;
        }
    }
    return std::nullopt;
}

const diag::Metric* metric(const diag::Report& report, const std::string& name) {
    for (const auto& m : report.metrics) {
        if (m.name == name) {
            return &m;
        }
    }
    return nullptr;
}

// A minimal NVMe record for the rules that need a value the real data does not have.
diag::disk::DiskRecord nvme_record(const diag::disk::NvmeHealth& health) {
    diag::disk::DiskRecord record;
    record.protocol = diag::disk::DiskProtocol::nvme;
    record.identity.device = "/dev/nvme9";
    record.identity.model = "TEST";
    record.identity.serial = "T1";
    record.nvme.emplace();
    record.nvme->health = health;
    return record;
}

}  // namespace

TEST_CASE("verdict: the failing Hitachi behind the USB JMicron bridge is critical") {
    const auto report =
        assess_file("sata-hdd-hitachi-hds721050-usbjmicron-failing-realloc1975.json");
    CHECK(report.worst() == Severity::critical);
    CHECK(diag::exit_status(report) == 2);
    CHECK(only(report, "disk.smart.status_failed").severity == Severity::critical);
    const auto threshold = only(report, "disk.smart.threshold_failed");
    CHECK(threshold.severity == Severity::critical);
    CHECK(evidence(threshold, "attribute_id") == diag::Value{std::uint64_t{5}});
    CHECK(evidence(threshold, "when_failed") == diag::Value{std::string("now")});
    const auto selftest = only(report, "disk.selftest.failed");
    CHECK(selftest.severity == Severity::critical);
    CHECK(evidence(selftest, "lba") == diag::Value{std::uint64_t{104870168}});
    CHECK(evidence(selftest, "power_on_hours") == diag::Value{std::uint64_t{65540}});
    CHECK(selftest.summary.find("LBA 104870168") != std::string::npos);
    const auto reallocated = only(report, "disk.smart.reallocated");
    CHECK(reallocated.severity == Severity::warning);
    CHECK(evidence(reallocated, "count") == diag::Value{std::uint64_t{1975}});
    CHECK(only(report, "disk.smart.pending").severity == Severity::warning);
    CHECK(only(report, "disk.smart.error_log").severity == Severity::warning);  // IDNF: media
    CHECK(only(report, "disk.smart.crc_errors").severity == Severity::ok);
}

TEST_CASE("verdict: the Seagate's packed 188 is 12 timeouts, and 1 and 7 are not error counts") {
    const auto report = assess_file("sata-hdd-seagate-exos-x16-packed-raw-188.json");
    const auto timeouts = only(report, "disk.smart.command_timeout");
    CHECK(timeouts.severity == Severity::warning);
    CHECK(evidence(timeouts, "count") == diag::Value{std::uint64_t{12}});
    CHECK(evidence(timeouts, "raw_words") == diag::Value{std::string("12 12 12")});
    CHECK(timeouts.summary.starts_with("12 command timeouts"));
    const auto* gauge = metric(report, "diag_smart_command_timeouts");
    REQUIRE(gauge != nullptr);
    CHECK(gauge->value == 12.0);
    for (const auto& finding : report.findings) {
        INFO(finding.check << ": " << finding.summary);
        CHECK(finding.summary.find("239307048") == std::string::npos);
        CHECK(finding.summary.find("330010684") == std::string::npos);
        CHECK(finding.summary.find("51540393996") == std::string::npos);
    }
    CHECK(report.worst() == Severity::warning);
}

TEST_CASE("verdict: the HGST's 199 CRC errors point at the link and raise no media finding") {
    const auto report = assess_file("sata-hdd-hgst-hus724020-crc-errors-exit64.json");
    const auto crc = only(report, "disk.smart.crc_errors");
    CHECK(crc.severity == Severity::warning);
    CHECK(evidence(crc, "count") == diag::Value{std::uint64_t{12}});
    CHECK(crc.summary.find("cable") != std::string::npos);
    CHECK(crc.source.find("not the medium") != std::string::npos);
    for (const auto* media :
         {"disk.smart.reallocated", "disk.smart.pending", "disk.smart.offline_uncorrectable",
          "disk.smart.status_failed", "disk.smart.threshold_failed"}) {
        INFO(media);
        CHECK(only(report, media).severity == Severity::ok);
    }
    const auto log = only(report, "disk.smart.error_log");
    CHECK(log.severity == Severity::info);
    CHECK(evidence(log, "link_entries") == diag::Value{std::uint64_t{5}});
    CHECK(evidence(log, "media_entries") == diag::Value{std::uint64_t{0}});
    CHECK(report.worst() == Severity::warning);
}

TEST_CASE("verdict: the SAS drive with 56 grown defects is flagged though SMART says OK") {
    const auto report = assess_file("scsi-sas-seagate-st4000nm0043-grown-defects56-trimmed.json");
    CHECK(only(report, "disk.smart.status_failed").severity == Severity::ok);
    const auto defects = only(report, "disk.scsi.grown_defects");
    CHECK(defects.severity == Severity::warning);
    CHECK(evidence(defects, "grown_defects") == diag::Value{std::uint64_t{56}});
    CHECK(defects.summary.find("although the drive reports its health as OK") != std::string::npos);
    CHECK(only(report, "disk.scsi.uncorrected_errors").severity == Severity::ok);
    CHECK(diag::exit_status(report) == 1);
}

TEST_CASE("verdict: permission denied gives an Issue and no disk, so nothing is called healthy") {
    const auto path =
        diag::test::require_shared_data("smart/error-nvme-open-permission-denied-exit2.json");
    const auto imported = diag::disk::import_smartctl_json(diag::test::read_file(path), "x.json");
    REQUIRE_FALSE(imported.disk.has_value());
    diag::Report report;
    report.issues = imported.issues;
    CHECK(report.findings.empty());
    CHECK(diag::exit_status(report) == diag::kExitUnknown);
}

TEST_CASE("verdict: the Intel P4510 at 73% used is a wear warning, nothing else") {
    const auto report = assess_file("nvme-intel-p4510-percentage-used-73.json");
    const auto wear = only(report, "disk.ssd.wear");
    CHECK(wear.severity == Severity::warning);
    CHECK(evidence(wear, "endurance_used_pct") == diag::Value{std::uint64_t{73}});
    CHECK(only(report, "disk.ssd.spare").severity == Severity::ok);
    CHECK(only(report, "disk.nvme.critical_warning").severity == Severity::ok);
    CHECK(only(report, "disk.nvme.media_errors").severity == Severity::ok);
    CHECK(report.worst() == Severity::warning);
    const auto perf = std::find_if(report.perfdata.begin(), report.perfdata.end(),
                                   [](const diag::Perfdata& p) { return p.label == "nvme1_wear"; });
    REQUIRE(perf != report.perfdata.end());
    CHECK(perf->value == 73.0);
    CHECK(perf->uom == "%");
}

TEST_CASE("verdict: the Samsung 970 with 7 media errors is flagged while its status passes") {
    const auto report = assess_file("nvme-samsung-970evo-media-errors7.json");
    const auto media = only(report, "disk.nvme.media_errors");
    CHECK(media.severity == Severity::warning);
    CHECK(evidence(media, "media_errors") == diag::Value{7.0});
    CHECK(evidence(media, "error_log_entries") == diag::Value{62.0});
    CHECK(only(report, "disk.nvme.critical_warning").severity == Severity::ok);
    CHECK(report.worst() == Severity::warning);
}

TEST_CASE("verdict: the healthy Toshiba, Samsung 860 and SAS Hitachi are ok on every check") {
    for (const auto* file :
         {"sata-hdd-toshiba-mg08aca16te-healthy.json", "sata-ssd-samsung-860evo-xall.json",
          "scsi-sas-hitachi-h109060-healthy.json"}) {
        INFO(file);
        const auto report = assess_file(file);
        CHECK(report.worst() == Severity::ok);
        CHECK(diag::exit_status(report) == 0);
        CHECK(report.assessed_count >= 4);
        CHECK(with_check(report, "disk.temperature").size() == 1);
    }
    const auto ssd = assess_file("sata-ssd-samsung-860evo-xall.json");
    CHECK(evidence(only(ssd, "disk.ssd.wear"), "endurance_used_pct") ==
          diag::Value{std::uint64_t{19}});
}

TEST_CASE("verdict: the Sunplus-bridged Samsung failed a pre-failure threshold in the past") {
    const auto report = assess_file("usb-sunplus-samsung-hd204ui-xall-failed-in-past.json");
    const auto threshold = only(report, "disk.smart.threshold_failed");
    CHECK(threshold.severity == Severity::warning);
    CHECK(evidence(threshold, "attribute_id") == diag::Value{std::uint64_t{3}});
    CHECK(evidence(threshold, "when_failed") == diag::Value{std::string("past")});
    CHECK(only(report, "disk.smart.crc_errors").severity == Severity::warning);
}

TEST_CASE("verdict: the WD behind MegaRAID warns on 387 reallocated sectors, status unknown") {
    const auto report = assess_file("sata-hdd-wd4000fyyx-megaraid1-realloc387.json");
    const auto reallocated = only(report, "disk.smart.reallocated");
    CHECK(reallocated.severity == Severity::warning);
    CHECK(evidence(reallocated, "count") == diag::Value{std::uint64_t{387}});
    CHECK(reallocated.source.find("Backblaze") != std::string::npos);
    CHECK(reallocated.source.find("FAST 2007") != std::string::npos);
    CHECK(with_check(report, "disk.smart.status_failed").empty());
}

TEST_CASE("verdict: an old-age attribute failing now is a warning, not a prediction of failure") {
    const auto dir = diag::test::require_shared_data("smart/raw/ata-libatasmart-blobs");
    const auto bytes = diag::test::read_bytes(dir / "ST9100821AS--3.CME.skblob");
    const auto record = diag::disk::build_ata_record(
        diag::disk::ata_pages_from_skblob(diag::disk::page_bytes(bytes)).value, "");
    const auto report = diag::disk::assess_disk(record);
    const auto threshold = only(report, "disk.smart.threshold_failed");
    CHECK(threshold.severity == Severity::warning);
    CHECK(evidence(threshold, "prefailure") == diag::Value{false});
    CHECK(report.worst() == Severity::warning);
}

TEST_CASE("verdict: findings from a page with a bad checksum are marked untrusted, with an Issue") {
    const auto dir = diag::test::require_shared_data("smart/raw/ata-libatasmart-blobs");
    const auto bytes = diag::test::read_bytes(dir / "ST320410A--3.39.skblob");
    auto pages = diag::disk::ata_pages_from_skblob(diag::disk::page_bytes(bytes)).value;
    (*pages.smart_data)[400] ^= 0x01U;  // a vendor-specific byte: values unchanged, sum broken
    const auto report = diag::disk::assess_disk(diag::disk::build_ata_record(pages, "/dev/sdq"));
    REQUIRE(report.issues.size() == 1);
    CHECK(report.issues[0].reason.find("checksum") != std::string::npos);
    const auto reallocated = only(report, "disk.smart.reallocated");
    CHECK(evidence(reallocated, "count") == diag::Value{std::uint64_t{5}});
    CHECK(evidence(reallocated, "trusted") == diag::Value{false});
    CHECK(reallocated.summary.find("untrusted") != std::string::npos);
}

TEST_CASE("rules: each NVMe critical warning bit set is its own finding, named") {
    diag::disk::NvmeHealth health;
    health.critical_warning = 0x06;
    const auto report = diag::disk::assess_disk(nvme_record(health));
    const auto warnings = with_check(report, "disk.nvme.critical_warning");
    REQUIRE(warnings.size() == 2);
    CHECK(evidence(warnings[0], "name") == diag::Value{std::string("temperature")});
    CHECK(warnings[0].severity == Severity::warning);
    CHECK(evidence(warnings[1], "name") == diag::Value{std::string("reliability_degraded")});
    CHECK(warnings[1].severity == Severity::critical);
    CHECK(report.worst() == Severity::critical);
}

TEST_CASE("rules: NVMe spare at its threshold is critical, within 10 points a warning") {
    diag::disk::NvmeHealth health;
    health.available_spare_threshold_pct = 10;
    for (const auto& [spare, expected] : {std::pair{std::uint8_t{10}, Severity::critical},
                                          std::pair{std::uint8_t{20}, Severity::warning},
                                          std::pair{std::uint8_t{21}, Severity::ok}}) {
        INFO("spare " << int{spare});
        health.available_spare_pct = spare;
        CHECK(only(diag::disk::assess_disk(nvme_record(health)), "disk.ssd.spare").severity ==
              expected);
    }
}

TEST_CASE("rules: wear is a warning from 70% and critical from 100% of rated endurance") {
    diag::disk::NvmeHealth health;
    for (const auto& [used, expected] :
         {std::pair{std::uint8_t{69}, Severity::ok}, std::pair{std::uint8_t{70}, Severity::warning},
          std::pair{std::uint8_t{100}, Severity::critical},
          std::pair{std::uint8_t{255}, Severity::critical}}) {
        INFO("used " << int{used});
        health.percentage_used_pct = used;
        CHECK(only(diag::disk::assess_disk(nvme_record(health)), "disk.ssd.wear").severity ==
              expected);
    }
}

TEST_CASE("rules: temperature is judged against the drive's own limits before the defaults") {
    diag::disk::DiskRecord record = nvme_record({});
    record.temperature_celsius = 68;
    // No limits from the drive: the SSD default (critical 70, warning 65).
    CHECK(only(diag::disk::assess_disk(record), "disk.temperature").severity == Severity::warning);
    // The drive's own WCTEMP 80 / CCTEMP 85 say 68 C is fine.
    record.temperature_limits = {80, 85, "NVMe Identify Controller WCTEMP/CCTEMP"};
    const auto own = diag::disk::assess_disk(record);
    CHECK(only(own, "disk.temperature").severity == Severity::ok);
    CHECK(only(own, "disk.temperature").source.find("WCTEMP") != std::string::npos);
    // A SCSI drive trip of 68 C alone: critical at it, warning 5 C below.
    record.temperature_limits = {std::nullopt, 68, "SCSI drive trip temperature"};
    CHECK(only(diag::disk::assess_disk(record), "disk.temperature").severity == Severity::critical);
}

TEST_CASE("rules: a failed self-test followed by a passing extended test is only a warning") {
    diag::disk::DiskRecord record = nvme_record({});
    diag::disk::NvmeSelfTestLog log;
    log.results.push_back({0x2, 0x0, 0, 0, 120, std::nullopt, std::nullopt});
    log.results.push_back({0x1, 0x7, 1, 0x2, 100, std::nullopt, 4096});
    record.nvme->self_test_log = log;
    const auto superseded = only(diag::disk::assess_disk(record), "disk.selftest.failed");
    CHECK(superseded.severity == Severity::warning);
    CHECK(evidence(superseded, "lba") == diag::Value{std::uint64_t{4096}});
    log.results.erase(log.results.begin());
    record.nvme->self_test_log = log;
    CHECK(only(diag::disk::assess_disk(record), "disk.selftest.failed").severity ==
          Severity::critical);
}

TEST_CASE(
    "report: metrics are diag_smart_* labelled device, model, serial; findings cite sources") {
    const auto report =
        assess_file("sata-hdd-hitachi-hds721050-usbjmicron-failing-realloc1975.json");
    REQUIRE_FALSE(report.metrics.empty());
    for (const auto& m : report.metrics) {
        INFO(m.name);
        CHECK(m.name.starts_with("diag_smart_"));
        REQUIRE(m.labels.size() == 3);
        CHECK(m.labels[0].name == "device");
        CHECK(m.labels[0].value == "/dev/sdc");
        CHECK(m.labels[1].name == "model");
        CHECK(m.labels[2].name == "serial");
        CHECK(m.labels[2].value == "MSK423Y20S3HBC");
    }
    const auto* reallocated = metric(report, "diag_smart_reallocated_sectors");
    REQUIRE(reallocated != nullptr);
    CHECK(reallocated->value == 1975.0);
    for (const auto& finding : report.findings) {
        INFO(finding.check);
        CHECK_FALSE(finding.source.empty());
        CHECK(finding.subject == "/dev/sdc");
    }
    std::vector<std::string> labels;
    for (const auto& p : report.perfdata) {
        labels.push_back(p.label);
    }
    CHECK(labels == std::vector<std::string>{"sdc_reallocated", "sdc_pending", "sdc_temperature"});
}
