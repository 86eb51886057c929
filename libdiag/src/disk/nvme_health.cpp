#include "diag/disk/nvme_health.hpp"

#include "disk/page_reader.hpp"

#include <array>

#include <fmt/format.h>

namespace diag::disk {

namespace {

constexpr std::size_t kPageBytes = 512;
constexpr int kKelvinOffset = 273;
constexpr std::size_t kSensors = 8;

struct WarningBit {
    std::string_view name;
    std::string_view meaning;
};

constexpr std::array<WarningBit, 8> kWarningBits{{
    {"available_spare_low", "available spare capacity fell below its threshold"},
    {"temperature",
     "temperature is above an over-temperature or below an under-temperature "
     "threshold"},
    {"reliability_degraded", "NVM subsystem reliability degraded by media or internal errors"},
    {"read_only", "media placed in read-only mode"},
    {"volatile_backup_failed", "volatile memory backup device failed"},
    {"persistent_memory_unreliable", "persistent memory region is read-only or unreliable"},
    {"reserved_bit_6", "reserved bit 6 set"},
    {"reserved_bit_7", "reserved bit 7 set"},
}};

std::optional<Counter128> counter(PageBytes page, std::size_t offset) {
    if (offset + 16 > page.size()) {
        return std::nullopt;
    }
    return Counter128{detail::le64(page, offset), detail::le64(page, offset + 8)};
}

template <class T>
std::optional<T> field(PageBytes page, std::size_t offset) {
    if (offset + sizeof(T) > page.size()) {
        return std::nullopt;
    }
    return static_cast<T>(detail::read_le(page, offset, sizeof(T)));
}

void read_temperatures(PageBytes page, NvmeHealth& health) {
    const auto kelvin = field<std::uint16_t>(page, 1);
    if (kelvin && *kelvin != 0) {
        health.temperature_kelvin = kelvin;
        health.temperature_celsius = static_cast<int>(*kelvin) - kKelvinOffset;
    }
    health.warning_temperature_minutes = field<std::uint32_t>(page, 192);
    health.critical_temperature_minutes = field<std::uint32_t>(page, 196);
    for (std::size_t i = 0; i < kSensors; ++i) {
        const auto sensor = field<std::uint16_t>(page, 200 + i * 2);
        if (sensor && *sensor != 0) {
            health.sensor_celsius.push_back(static_cast<int>(*sensor) - kKelvinOffset);
        }
    }
}

}  // namespace

std::optional<std::uint64_t> Counter128::to_u64() const {
    if (high != 0) {
        return std::nullopt;
    }
    return low;
}

double Counter128::to_double() const {
    constexpr double kTwoTo64 = 18446744073709551616.0;
    return static_cast<double>(high) * kTwoTo64 + static_cast<double>(low);
}

std::vector<NvmeCriticalWarning> nvme_critical_warnings(std::uint8_t critical_warning) {
    std::vector<NvmeCriticalWarning> set;
    for (unsigned bit = 0; bit < kWarningBits.size(); ++bit) {
        if (((static_cast<unsigned>(critical_warning) >> bit) & 1U) != 0) {
            set.push_back({bit, kWarningBits[bit].name, kWarningBits[bit].meaning});
        }
    }
    return set;
}

double nvme_data_units_bytes(const Counter128& units) {
    constexpr double kUnitBytes = 1000.0 * 512.0;
    return units.to_double() * kUnitBytes;
}

Decoded<NvmeHealth> decode_nvme_health(PageBytes page) {
    Decoded<NvmeHealth> out;
    auto& h = out.value;
    if (page.size() < kPageBytes) {
        out.add_problem(
            fmt::format("NVMe SMART / Health log: {} bytes, expected {}; fields "
                        "past the end are absent",
                        page.size(), kPageBytes));
    }
    h.critical_warning = field<std::uint8_t>(page, 0);
    h.available_spare_pct = field<std::uint8_t>(page, 3);
    h.available_spare_threshold_pct = field<std::uint8_t>(page, 4);
    h.percentage_used_pct = field<std::uint8_t>(page, 5);
    h.data_units_read = counter(page, 32);
    h.data_units_written = counter(page, 48);
    h.host_read_commands = counter(page, 64);
    h.host_write_commands = counter(page, 80);
    h.controller_busy_minutes = counter(page, 96);
    h.power_cycles = counter(page, 112);
    h.power_on_hours = counter(page, 128);
    h.unsafe_shutdowns = counter(page, 144);
    h.media_errors = counter(page, 160);
    h.error_log_entries = counter(page, 176);
    read_temperatures(page, h);
    return out;
}

}  // namespace diag::disk
