#pragma once

#include <diag/disk/decoded.hpp>
#include <diag/disk/nvme_health.hpp>
#include <diag/disk/page_bytes.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace diag::disk {

/// What Identify Controller (CNS 01h, 4096 bytes) says, the fields diag uses. NVMe Base
/// Specification 2.0, Figure 275.
struct NvmeIdentify {
    /// Bytes 0-1 and 2-3: PCI vendor and subsystem vendor id.
    std::uint16_t vendor_id = 0;
    std::uint16_t subsystem_vendor_id = 0;
    /// Bytes 4-23, 24-63, 64-71: ASCII, space padded.
    std::string serial;
    std::string model;
    std::string firmware;
    /// Byte 256-257 (OACS) bit 4: the Device Self-test command is supported.
    bool self_test_supported = false;
    /// Byte 262 (ELPE): error log entries kept, minus one.
    std::uint8_t error_log_entries_minus_one = 0;
    /// Bytes 266-267 WCTEMP and 268-269 CCTEMP, kelvins; absent when 0 (not reported).
    std::optional<std::uint16_t> warning_temperature_kelvin;
    std::optional<std::uint16_t> critical_temperature_kelvin;
    /// Bytes 280-295: Total NVM Capacity in bytes; absent when 0 (not reported).
    std::optional<Counter128> total_capacity_bytes;
    /// Bytes 516-519: Number of Namespaces.
    std::uint32_t namespace_count = 0;
};

/// Decodes Identify Controller; a short page gives the fields that fit, plus a problem.
Decoded<NvmeIdentify> decode_nvme_identify(PageBytes page);

}  // namespace diag::disk
