#include "diag/disk/disk_assess.hpp"

#include "diag/disk/ata_attribute_names.hpp"
#include "diag/disk/ata_raw_value.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include <fmt/format.h>

namespace diag::disk {

namespace {

// Where the rules come from. diag-smart(1) repeats them.
constexpr const char* kBackblaze =
    "Backblaze Drive Stats, \"What SMART Stats Tell Us About Hard Drives\" (2016): of the "
    "SMART attributes, non-zero raw values of 5, 187, 188, 197 and 198 go with failing drives";
constexpr const char* kGoogle =
    "Pinheiro, Weber and Barroso, \"Failure Trends in a Large Disk Drive Population\", FAST "
    "2007: after a drive's first scan error it was 39 times, after its first reallocation 14 "
    "times, after its first offline reallocation 21 times and after its first probational "
    "(pending) count 16 times more likely to fail within 60 days";
constexpr const char* kVendorThreshold =
    "the drive's own vendor threshold (ATA-3 8.39.5.2: a normalized value at or below its "
    "threshold; a pre-failure attribute there predicts failure, an old-age one end of life)";
constexpr const char* kReturnStatus =
    "SMART RETURN STATUS (ACS-3 7.44.8: LBA mid/high F4h/2Ch means a threshold is exceeded)";
constexpr const char* kCrcSource =
    "ATA 199 counts CRC errors of Ultra DMA transfers on the interface (ICRC in the error "
    "register, ACS-3 6.3): a cable, connector or backplane fault, not the medium";
constexpr const char* kNvmeSpec = "NVMe Base Specification 2.0, 5.16.1.3 SMART / Health log";

// diag's own margins, in diag-smart(1): SSD wear is a warning from 70% of rated endurance
// (time to plan replacement) and critical from 100% (the vendor's rated life is used up);
// NVMe spare is a warning within 10 points of the drive's threshold.
constexpr unsigned kWearWarnPct = 70;
constexpr unsigned kWearCritPct = 100;
constexpr unsigned kSpareMarginPct = 10;
// Default temperature limits when the drive reports none: 3.5-inch HDD data sheets specify
// 5-60 C operating (Seagate Exos X16, WD Ultrastar DC HC550, Toshiba MG08); SATA SSD and NVMe
// data sheets 0-70 C (Samsung 860 EVO, 970 EVO). Warning 5 C below the critical value.
constexpr int kHddCritCelsius = 60;
constexpr int kSsdCritCelsius = 70;
constexpr int kWarnBelowCritCelsius = 5;

// Attributes whose normalized value is the percentage of rated life left on SSDs of the
// vendors named (drivedb.h: 177 Samsung Wear_Leveling_Count, 231 SSD_Life_Left, 233 Intel
// Media_Wearout_Indicator).
constexpr std::array<std::uint8_t, 3> kWearAttributes{177, 231, 233};

std::string device_label(const DiskRecord& record) {
    std::string name = record.subject();
    if (const auto slash = name.rfind('/'); slash != std::string::npos) {
        name = name.substr(slash + 1);
    }
    std::replace(name.begin(), name.end(), ' ', '_');
    return name;
}

struct Assessor {
    const DiskRecord& record;
    Report report;
    std::string subject = record.subject();

    void add(Finding finding) {
        finding.subject = subject;
        report.findings.push_back(std::move(finding));
        ++report.assessed_count;
    }
    void gauge(std::string name, std::string help, double value) {
        report.metrics.push_back({std::move(name),
                                  std::move(help),
                                  MetricType::gauge,
                                  {{"device", record.identity.device},
                                   {"model", record.identity.model},
                                   {"serial", record.identity.serial}},
                                  value});
    }
    void perf(std::string_view what, double value, std::string uom,
              std::optional<double> max = std::nullopt) {
        report.perfdata.push_back({fmt::format("{}_{}", device_label(record), what), value,
                                   std::move(uom), std::nullopt, std::nullopt, 0.0, max});
    }

    void smart_status();
    void temperature();
    void wear(std::optional<unsigned> used_pct, std::string_view how, std::string source);

