#pragma once

#include <diag/disk/decoded.hpp>
#include <diag/disk/page_bytes.hpp>

#include <cstdint>
#include <optional>

namespace diag::disk {

/// The values diag reads from the ATA Device Statistics log (log address 04h, ACS-3 9.10).
/// Each statistic is a 64-bit word whose bit 63 says it is supported and bit 62 that its
/// value is valid; a statistic without both is absent.
struct AtaDeviceStatistics {
    /// Page 01h (General Statistics), offset 8: lifetime power-on resets.
    std::optional<std::uint64_t> power_cycles;
    /// Page 01h, offset 16: power-on hours.
    std::optional<std::uint64_t> power_on_hours;
    /// Page 05h (Temperature Statistics), offset 8: current temperature, signed Celsius.
    std::optional<int> temperature_celsius;
    /// Page 07h (Solid State Device Statistics), offset 8: Percentage Used Endurance
    /// Indicator (ACS-3 9.10.9.2), may exceed 100.
    std::optional<std::uint8_t> endurance_used_pct;
};

/// Decodes consecutive 512-byte pages of the log (as SMART READ LOG 04h returns pages 0 to
/// N-1). Each page says its own number in byte 2; page 0, the list of supported pages, and
/// pages diag does not use are skipped. A trailing partial page is a problem.
Decoded<AtaDeviceStatistics> decode_ata_device_statistics(PageBytes log);

}  // namespace diag::disk
