#pragma once

#include <diag/disk/decoded.hpp>
#include <diag/disk/page_bytes.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace diag::disk {

/// A 128-bit little-endian counter of the NVMe SMART / Health log.
struct Counter128 {
    std::uint64_t low = 0;
    std::uint64_t high = 0;

    /// The value when it fits 64 bits; absent otherwise.
    [[nodiscard]] std::optional<std::uint64_t> to_u64() const;
    /// The value as a double (exact to 2^53, rounded above).
    [[nodiscard]] double to_double() const;
};

/// One bit of the Critical Warning byte.
struct NvmeCriticalWarning {
    unsigned bit = 0;
    /// Short snake_case name used in evidence: "available_spare_low".
    std::string_view name;
    /// What the bit means, for a person.
    std::string_view meaning;
};

/// The bits set in a Critical Warning byte, lowest first. NVMe Base Specification 2.0,
/// Figure 207 (5.16.1.3 "SMART / Health Information"): bit 0 available spare below its
/// threshold, 1 temperature above an over-temperature or below an under-temperature
/// threshold, 2 NVM subsystem reliability degraded by media or internal errors, 3 media
/// placed in read-only mode, 4 volatile memory backup device failed, 5 persistent memory
/// region read-only or unreliable. Bits 6-7 are reserved and reported as such.
std::vector<NvmeCriticalWarning> nvme_critical_warnings(std::uint8_t critical_warning);

/// The SMART / Health Information log (Log Identifier 02h, 512 bytes), NVMe Base
/// Specification 2.0, 5.16.1.3. Every field is optional so that an import from an older
/// smartctl that lacks one leaves it absent; a decoded page fills them all.
struct NvmeHealth {
    /// Byte 0.
    std::optional<std::uint8_t> critical_warning;
    /// Bytes 1-2, Composite Temperature in kelvins; and in Celsius (kelvins - 273, as
    /// nvme-cli and smartctl print it). Absent when 0 (not reported).
    std::optional<std::uint16_t> temperature_kelvin;
    std::optional<int> temperature_celsius;
    /// Bytes 3, 4, 5: Available Spare and its threshold in percent, Percentage Used (may
    /// exceed 100).
    std::optional<std::uint8_t> available_spare_pct;
    std::optional<std::uint8_t> available_spare_threshold_pct;
    std::optional<std::uint8_t> percentage_used_pct;
    /// Bytes 32-191, ten 128-bit counters. Data units are thousands of 512-byte units.
    std::optional<Counter128> data_units_read;
    std::optional<Counter128> data_units_written;
    std::optional<Counter128> host_read_commands;
    std::optional<Counter128> host_write_commands;
    std::optional<Counter128> controller_busy_minutes;
    std::optional<Counter128> power_cycles;
    std::optional<Counter128> power_on_hours;
    std::optional<Counter128> unsafe_shutdowns;
    /// Media and Data Integrity Errors: unrecovered data integrity errors.
    std::optional<Counter128> media_errors;
    /// Number of Error Information Log Entries over the controller's life.
    std::optional<Counter128> error_log_entries;
    /// Bytes 192-195 and 196-199: minutes above the Warning and the Critical Composite
    /// Temperature Threshold.
    std::optional<std::uint32_t> warning_temperature_minutes;
    std::optional<std::uint32_t> critical_temperature_minutes;
    /// Bytes 200-215: Temperature Sensors 1-8 in Celsius, only those reported (non-zero).
    std::vector<int> sensor_celsius;
};

/// Bytes a data-units counter stands for: units times 1000 times 512 (5.16.1.3), as a double.
double nvme_data_units_bytes(const Counter128& units);

/// Decodes the 512-byte log. A short page gives the fields that fit, plus a problem. The log
/// has no checksum.
Decoded<NvmeHealth> decode_nvme_health(PageBytes page);

}  // namespace diag::disk