    // ATA
    void ata(const AtaRecord& ata);
    void ata_thresholds(const AtaSmartData& smart);
    void ata_count(const AtaSmartData& smart, const AtaQuirks& quirks, std::uint8_t id);
    void ata_error_log(const AtaErrorLog& log);
    void ata_self_tests(const AtaRecord& ata);
    void ata_wear(const AtaSmartData& smart);

    // NVMe
    void nvme(const NvmeRecord& nvme);
    void nvme_warnings(const NvmeHealth& health);
    void nvme_media(const NvmeHealth& health);
    void nvme_spare(const NvmeHealth& health);
    void nvme_self_tests(const NvmeSelfTestLog& log);

    // SCSI
    void scsi(const ScsiHealth& scsi);
};

std::string untrusted_note(bool trusted) {
    return trusted ? "" : " (page checksum failed: value untrusted)";
}

// Attribute 190 on WD and Seagate drives counts down as 100 minus the temperature, so a
// threshold of 45 stands for 55 C (smartmontools atacmds.cpp notes this for WD): say so when
// the raw Celsius and the value add up to 100.
std::string airflow_note(const AtaAttribute& attribute) {
    if (attribute.id != 190 || attribute.raw[0] + attribute.value != 100 || !attribute.threshold) {
        return "";
    }
    return fmt::format(": the drive ran above {} C {}", 100 - *attribute.threshold,
                       attribute.value <= *attribute.threshold ? "now" : "at least once");
}

void Assessor::smart_status() {
    if (!record.smart_status_passed || record.protocol == DiskProtocol::nvme) {
        return;  // NVMe's status is its Critical Warning byte, judged bit by bit
    }
    const bool passed = *record.smart_status_passed;
    const bool scsi = record.protocol == DiskProtocol::scsi;
    add({passed ? Severity::ok : Severity::critical,
         "disk.smart.status_failed",
         "",
         passed ? "the drive's own health status says it is not failing"
                : "the drive's own health status predicts its failure",
         {{"status_passed", passed}},
         std::nullopt,
         scsi ? "SCSI Informational Exceptions (SPC-5 7.3.10): a failure prediction threshold "
                "was exceeded"
              : kReturnStatus});
    gauge("diag_smart_status_passed",
          "1 when the drive's own SMART status says it is not failing, 0 when it predicts "
          "failure.",
          passed ? 1.0 : 0.0);
}

void Assessor::temperature() {
    if (!record.temperature_celsius) {
        return;
    }
    const int celsius = *record.temperature_celsius;
    const auto& limits = record.temperature_limits;
    std::optional<int> warn = limits.warning_celsius;
    std::optional<int> crit = limits.critical_celsius;
    std::string source;
    if (warn || crit) {
        if (!warn && crit) {
            warn = *crit - kWarnBelowCritCelsius;  // diag's margin below the drive's limit
        }
        source = limits.source + "; warning " + std::to_string(kWarnBelowCritCelsius) +
                 " C below a critical limit when the drive gives only that";
    } else {
        const bool ssd =
            record.identity.solid_state.value_or(false) || record.protocol == DiskProtocol::nvme;
        crit = ssd ? kSsdCritCelsius : kHddCritCelsius;
        warn = *crit - kWarnBelowCritCelsius;
        source = ssd ? "the drive reports no limits; 0-70 C is the operating range of SATA "
                       "and NVMe SSD data sheets (Samsung 860 EVO, 970 EVO)"
                     : "the drive reports no limits; 5-60 C is the operating range of HDD "
                       "data sheets (Seagate Exos X16, WD Ultrastar DC HC550)";
    }
    Severity severity = Severity::ok;
    if (crit && celsius >= *crit) {
        severity = Severity::critical;
    } else if (warn && celsius >= *warn) {
        severity = Severity::warning;
    }
    std::string limits_text;
    if (warn && crit) {
        limits_text = fmt::format(" (warning at {} C, critical at {} C)", *warn, *crit);
    } else if (warn) {
        limits_text = fmt::format(" (warning at {} C)", *warn);
    }
    Finding finding{severity,
                    "disk.temperature",
                    "",
                    fmt::format("{} C{}", celsius, limits_text),
                    {{"temperature_celsius", static_cast<std::int64_t>(celsius)}},
                    std::nullopt,
                    source};
    if (warn) {
        finding.evidence.push_back({"warning_celsius", static_cast<std::int64_t>(*warn)});
    }
    if (crit) {
        finding.evidence.push_back({"critical_celsius", static_cast<std::int64_t>(*crit)});
    }
    add(std::move(finding));
    gauge("diag_smart_temperature_celsius", "Drive temperature.", celsius);
    perf("temperature", celsius, "");
}

void Assessor::wear(std::optional<unsigned> used_pct, std::string_view how, std::string source) {
    if (!used_pct) {
        return;
    }
    Severity severity = Severity::ok;
    if (*used_pct >= kWearCritPct) {
        severity = Severity::critical;
    } else if (*used_pct >= kWearWarnPct) {
        severity = Severity::warning;
    }
    add({severity,
         "disk.ssd.wear",
         "",
         fmt::format("{}% of rated endurance used ({})", *used_pct, how),
         {{"endurance_used_pct", static_cast<std::uint64_t>(*used_pct)}},
         std::nullopt,
         std::move(source) + fmt::format("; diag warns from {}% and is critical from {}%",
                                         kWearWarnPct, kWearCritPct)});
    gauge("diag_smart_wear_ratio", "Share of the drive's rated endurance used (1 = all).",
          *used_pct / 100.0);
    perf("wear", *used_pct, "%", 100.0);
}

// --- ATA ----------------------------------------------------------------------------------

struct CountRule {
    std::uint8_t id;
    const char* check;
    const char* what;
    const char* metric;
    const char* help;
    const char* perf_label;
    Severity when_nonzero;
};

constexpr std::array kCountRules{
    CountRule{5, "disk.smart.reallocated", "reallocated sectors", "diag_smart_reallocated_sectors",
              "Sectors the drive moved to its spare area (ATA attribute 5).", "reallocated",
              Severity::warning},
    CountRule{197, "disk.smart.pending", "sectors pending reallocation (unreadable now)",
              "diag_smart_pending_sectors",
              "Sectors the drive could not read and waits to reallocate (ATA attribute 197).",
              "pending", Severity::warning},
    CountRule{198, "disk.smart.offline_uncorrectable",
              "sectors found uncorrectable by the offline scan",
              "diag_smart_offline_uncorrectable_sectors",
              "Sectors the offline surface scan could not read (ATA attribute 198).", nullptr,
              Severity::warning},
    CountRule{187, "disk.smart.reported_uncorrectable",
              "errors reported to the host as uncorrectable",
              "diag_smart_reported_uncorrectable_errors",
              "Errors the drive could not correct with ECC (ATA attribute 187).", nullptr,
              Severity::warning},
    CountRule{188, "disk.smart.command_timeout", "command timeouts", "diag_smart_command_timeouts",
              "Commands that timed out (ATA attribute 188, low 16 bits).", nullptr,
              Severity::warning},
    CountRule{199, "disk.smart.crc_errors", "interface CRC errors (cable, connector or backplane)",
              "diag_smart_crc_errors", "Interface CRC errors (ATA attribute 199).", nullptr,
              Severity::warning},
};

std::string count_source(std::uint8_t id) {
    switch (id) {
        case 5:
            return std::string(kBackblaze) + "; " + kGoogle;
        case 197:
            return std::string(kBackblaze) + "; " + kGoogle + " (197 is the probational count)";
        case 198:
            return std::string(kBackblaze) + "; " + kGoogle + " (198 comes from offline scans)";
        case 199:
            return kCrcSource;
        default:
            return kBackblaze;
    }
}

std::string count_summary(const CountRule& rule, std::uint64_t count, const RawReading& reading,
                          const AtaAttribute& attribute, const AtaQuirks& quirks) {
    std::string text = fmt::format("{} {}", count, rule.what);
    if (rule.id == 197 && quirks.pending_is_lifetime_total) {
        text += " (a lifetime total on this model: some may have been reallocated or rewritten)";
    }
    if (reading.packed) {
        text += fmt::format(" (raw {:#014x}: the upper bytes hold other vendor data)",
                            attribute.raw48());
    }
    if (rule.id == 199 && count > 0) {
        text += "; the medium is not at fault";
    }
    return text + untrusted_note(attribute.trusted);
}

void Assessor::ata_count(const AtaSmartData& smart, const AtaQuirks& quirks, std::uint8_t id) {
    const auto rule = std::find_if(kCountRules.begin(), kCountRules.end(),
                                   [id](const CountRule& r) { return r.id == id; });
    const AtaAttribute* attribute = smart.find(id);
    if (rule == kCountRules.end() || attribute == nullptr) {
        return;
    }
    const auto reading = read_raw(*attribute, quirks);
    if (!reading.count) {
        add({Severity::info,
             rule->check,
             "",
             fmt::format("attribute {} is in a format not known for this model; not judged", id),
             {{"attribute_id", static_cast<std::uint64_t>(id)}, {"raw48", attribute->raw48()}},
             std::nullopt,
             std::string(quirks.source)});
        return;
    }
    const std::uint64_t count = *reading.count;
    Finding finding{count > 0 ? rule->when_nonzero : Severity::ok,
                    rule->check,
                    "",
                    count_summary(*rule, count, reading, *attribute, quirks),
                    {{"attribute_id", static_cast<std::uint64_t>(id)},
                     {"count", count},
                     {"raw48", attribute->raw48()},
                     {"raw_rule", std::string(to_string(reading.rule))},
                     {"normalized_value", static_cast<std::uint64_t>(attribute->value)},
                     {"worst", static_cast<std::uint64_t>(attribute->worst)}},
                    std::nullopt,
                    count_source(id)};
    if (id == 188) {
        finding.evidence.push_back(
            {"raw_words", fmt::format("{} {} {}", attribute->raw_word(2), attribute->raw_word(1),
                                      attribute->raw_word(0))});
    }
    if (!attribute->trusted) {
        finding.evidence.push_back({"trusted", false});
    }
    if (!quirks.source.empty() && (reading.packed || id == 197)) {
        finding.source += "; model quirk: " + std::string(quirks.source);
    }
    add(std::move(finding));
    gauge(rule->metric, rule->help, static_cast<double>(count));
    if (rule->perf_label != nullptr) {
        perf(rule->perf_label, static_cast<double>(count), "");
    }
}

void Assessor::ata_thresholds(const AtaSmartData& smart) {
    if (!smart.thresholds_applied) {
        return;
    }
    std::size_t judged = 0;
    std::size_t failed = 0;
    for (const auto& attribute : smart.attributes) {
        const auto state = threshold_state(attribute);
        judged += state == ThresholdState::none ? 0U : 1U;
        if (state != ThresholdState::failed_now && state != ThresholdState::failed_past) {
            continue;
        }
        ++failed;
        const bool now = state == ThresholdState::failed_now;
        const bool prefail = attribute.prefailure();
        Severity severity = Severity::info;
        if (now) {
            severity = prefail ? Severity::critical : Severity::warning;
        } else if (prefail) {
            severity = Severity::warning;
        }
        add({severity,
             "disk.smart.threshold_failed",
             "",
             fmt::format("{} attribute {} ({}) {} its vendor threshold: value {}, worst {}, "
                         "threshold {}{}{}",
                         prefail ? "pre-failure" : "old-age", attribute.id,
                         ata_attribute_name(attribute.id, record.identity.solid_state),
                         now ? "is at or below" : "was once at or below", attribute.value,
                         attribute.worst, attribute.threshold.value_or(0), airflow_note(attribute),
                         untrusted_note(attribute.trusted)),
             {{"attribute_id", static_cast<std::uint64_t>(attribute.id)},
              {"when_failed", now ? std::string("now") : std::string("past")},
              {"prefailure", prefail},
              {"normalized_value", static_cast<std::uint64_t>(attribute.value)},
              {"worst", static_cast<std::uint64_t>(attribute.worst)},
              {"threshold", static_cast<std::uint64_t>(attribute.threshold.value_or(0))}},
             std::nullopt,
             kVendorThreshold});
    }
    if (failed == 0 && judged > 0) {
        add({Severity::ok,
             "disk.smart.threshold_failed",
             "",
             fmt::format("all {} attributes with a threshold are above it, now and at worst",
                         judged),
             {{"attributes_judged", static_cast<std::uint64_t>(judged)}},
             std::nullopt,
             kVendorThreshold});
    }
}

void Assessor::ata_error_log(const AtaErrorLog& log) {
    std::size_t link = 0;
    std::size_t media = 0;
    for (const auto& entry : log.entries) {
        link += entry.kind() == AtaErrorKind::interface_crc ? 1U : 0U;
        media += entry.kind() == AtaErrorKind::media ? 1U : 0U;
    }
    Severity severity = Severity::ok;
    std::string summary = "no errors in the drive's error log";
    if (log.error_count > 0 || !log.entries.empty()) {
        severity = media > 0 ? Severity::warning : Severity::info;
        summary = fmt::format(
            "{} errors logged over the drive's life; of the last {}, {} are "
            "media errors (UNC/IDNF) and {} interface CRC errors (link)",
            log.error_count, log.entries.size(), media, link);
    }
    Finding finding{severity,
                    "disk.smart.error_log",
                    "",
                    summary,
                    {{"error_count", static_cast<std::uint64_t>(log.error_count)},
                     {"media_entries", static_cast<std::uint64_t>(media)},
                     {"link_entries", static_cast<std::uint64_t>(link)}},
                    std::nullopt,
                    "ATA summary / extended comprehensive error log (ACS-3 A.8, A.14); error "
                    "register bits classified per ACS-3 6.3 (ICRC: link; UNC, IDNF: media)"};
    if (!log.entries.empty()) {
        const auto& newest = log.entries.front();
        finding.evidence.push_back({"newest_error_lba", static_cast<std::uint64_t>(newest.lba)});
        finding.evidence.push_back({"newest_error_kind", std::string(to_string(newest.kind()))});
        finding.evidence.push_back(
            {"newest_error_hours_logged", static_cast<std::uint64_t>(newest.hours_logged)});
    }
    add(std::move(finding));
}

// The newest failed test, and whether an extended test passed after it: a drive that fails
// a surface scan has unreadable sectors; a later clean extended test means they were dealt
// with (reallocated or rewritten).
template <class Entry, class Failed, class PassedExtended>
std::pair<const Entry*, bool> newest_failure(const std::vector<Entry>& newest_first, Failed failed,
                                             PassedExtended passed_extended) {
    bool clean_extended_after = false;
    for (const auto& entry : newest_first) {
        if (failed(entry)) {
            return {&entry, clean_extended_after};
        }
        clean_extended_after = clean_extended_after || passed_extended(entry);
    }
    return {nullptr, false};
}

void Assessor::ata_self_tests(const AtaRecord& ata) {
    if (!ata.self_test_log) {
        const auto status = ata.smart ? ata.smart->self_test_status : std::nullopt;
        if (status && (static_cast<unsigned>(*status) >> 4U) >= 3 &&
            (static_cast<unsigned>(*status) >> 4U) <= 8) {
            add({Severity::critical,
                 "disk.selftest.failed",
                 "",
                 fmt::format("the last self-test {}", self_test_status_text(*status)),
                 {{"self_test_status", static_cast<std::uint64_t>(*status)}},
                 std::nullopt,
                 "SMART READ DATA self-test execution status (ACS-3 Table 133)"});
        }
        return;
    }
    const auto& entries = ata.self_test_log->entries;
    const auto [failure, superseded] = newest_failure(
        entries, [](const AtaSelfTestEntry& e) { return e.failed(); },
        [](const AtaSelfTestEntry& e) { return e.test_kind() == 2 && e.status() == 0; });
    const std::size_t failures = static_cast<std::size_t>(
        std::count_if(entries.begin(), entries.end(), [](const auto& e) { return e.failed(); }));
    const char* source =
        "SMART self-test log (ACS-3 Table 136); a failed read test means unreadable sectors, "
        "the \"scan errors\" of Pinheiro et al., FAST 2007 (39 times likelier to fail within "
        "60 days)";
    if (failure == nullptr) {
        add({Severity::ok,
             "disk.selftest.failed",
             "",
             fmt::format("{} self-tests logged, none failed", entries.size()),
             {{"self_tests", static_cast<std::uint64_t>(entries.size())}},
             std::nullopt,
             source});
        return;
    }
    Finding finding{
        superseded ? Severity::warning : Severity::critical,
        "disk.selftest.failed",
        "",
        fmt::format("{} self-test: {}{}{}{}", self_test_kind_name(failure->test_kind()),
                    self_test_status_text(failure->status_byte),
                    failure->failing_lba ? fmt::format(" at LBA {}", *failure->failing_lba) : "",
                    failure->lifetime_hours
                        ? fmt::format(" at {} power-on hours", *failure->lifetime_hours)
                        : fmt::format(" at logged hour {}", failure->hours_logged),
                    superseded ? "; a later extended test passed" : ""),
        {{"failed_tests", static_cast<std::uint64_t>(failures)},
         {"status_byte", static_cast<std::uint64_t>(failure->status_byte)},
         {"hours_logged", static_cast<std::uint64_t>(failure->hours_logged)}},
        std::nullopt,
        source};
    if (failure->failing_lba) {
        finding.evidence.push_back({"lba", *failure->failing_lba});
    }
    if (failure->lifetime_hours) {
        finding.evidence.push_back({"power_on_hours", *failure->lifetime_hours});
    }
    add(std::move(finding));
}

void Assessor::ata_wear(const AtaSmartData& smart) {
    if (record.endurance_used_pct) {
        wear(*record.endurance_used_pct, "ATA Device Statistics, Percentage Used Endurance",
             "ACS-3 9.24.7.2 Percentage Used Endurance Indicator");
        return;
    }
    if (!record.identity.solid_state.value_or(false)) {
        return;
    }
    for (const std::uint8_t id : kWearAttributes) {
        const AtaAttribute* attribute = smart.find(id);
        // A normalized value above 100 is not a percentage: the vendor uses the id otherwise.
        if (attribute != nullptr && attribute->value >= 1 && attribute->value <= 100) {
            wear(100U - attribute->value,
                 fmt::format("attribute {} normalized value {} of 100", id, attribute->value),
                 "vendor wear attribute whose normalized value is the share of life left "
                 "(smartmontools drivedb.h: 177 Samsung, 231 SSD_Life_Left, 233 Intel)");
            return;
        }
    }
}

void Assessor::ata(const AtaRecord& ata) {
    if (ata.smart) {
        ata_thresholds(*ata.smart);
        for (const auto& rule : kCountRules) {
            ata_count(*ata.smart, ata.quirks, rule.id);
        }
        ata_wear(*ata.smart);
    }
    if (ata.error_log) {
        ata_error_log(*ata.error_log);
    }
    ata_self_tests(ata);
}

// --- NVMe ---------------------------------------------------------------------------------

void Assessor::nvme_warnings(const NvmeHealth& health) {
    if (!health.critical_warning) {
        return;
    }
    const auto bits = nvme_critical_warnings(*health.critical_warning);
    for (const auto& bit : bits) {
        // The temperature bit clears when the drive cools; the others mean lost redundancy,
        // failing media or a drive that stopped taking writes.
        add({bit.bit == 1 ? Severity::warning : Severity::critical,
             "disk.nvme.critical_warning",
             "",
             fmt::format("critical warning bit {} ({}): {}", bit.bit, bit.name, bit.meaning),
             {{"critical_warning", static_cast<std::uint64_t>(*health.critical_warning)},
              {"bit", static_cast<std::uint64_t>(bit.bit)},
              {"name", std::string(bit.name)}},
             std::nullopt,
             std::string(kNvmeSpec) + ", Critical Warning (Figure 207)"});
    }
    if (bits.empty()) {
        add({Severity::ok,
             "disk.nvme.critical_warning",
             "",
             "no critical warning bits set",
             {{"critical_warning", std::uint64_t{0}}},
             std::nullopt,
             std::string(kNvmeSpec) + ", Critical Warning (Figure 207)"});
    }
    gauge("diag_smart_nvme_critical_warning", "The NVMe Critical Warning byte (0 = none).",
          *health.critical_warning);
}

void Assessor::nvme_media(const NvmeHealth& health) {
    if (!health.media_errors) {
        return;
    }
    const double errors = health.media_errors->to_double();
    Finding finding{errors > 0 ? Severity::warning : Severity::ok,
                    "disk.nvme.media_errors",
                    "",
                    errors > 0 ? fmt::format("{:.0f} unrecovered media and data integrity "
                                             "errors",
                                             errors)
                               : "no unrecovered media errors",
                    {{"media_errors", errors}},
                    std::nullopt,
                    std::string(kNvmeSpec) +
                        ", Media and Data Integrity Errors: each is data the controller could "
                        "not recover; the drive's own status stays \"passed\" meanwhile"};
    if (health.error_log_entries) {
        finding.evidence.push_back({"error_log_entries", health.error_log_entries->to_double()});
    }
    add(std::move(finding));
    gauge("diag_smart_media_errors", "NVMe Media and Data Integrity Errors.", errors);
}

void Assessor::nvme_spare(const NvmeHealth& health) {
    if (!health.available_spare_pct || !health.available_spare_threshold_pct) {
        return;
    }
    const unsigned spare = *health.available_spare_pct;
    const unsigned threshold = *health.available_spare_threshold_pct;
    Severity severity = Severity::ok;
    if (spare <= threshold) {
        severity = Severity::critical;
    } else if (spare <= threshold + kSpareMarginPct) {
        severity = Severity::warning;
    }
    add({severity,
         "disk.ssd.spare",
         "",
         fmt::format("{}% spare capacity left, the drive's threshold is {}%", spare, threshold),
         {{"available_spare_pct", static_cast<std::uint64_t>(spare)},
          {"available_spare_threshold_pct", static_cast<std::uint64_t>(threshold)}},
         std::nullopt,
         std::string(kNvmeSpec) + ", Available Spare and its threshold; diag warns within " +
             std::to_string(kSpareMarginPct) + " points of it"});
    gauge("diag_smart_available_spare_ratio", "NVMe Available Spare (1 = all spare left).",
          spare / 100.0);
}

void Assessor::nvme_self_tests(const NvmeSelfTestLog& log) {
    const auto [failure, superseded] = newest_failure(
        log.results, [](const NvmeSelfTestResult& r) { return r.failed(); },
        [](const NvmeSelfTestResult& r) { return r.code == 2 && r.result == 0; });
    const char* source = "NVMe Base Specification 2.0, Device Self-test log (Figure 262)";
    if (failure == nullptr) {
        add({Severity::ok,
             "disk.selftest.failed",
             "",
             fmt::format("{} self-tests logged, none failed", log.results.size()),
             {{"self_tests", static_cast<std::uint64_t>(log.results.size())}},
             std::nullopt,
             source});
        return;
    }
    Finding finding{
        superseded ? Severity::warning : Severity::critical,
        "disk.selftest.failed",
        "",
        fmt::format("{} self-test failed (result {:#x}){} at {} power-on hours{}",
                    nvme_self_test_code_name(failure->code), failure->result,
                    failure->failing_lba ? fmt::format(" at LBA {}", *failure->failing_lba) : "",
                    failure->power_on_hours, superseded ? "; a later extended test passed" : ""),
        {{"result", static_cast<std::uint64_t>(failure->result)},
         {"power_on_hours", failure->power_on_hours}},
        std::nullopt,
        source};
    if (failure->failing_lba) {
        finding.evidence.push_back({"lba", *failure->failing_lba});
    }
    add(std::move(finding));
}

void Assessor::nvme(const NvmeRecord& nvme) {
    if (nvme.health) {
        const auto& health = *nvme.health;
        nvme_warnings(health);
        nvme_media(health);
        nvme_spare(health);
        if (health.percentage_used_pct) {
            wear(*health.percentage_used_pct, "NVMe Percentage Used",
                 std::string(kNvmeSpec) + ", Percentage Used (may exceed 100)");
        }
    }
    if (nvme.self_test_log) {
        nvme_self_tests(*nvme.self_test_log);
    }
}

// --- SCSI ---------------------------------------------------------------------------------

void Assessor::scsi(const ScsiHealth& scsi) {
    if (scsi.grown_defects) {
        const std::uint64_t defects = *scsi.grown_defects;
        add({defects > 0 ? Severity::warning : Severity::ok,
             "disk.scsi.grown_defects",
             "",
             defects > 0 ? fmt::format("{} blocks remapped since the drive left the factory (grown "
                                       "defect list){}",
                                       defects,
                                       record.smart_status_passed.value_or(false)
                                           ? ", although the drive reports its health as OK"
                                           : "")
                         : "no grown defects",
             {{"grown_defects", defects}},
             std::nullopt,
             std::string("SBC-4 READ DEFECT DATA, grown list: the SCSI counterpart of ATA "
                         "reallocated sectors; ") +
                 kGoogle});
        gauge("diag_smart_grown_defects", "Entries in the SCSI grown defect list.",
              static_cast<double>(defects));
        perf("reallocated", static_cast<double>(defects), "");
    }
    std::optional<std::uint64_t> uncorrected;
    Finding finding{Severity::ok,
                    "disk.scsi.uncorrected_errors",
                    "",
                    "",
                    {},
                    std::nullopt,
                    "SPC-5 7.3.7 error counter log pages, parameter 0006h total uncorrected "
                    "errors: data the drive could not deliver"};
    for (const auto& [name, page] : {std::pair{"read", scsi.read}, std::pair{"write", scsi.write},
                                     std::pair{"verify", scsi.verify}}) {
        if (page && page->total_uncorrected) {
            uncorrected = uncorrected.value_or(0) + *page->total_uncorrected;
            finding.evidence.push_back(
                {fmt::format("{}_uncorrected", name), *page->total_uncorrected});
        }
    }
    if (uncorrected) {
        finding.severity = *uncorrected > 0 ? Severity::warning : Severity::ok;
        finding.summary = *uncorrected > 0
                              ? fmt::format("{} uncorrected read/write/verify errors", *uncorrected)
                              : "no uncorrected read/write/verify errors";
        add(std::move(finding));
        gauge("diag_smart_uncorrected_errors", "SCSI total uncorrected errors, all directions.",
              static_cast<double>(*uncorrected));
    }
    wear(record.endurance_used_pct, "SCSI Solid State Media log, Percentage Used Endurance",
         "SBC-4 Solid State Media log page 11h");
}

}  // namespace

Report assess_disk(const DiskRecord& record) {
    Assessor a{record, {}};
    a.report.issues = record.issues;
    a.smart_status();
    switch (record.protocol) {
        case DiskProtocol::ata:
            if (record.ata) {
                a.ata(*record.ata);
            }
            break;
        case DiskProtocol::nvme:
            if (record.nvme) {
                a.nvme(*record.nvme);
            }
            break;
        case DiskProtocol::scsi:
            if (record.scsi) {
                a.scsi(*record.scsi);
            }
            break;
    }
    a.temperature();
    if (record.power_on_hours) {
        a.gauge("diag_smart_power_on_seconds", "Time the drive has been powered on.",
                static_cast<double>(*record.power_on_hours) * 3600.0);
    }
    return std::move(a.report);
}

Report assess_disks(const std::vector<DiskRecord>& records) {
    Report report;
    for (const auto& record : records) {
        report.merge(assess_disk(record));
    }
    return report;
}

}  // namespace diag::disk
