#include "diag/disk/smartctl_import.hpp"

#include "diag/disk/ata_raw_value.hpp"

#include <algorithm>
#include <charconv>
#include <initializer_list>
#include <limits>
#include <string>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace diag::disk {

namespace {

using nlohmann::json;

constexpr std::uint64_t kRaw48Mask = 0xFFFFFFFFFFFFULL;

// Lookups that never throw: a missing key or a value of another type reads as absent.

const json* child(const json& object, std::string_view key) {
    if (!object.is_object()) {
        return nullptr;
    }
    const auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

const json* path(const json& object, std::initializer_list<std::string_view> keys) {
    const json* at = &object;
    for (const auto key : keys) {
        at = child(*at, key);
        if (at == nullptr) {
            return nullptr;
        }
    }
    return at;
}

std::optional<std::uint64_t> as_u64(const json* value) {
    if (value == nullptr) {
        return std::nullopt;
    }
    if (value->is_number_unsigned()) {
        return value->get<std::uint64_t>();
    }
    if (value->is_number_integer() && value->get<std::int64_t>() >= 0) {
        return static_cast<std::uint64_t>(value->get<std::int64_t>());
    }
    return std::nullopt;
}

std::optional<std::int64_t> as_i64(const json* value) {
    if (value != nullptr && value->is_number_integer()) {
        return value->get<std::int64_t>();
    }
    return std::nullopt;
}

std::optional<std::string> as_string(const json* value) {
    if (value != nullptr && value->is_string()) {
        return value->get<std::string>();
    }
    return std::nullopt;
}

std::optional<bool> as_bool(const json* value) {
    if (value != nullptr && value->is_boolean()) {
        return value->get<bool>();
    }
    return std::nullopt;
}

template <class T>
std::optional<T> as_small(const json* value) {
    const auto number = as_u64(value);
    if (!number || *number > std::numeric_limits<T>::max()) {
        return std::nullopt;
    }
    return static_cast<T>(*number);
}

std::optional<int> as_int(const json* value) {
    const auto number = as_i64(value);
    if (!number || *number < std::numeric_limits<int>::min() ||
        *number > std::numeric_limits<int>::max()) {
        return std::nullopt;
    }
    return static_cast<int>(*number);
}

// smartctl writes 128-bit NVMe counters as JSON numbers while they fit 64 bits; a decimal
// string is accepted for larger ones.
std::optional<Counter128> as_counter(const json* value) {
    if (const auto number = as_u64(value)) {
        return Counter128{*number, 0};
    }
    const auto text = as_string(value);
    if (!text || text->empty() ||
        !std::all_of(text->begin(), text->end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return std::nullopt;
    }
    __extension__ using Wide = unsigned __int128;
    Wide wide = 0;
    for (const char digit : *text) {
        wide = wide * 10U + static_cast<unsigned>(digit - '0');
    }
    return Counter128{static_cast<std::uint64_t>(wide), static_cast<std::uint64_t>(wide >> 64U)};
}

std::optional<double> as_decimal(const json* value) {
    if (value != nullptr && value->is_number()) {
        return value->get<double>();
    }
    if (const auto text = as_string(value)) {
        double parsed = 0.0;
        const auto* end = text->data() + text->size();
        if (std::from_chars(text->data(), end, parsed).ptr == end) {
            return parsed;
        }
    }
    return std::nullopt;
}

template <class Fn>
void for_each_in(const json* array, Fn fn) {
    if (array == nullptr || !array->is_array()) {
        return;
    }
    for (const auto& element : *array) {
        fn(element);
    }
}

std::string first_string(const json& root, std::initializer_list<std::string_view> keys) {
    for (const auto key : keys) {
        if (auto text = as_string(child(root, key))) {
            return *text;
        }
    }
    return {};
}

// --- the smartctl run -------------------------------------------------------------------

SmartctlRun read_run(const json& smartctl) {
    SmartctlRun run;
    for_each_in(child(smartctl, "version"), [&](const json& part) {
        if (const auto number = as_u64(&part)) {
            run.version +=
                run.version.empty() ? fmt::format("{}", *number) : fmt::format(".{}", *number);
        }
    });
    for_each_in(child(smartctl, "argv"), [&](const json& arg) {
        if (auto text = as_string(&arg)) {
            run.argv.push_back(std::move(*text));
        }
    });
    run.exit_status = as_int(child(smartctl, "exit_status"));
    for_each_in(child(smartctl, "messages"), [&](const json& message) {
        run.messages.push_back({as_string(child(message, "string")).value_or(""),
                                as_string(child(message, "severity")).value_or("")});
    });
    return run;
}

bool contains_text(std::string_view text, std::string_view part) {
    return text.find(part) != std::string_view::npos;
}

std::string hint_for(std::string_view message) {
    if (contains_text(message, "Permission denied") ||
        contains_text(message, "Operation not permitted")) {
        return "run smartctl as root";
    }
    if (contains_text(message, "Unknown USB bridge") || contains_text(message, "-d ")) {
        return "the device needs a type smartctl could not guess; see smartctl -d";
    }
    return "";
}

// smartctl's messages and its exit status, as Issues about the run (not about the disk).
void run_issues(const SmartctlRun& run, const std::string& subject, SmartctlImport& out) {
    bool error_reported = false;
    for (const auto& message : run.messages) {
        if (contains_text(message.text, "based on an Attribute check")) {
            continue;  // handled with smart_status
        }
        const bool error = message.severity == "error";
        error_reported = error_reported || error;
        out.issues.push_back({error ? IssueLevel::error : IssueLevel::info, "smartctl", subject,
                              message.text, hint_for(message.text)});
    }
    if (!run.exit_status || error_reported) {
        return;
    }
    // Bits 0-2 are about the run itself; bits 3-7 are smartctl's verdicts, which diag makes
    // again from the data.
    const auto status = static_cast<unsigned>(*run.exit_status);
    for (unsigned bit = 0; bit < 3; ++bit) {
        if (((status >> bit) & 1U) != 0) {
            out.issues.push_back(
                {bit == 2 ? IssueLevel::info : IssueLevel::error, "smartctl", subject,
                 fmt::format("exit status {} (bit {}: {})", status, bit,
                             smartctl_exit_status_meanings(static_cast<int>(1U << bit)).front()),
                 ""});
        }
    }
}

// --- identity and common values -----------------------------------------------------------

DiskProtocol protocol_of(const json& root) {
    const std::string protocol = as_string(path(root, {"device", "protocol"})).value_or("");
    if (protocol == "NVMe" || child(root, "nvme_smart_health_information_log") != nullptr) {
        return DiskProtocol::nvme;
    }
    if (protocol == "SCSI" || child(root, "scsi_grown_defect_list") != nullptr ||
        child(root, "scsi_error_counter_log") != nullptr) {
        return DiskProtocol::scsi;
    }
    return DiskProtocol::ata;
}

DiskIdentity read_identity(const json& root, DiskProtocol protocol) {
    DiskIdentity id;
    id.device = as_string(path(root, {"device", "name"})).value_or("");
    id.transport = as_string(path(root, {"device", "type"})).value_or("");
    id.serial = first_string(root, {"serial_number"});
    id.family = first_string(root, {"model_family"});
    if (protocol == DiskProtocol::scsi) {
        // smartctl 7.3 and 7.4 prefix the SCSI identity keys with "scsi_"; 7.0-7.2 and 7.5
        // do not.
        id.vendor = first_string(root, {"scsi_vendor", "vendor"});
        id.model = first_string(root, {"scsi_model_name", "model_name", "scsi_product", "product"});
        id.firmware = first_string(root, {"scsi_revision", "revision"});
    } else {
        id.model = first_string(root, {"model_name"});
        id.firmware = first_string(root, {"firmware_version"});
    }
    id.capacity_bytes = as_u64(path(root, {"user_capacity", "bytes"}));
    if (!id.capacity_bytes) {
        id.capacity_bytes = as_u64(child(root, "nvme_total_capacity"));
    }
    // rotation_rate 0 is smartctl's "Solid State Device"; absent when the drive says nothing.
    if (const auto rpm = as_small<std::uint16_t>(child(root, "rotation_rate"))) {
        id.solid_state = *rpm == 0;
        if (*rpm != 0) {
            id.rotation_rate_rpm = rpm;
        }
    }
    if (protocol == DiskProtocol::nvme) {
        id.solid_state = true;
    }
    return id;
}

void read_limits(const json& root, DiskRecord& record) {
    auto& limits = record.temperature_limits;
    if (const json* nvme = child(root, "nvme_composite_temperature_threshold")) {
        limits.warning_celsius = as_int(child(*nvme, "warning"));
        limits.critical_celsius = as_int(child(*nvme, "critical"));
        limits.source = "NVMe WCTEMP/CCTEMP (smartctl nvme_composite_temperature_threshold)";
    } else if (const auto trip = as_int(path(root, {"temperature", "drive_trip"}))) {
        limits.critical_celsius = trip;
        limits.source = "SCSI drive trip temperature (temperature log page 0Dh)";
    } else if (const json* sct = path(root, {"ata_sct_status", "temperature"})) {
        limits.warning_celsius = as_int(child(*sct, "op_limit_max"));
        limits.critical_celsius = as_int(child(*sct, "limit_max"));
        if (limits.warning_celsius || limits.critical_celsius) {
            limits.source = "ATA SCT Status temperature limits";
        }
    }
}

std::optional<std::uint8_t> device_statistics_percentage_used(const json& root) {
    // ATA Device Statistics log (GPL 04h) page 07h offset 08h: Percentage Used Endurance
    // Indicator (ACS-3, 9.24.7.2).
    std::optional<std::uint8_t> used;
    for_each_in(path(root, {"ata_device_statistics", "pages"}), [&](const json& page) {
        if (as_u64(child(page, "number")) != 7U) {
            return;
        }
        for_each_in(child(page, "table"), [&](const json& entry) {
            if (as_u64(child(entry, "offset")) == 8U) {
                used = as_small<std::uint8_t>(child(entry, "value"));
            }
        });
    });
    return used;
}

// --- ATA ----------------------------------------------------------------------------------

AtaAttribute read_attribute(const json& entry) {
    AtaAttribute attribute;
    attribute.id = as_small<std::uint8_t>(child(entry, "id")).value_or(0);
    attribute.flags = as_small<std::uint16_t>(path(entry, {"flags", "value"})).value_or(0);
    attribute.value = as_small<std::uint8_t>(child(entry, "value")).value_or(0);
    attribute.worst = as_small<std::uint8_t>(child(entry, "worst")).value_or(0);
    attribute.threshold = as_small<std::uint8_t>(child(entry, "thresh"));
    // raw.value is smartctl's number for the attribute's print format: the six raw bytes for
    // the default byte order "543210", the reserved byte above them for "r543210" formats
    // (raw56, msec24hour32). Bytes 0-5 are rebuilt from its low 48 bits.
    const std::uint64_t raw = as_u64(path(entry, {"raw", "value"})).value_or(0);
    for (std::size_t i = 0; i < attribute.raw.size(); ++i) {
        attribute.raw[i] = static_cast<std::uint8_t>((raw & kRaw48Mask) >> (8U * i));
    }
    attribute.reserved = static_cast<std::uint8_t>(raw >> 48U);
    attribute.smartctl_name = as_string(child(entry, "name"));
    attribute.smartctl_raw_text = as_string(path(entry, {"raw", "string"}));
    return attribute;
}

std::optional<AtaSmartData> read_smart_data(const json& root) {
    const json* attributes = child(root, "ata_smart_attributes");
    const json* data = child(root, "ata_smart_data");
    if (attributes == nullptr && data == nullptr) {
        return std::nullopt;
    }
    AtaSmartData smart;
    if (attributes != nullptr) {
        smart.revision = as_small<std::uint16_t>(child(*attributes, "revision")).value_or(0);
        for_each_in(child(*attributes, "table"), [&](const json& entry) {
            auto attribute = read_attribute(entry);
            smart.thresholds_applied = smart.thresholds_applied || attribute.threshold.has_value();
            if (attribute.id != 0) {
                smart.attributes.push_back(std::move(attribute));
            }
        });
    }
    if (data != nullptr) {
        smart.offline_status =
            as_small<std::uint8_t>(path(*data, {"offline_data_collection", "status", "value"}));
        smart.offline_seconds =
            as_small<std::uint16_t>(path(*data, {"offline_data_collection", "completion_seconds"}));
        smart.self_test_status =
            as_small<std::uint8_t>(path(*data, {"self_test", "status", "value"}));
        smart.short_test_minutes =
            as_small<std::uint8_t>(path(*data, {"self_test", "polling_minutes", "short"}));
        smart.extended_test_minutes =
            as_small<std::uint16_t>(path(*data, {"self_test", "polling_minutes", "extended"}));
    }
    return smart;
}

// The standard (SMART log 06h) or extended (GPL 07h) self-test log; smartctl writes one or
// both, the extended one holding more entries.
std::optional<AtaSelfTestLog> read_self_test_log(const json& root) {
    const json* log = path(root, {"ata_smart_self_test_log", "extended"});
    if (log == nullptr) {
        log = path(root, {"ata_smart_self_test_log", "standard"});
    }
    if (log == nullptr) {
        return std::nullopt;
    }
    AtaSelfTestLog out;
    out.revision = as_small<std::uint16_t>(child(*log, "revision")).value_or(0);
    for_each_in(child(*log, "table"), [&](const json& row) {
        AtaSelfTestEntry entry;
        entry.test_type = as_small<std::uint8_t>(path(row, {"type", "value"})).value_or(0);
        entry.status_byte = as_small<std::uint8_t>(path(row, {"status", "value"})).value_or(0);
        entry.hours_logged =
            static_cast<std::uint16_t>(as_u64(child(row, "lifetime_hours")).value_or(0) & 0xFFFFU);
        if (entry.failed()) {
            entry.failing_lba = as_u64(child(row, "lba"));
        }
        out.entries.push_back(entry);
    });
    return out;
}

AtaErrorEntry read_error_entry(const json& row) {
    AtaErrorEntry entry;
    entry.error_number = as_small<std::uint32_t>(child(row, "error_number"));
    const json* registers = child(row, "completion_registers");
    if (registers != nullptr) {
        entry.error_register = as_small<std::uint8_t>(child(*registers, "error")).value_or(0);
        entry.status_register = as_small<std::uint8_t>(child(*registers, "status")).value_or(0);
        entry.count = static_cast<std::uint8_t>(as_u64(child(*registers, "count")).value_or(0));
        entry.lba = static_cast<std::uint32_t>(as_u64(child(*registers, "lba")).value_or(0));
    }
    entry.state = as_small<std::uint8_t>(path(row, {"device_state", "value"})).value_or(0);
    entry.hours_logged =
        static_cast<std::uint16_t>(as_u64(child(row, "lifetime_hours")).value_or(0) & 0xFFFFU);
    entry.description = as_string(child(row, "error_description"));
    return entry;
}

std::optional<AtaErrorLog> read_error_log(const json& root) {
    const json* log = path(root, {"ata_smart_error_log", "extended"});
    if (log == nullptr) {
        log = path(root, {"ata_smart_error_log", "summary"});
    }
    if (log == nullptr) {
        return std::nullopt;
    }
    AtaErrorLog out;
    out.error_count = as_small<std::uint32_t>(child(*log, "count")).value_or(0);
    for_each_in(child(*log, "table"),
                [&](const json& row) { out.entries.push_back(read_error_entry(row)); });
    return out;
}

// smartctl keeps going after a bad checksum and says so in a message such as "Warning! SMART
// Attribute Data Structure error: invalid SMART checksum." (ataprint.cpp); the values it
// printed are then as untrusted as a page diag decoded with a bad checksum.
void mark_checksum_failures(const std::vector<SmartctlMessage>& messages, AtaRecord& ata) {
    for (const auto& message : messages) {
        if (!contains_text(message.text, "invalid SMART checksum")) {
            continue;
        }
        const bool thresholds = contains_text(message.text, "Threshold");
        if (ata.smart && (thresholds || contains_text(message.text, "Attribute Data"))) {
            (thresholds ? ata.smart->thresholds_checksum_valid : ata.smart->checksum_valid) = false;
            for (auto& attribute : ata.smart->attributes) {
                attribute.trusted = false;
            }
        }
        if (ata.self_test_log && contains_text(message.text, "Self-Test Log")) {
            ata.self_test_log->checksum_valid = false;
        }
        if (ata.error_log && contains_text(message.text, "Error Log")) {
            ata.error_log->checksum_valid = false;
        }
    }
}

AtaRecord read_ata(const json& root, const DiskRecord& record) {
    AtaRecord ata;
    ata.quirks = ata_quirks_for(record.identity.model, record.identity.firmware);
    AtaIdentify identify;
    identify.model = record.identity.model;
    identify.serial = record.identity.serial;
    identify.firmware = record.identity.firmware;
    identify.capacity_bytes = record.identity.capacity_bytes;
    identify.rotation_rate_rpm = record.identity.rotation_rate_rpm;
    identify.solid_state = record.identity.solid_state;
    identify.smart_supported = as_bool(path(root, {"smart_support", "available"})).value_or(false);
    identify.smart_enabled = as_bool(path(root, {"smart_support", "enabled"})).value_or(false);
    identify.major_version_word =
        as_small<std::uint16_t>(path(root, {"ata_version", "major_value"}));
    ata.identify = std::move(identify);
    ata.smart = read_smart_data(root);
    ata.self_test_log = read_self_test_log(root);
    if (ata.self_test_log && record.power_on_hours) {
        unwrap_self_test_hours(ata.self_test_log->entries, *record.power_on_hours);
    }
    ata.error_log = read_error_log(root);
    if (record.smartctl) {
        mark_checksum_failures(record.smartctl->messages, ata);
    }
    return ata;
}

// --- NVMe and SCSI ------------------------------------------------------------------------

NvmeHealth read_nvme_health(const json& log) {
    NvmeHealth h;
    h.critical_warning = as_small<std::uint8_t>(child(log, "critical_warning"));
    h.temperature_celsius = as_int(child(log, "temperature"));
    h.available_spare_pct = as_small<std::uint8_t>(child(log, "available_spare"));
    h.available_spare_threshold_pct =
        as_small<std::uint8_t>(child(log, "available_spare_threshold"));
    h.percentage_used_pct = as_small<std::uint8_t>(child(log, "percentage_used"));
    h.data_units_read = as_counter(child(log, "data_units_read"));
    h.data_units_written = as_counter(child(log, "data_units_written"));
    h.host_read_commands = as_counter(child(log, "host_reads"));
    h.host_write_commands = as_counter(child(log, "host_writes"));
    h.controller_busy_minutes = as_counter(child(log, "controller_busy_time"));
    h.power_cycles = as_counter(child(log, "power_cycles"));
    h.power_on_hours = as_counter(child(log, "power_on_hours"));
    h.unsafe_shutdowns = as_counter(child(log, "unsafe_shutdowns"));
    h.media_errors = as_counter(child(log, "media_errors"));
    h.error_log_entries = as_counter(child(log, "num_err_log_entries"));
    h.warning_temperature_minutes = as_small<std::uint32_t>(child(log, "warning_temp_time"));
    h.critical_temperature_minutes = as_small<std::uint32_t>(child(log, "critical_comp_time"));
    for_each_in(child(log, "temperature_sensors"), [&](const json& sensor) {
        if (const auto celsius = as_int(&sensor)) {
            h.sensor_celsius.push_back(*celsius);
        }
    });
    return h;
}

// nvme_self_test_log as smartctl 7.4 and later write it (self_test_code, self_test_result,
// power_on_hours, lba); diag's test data has no sample of it.
std::optional<NvmeSelfTestLog> read_nvme_self_test_log(const json& root) {
    const json* log = child(root, "nvme_self_test_log");
    if (log == nullptr) {
        return std::nullopt;
    }
    NvmeSelfTestLog out;
    out.current_operation =
        as_small<std::uint8_t>(path(*log, {"current_self_test_operation", "value"})).value_or(0);
    for_each_in(child(*log, "table"), [&](const json& row) {
        NvmeSelfTestResult result;
        result.code = as_small<std::uint8_t>(path(row, {"self_test_code", "value"})).value_or(0);
        result.result =
            as_small<std::uint8_t>(path(row, {"self_test_result", "value"})).value_or(0x0F);
        result.power_on_hours = as_u64(child(row, "power_on_hours")).value_or(0);
        result.failing_lba = as_u64(child(row, "lba"));
        result.nsid = as_small<std::uint32_t>(child(row, "nsid"));
        if (result.result != 0x0F) {
            out.results.push_back(result);
        }
    });
    return out;
}

NvmeRecord read_nvme(const json& root) {
    NvmeRecord nvme;
    if (const json* log = child(root, "nvme_smart_health_information_log")) {
        nvme.health = read_nvme_health(*log);
    }
    nvme.self_test_log = read_nvme_self_test_log(root);
    return nvme;
}

ScsiErrorCounters read_counters(const json& page) {
    ScsiErrorCounters c;
    c.corrected_fast = as_u64(child(page, "errors_corrected_by_eccfast"));
    c.corrected_delayed = as_u64(child(page, "errors_corrected_by_eccdelayed"));
    c.corrected_by_retry = as_u64(child(page, "errors_corrected_by_rereads_rewrites"));
    c.total_corrected = as_u64(child(page, "total_errors_corrected"));
    c.correction_algorithm_runs = as_u64(child(page, "correction_algorithm_invocations"));
    c.processed_gigabytes = as_decimal(child(page, "gigabytes_processed"));
    c.total_uncorrected = as_u64(child(page, "total_uncorrected_errors"));
    return c;
}

ScsiHealth read_scsi(const json& root) {
    ScsiHealth scsi;
    scsi.grown_defects = as_u64(child(root, "scsi_grown_defect_list"));
    if (const json* log = child(root, "scsi_error_counter_log")) {
        if (const json* page = child(*log, "read")) {
            scsi.read = read_counters(*page);
        }
        if (const json* page = child(*log, "write")) {
            scsi.write = read_counters(*page);
        }
        if (const json* page = child(*log, "verify")) {
            scsi.verify = read_counters(*page);
        }
    }
    scsi.ie_asc = as_small<std::uint8_t>(path(root, {"smart_status", "scsi", "asc"}));
    scsi.ie_ascq = as_small<std::uint8_t>(path(root, {"smart_status", "scsi", "ascq"}));
    scsi.endurance_used_pct =
        as_small<std::uint8_t>(child(root, "scsi_percentage_used_endurance_indicator"));
    return scsi;
}

// --- the whole file ---------------------------------------------------------------------

bool has_device_data(const json& root) {
    for (const auto key : {"device", "model_name", "serial_number", "ata_smart_attributes",
                           "nvme_smart_health_information_log", "scsi_grown_defect_list",
                           "scsi_model_name", "smart_status"}) {
        if (child(root, key) != nullptr) {
            return true;
        }
    }
    return false;
}

// smart_status.passed, unless smartctl says it judged by attributes (SMART RETURN STATUS did
// not get through a RAID controller or an old drive): then the drive's own verdict is unknown.
void read_smart_status(const json& root, DiskRecord& record, SmartctlImport& out) {
    const bool attribute_check =
        record.smartctl &&
        std::any_of(record.smartctl->messages.begin(), record.smartctl->messages.end(),
                    [](const SmartctlMessage& m) {
                        return contains_text(m.text, "based on an Attribute check");
                    });
    if (attribute_check) {
        out.issues.push_back(
            {IssueLevel::info, "SMART RETURN STATUS", record.subject(),
             "not available: smartctl judged health by attributes instead (\"This result is "
             "based on an Attribute check\")",
             "a RAID controller or USB bridge may not pass the status through; the attributes "
             "are still judged"});
        return;
    }
    record.smart_status_passed = as_bool(path(root, {"smart_status", "passed"}));
}

DiskRecord read_disk(const json& root, const std::optional<SmartctlRun>& run,
                     std::string_view origin, SmartctlImport& out) {
    DiskRecord record;
    record.protocol = protocol_of(root);
    record.identity = read_identity(root, record.protocol);
    record.smartctl = run;
    record.origin = run && !run->version.empty()
                        ? fmt::format("smartctl {} JSON ({})", run->version, origin)
                        : fmt::format("smartctl JSON ({})", origin);
    read_smart_status(root, record, out);
    record.temperature_celsius = as_int(path(root, {"temperature", "current"}));
    read_limits(root, record);
    record.power_on_hours = as_u64(path(root, {"power_on_time", "hours"}));
    record.power_cycles = as_u64(child(root, "power_cycle_count"));
    switch (record.protocol) {
        case DiskProtocol::ata:
            record.endurance_used_pct = device_statistics_percentage_used(root);
            record.ata = read_ata(root, record);
            break;
        case DiskProtocol::nvme:
            record.nvme = read_nvme(root);
            break;
        case DiskProtocol::scsi:
            record.scsi = read_scsi(root);
            record.endurance_used_pct = record.scsi->endurance_used_pct;
            break;
    }
    return record;
}

std::string run_subject(const json& root, const std::optional<SmartctlRun>& run,
                        std::string_view origin) {
    if (auto device = as_string(path(root, {"device", "name"}))) {
        return *device;
    }
    // smartctl's last argument is the device.
    if (run && !run->argv.empty() && run->argv.back().starts_with("/dev/")) {
        return run->argv.back();
    }
    return std::string(origin);
}

void scan_output(const json& root, std::string_view origin, SmartctlImport& out) {
    std::vector<std::string> names;
    for_each_in(child(root, "devices"), [&](const json& device) {
        names.push_back(fmt::format("{} ({})", as_string(child(device, "name")).value_or("?"),
                                    as_string(child(device, "type")).value_or("?")));
    });
    out.issues.push_back({IssueLevel::info, "import", std::string(origin),
                          fmt::format("smartctl --scan output listing {} devices ({}); it holds "
                                      "no SMART data",
                                      names.size(), fmt::join(names, ", ")),
                          "run smartctl --json -x on each listed device"});
}

}  // namespace

SmartctlImport import_smartctl_json(std::string_view text, std::string_view origin) {
    SmartctlImport out;
    const json root = json::parse(text.begin(), text.end(), nullptr, false);
    if (root.is_discarded() || !root.is_object()) {
        out.issues.push_back({IssueLevel::error, "import", std::string(origin),
                              root.is_discarded() ? "not valid JSON" : "not a JSON object",
                              "give the output of smartctl --json (-j)"});
        return out;
    }
    if (const json* smartctl = child(root, "smartctl")) {
        out.run = read_run(*smartctl);
    } else {
        out.issues.push_back({IssueLevel::info, "import", std::string(origin),
                              "no \"smartctl\" object (a trimmed file?): smartctl's version, "
                              "messages and exit status are unknown",
                              ""});
    }
    const std::string subject = run_subject(root, out.run, origin);
    if (out.run) {
        run_issues(*out.run, subject, out);
    }
    if (!has_device_data(root)) {
        const bool explained =
            std::any_of(out.issues.begin(), out.issues.end(),
                        [](const Issue& i) { return i.level == IssueLevel::error; });
        if (child(root, "devices") != nullptr) {
            scan_output(root, origin, out);
        } else if (!explained) {
            out.issues.push_back({IssueLevel::error, "import", subject,
                                  "the smartctl output holds no device data", ""});
        }
        return out;
    }
    out.disk = read_disk(root, out.run, origin, out);
    return out;
}

}  // namespace diag::disk
