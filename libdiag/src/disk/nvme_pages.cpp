#include "diag/disk/nvme_pages.hpp"

#include <utility>

namespace diag::disk {

namespace {

constexpr int kKelvinOffset = 273;

void add_problems(DiskRecord& record, const std::vector<std::string>& problems) {
    for (const auto& problem : problems) {
        record.issues.push_back({IssueLevel::error, "decode", record.subject(), problem, ""});
    }
}

void read_identify(const NvmePages& pages, DiskRecord& record, NvmeRecord& nvme) {
    if (!pages.identify) {
        return;
    }
    auto decoded = decode_nvme_identify(page_bytes(*pages.identify));
    const auto& id = decoded.value;
    record.identity.model = id.model;
    record.identity.serial = id.serial;
    record.identity.firmware = id.firmware;
    record.identity.solid_state = true;
    if (id.total_capacity_bytes) {
        record.identity.capacity_bytes = id.total_capacity_bytes->to_u64();
    }
    if (id.warning_temperature_kelvin) {
        record.temperature_limits.warning_celsius =
            static_cast<int>(*id.warning_temperature_kelvin) - kKelvinOffset;
    }
    if (id.critical_temperature_kelvin) {
        record.temperature_limits.critical_celsius =
            static_cast<int>(*id.critical_temperature_kelvin) - kKelvinOffset;
    }
    if (id.warning_temperature_kelvin || id.critical_temperature_kelvin) {
        record.temperature_limits.source = "NVMe Identify Controller WCTEMP/CCTEMP";
    }
    nvme.identify = std::move(decoded.value);
    add_problems(record, decoded.problems);
}

void read_health(const NvmePages& pages, DiskRecord& record, NvmeRecord& nvme) {
    if (!pages.health) {
        return;
    }
    auto decoded = decode_nvme_health(page_bytes(*pages.health));
    const auto& h = decoded.value;
    record.temperature_celsius = h.temperature_celsius;
    if (h.power_on_hours) {
        record.power_on_hours = h.power_on_hours->to_u64();
    }
    if (h.power_cycles) {
        record.power_cycles = h.power_cycles->to_u64();
    }
    nvme.health = std::move(decoded.value);
    add_problems(record, decoded.problems);
}

}  // namespace

DiskRecord build_nvme_record(const NvmePages& pages, std::string device) {
    DiskRecord record;
    record.protocol = DiskProtocol::nvme;
    record.identity.device = std::move(device);
    record.identity.transport = "nvme";
    record.origin = "raw NVMe pages";
    NvmeRecord nvme;
    read_identify(pages, record, nvme);
    read_health(pages, record, nvme);
    if (pages.self_test_log) {
        auto decoded = decode_nvme_self_test_log(page_bytes(*pages.self_test_log));
        nvme.self_test_log = std::move(decoded.value);
        add_problems(record, decoded.problems);
    }
    if (pages.error_log) {
        auto decoded = decode_nvme_error_log(page_bytes(*pages.error_log));
        nvme.errors = std::move(decoded.value);
        add_problems(record, decoded.problems);
    }
    record.nvme = std::move(nvme);
    return record;
}

}  // namespace diag::disk
