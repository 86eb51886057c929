#include "diag/disk/ata_pages.hpp"

#include "diag/disk/ata_device_statistics.hpp"
#include "diag/disk/ata_raw_value.hpp"

#include <utility>

namespace diag::disk {

namespace {

void add_problems(DiskRecord& record, const std::vector<std::string>& problems) {
    for (const auto& problem : problems) {
        record.issues.push_back(
            {IssueLevel::error, "decode", record.subject(), problem,
             "the values are shown but marked untrusted; read the page again, and suspect "
             "the drive's firmware or the bridge if it stays bad"});
    }
}

void read_identify(const AtaPages& pages, DiskRecord& record, AtaRecord& ata) {
    if (!pages.identify) {
        return;
    }
    auto decoded = decode_ata_identify(page_bytes(*pages.identify));
    auto& id = decoded.value;
    record.identity.model = id.model;
    record.identity.serial = id.serial;
    record.identity.firmware = id.firmware;
    record.identity.capacity_bytes = id.capacity_bytes;
    record.identity.rotation_rate_rpm = id.rotation_rate_rpm;
    record.identity.solid_state = id.solid_state;
    ata.quirks = ata_quirks_for(id.model, id.firmware);
    ata.identify = std::move(id);
    add_problems(record, decoded.problems);
}

void read_smart(const AtaPages& pages, DiskRecord& record, AtaRecord& ata) {
    if (!pages.smart_data) {
        return;
    }
    auto decoded = decode_ata_smart_data(page_bytes(*pages.smart_data));
    add_problems(record, decoded.problems);
    if (pages.thresholds) {
        auto thresholds = decode_ata_smart_thresholds(page_bytes(*pages.thresholds));
        add_problems(record, thresholds.problems);
        apply_thresholds(decoded.value, thresholds.value);
    }
    record.temperature_celsius = ata_temperature_celsius(decoded.value, ata.quirks);
    record.power_on_hours = ata_power_on_hours(decoded.value, ata.quirks);
    if (const AtaAttribute* cycles = decoded.value.find(12)) {
        record.power_cycles = cycles->raw48();
    }
    ata.smart = std::move(decoded.value);
}

void read_statistics(const AtaPages& pages, DiskRecord& record) {
    if (!pages.device_statistics) {
        return;
    }
    auto decoded = decode_ata_device_statistics(page_bytes(*pages.device_statistics));
    add_problems(record, decoded.problems);
    const auto& stats = decoded.value;
    record.endurance_used_pct = stats.endurance_used_pct;
    if (!record.temperature_celsius) {
        record.temperature_celsius = stats.temperature_celsius;
    }
    if (!record.power_on_hours) {
        record.power_on_hours = stats.power_on_hours;
    }
    if (!record.power_cycles) {
        record.power_cycles = stats.power_cycles;
    }
}

void read_logs(const AtaPages& pages, DiskRecord& record, AtaRecord& ata) {
    if (pages.self_test_log) {
        auto decoded = decode_ata_self_test_log(page_bytes(*pages.self_test_log));
        add_problems(record, decoded.problems);
        if (record.power_on_hours) {
            unwrap_self_test_hours(decoded.value.entries, *record.power_on_hours);
        }
        ata.self_test_log = std::move(decoded.value);
    }
    if (pages.error_log) {
        auto decoded = decode_ata_summary_error_log(page_bytes(*pages.error_log));
        add_problems(record, decoded.problems);
        ata.error_log = std::move(decoded.value);
    }
}

}  // namespace

std::optional<bool> decode_smart_return_status(std::uint8_t lba_mid, std::uint8_t lba_high) {
    if (lba_mid == 0x4F && lba_high == 0xC2) {
        return true;
    }
    if (lba_mid == 0xF4 && lba_high == 0x2C) {
        return false;
    }
    return std::nullopt;
}

DiskRecord build_ata_record(const AtaPages& pages, std::string device) {
    DiskRecord record;
    record.protocol = DiskProtocol::ata;
    record.identity.device = std::move(device);
    record.origin = "raw ATA pages";
    AtaRecord ata;
    read_identify(pages, record, ata);
    read_smart(pages, record, ata);
    read_statistics(pages, record);
    read_logs(pages, record, ata);
    record.ata = std::move(ata);
    record.smart_status_passed = pages.return_status_passed;
    return record;
}

}  // namespace diag::disk
