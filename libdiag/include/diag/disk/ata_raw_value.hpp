#pragma once

#include <diag/disk/ata_quirks.hpp>
#include <diag/disk/ata_smart_data.hpp>

#include <cstdint>
#include <optional>
#include <string_view>

namespace diag::disk {

/// How diag reads the raw bytes of one attribute.
enum class RawRule : std::uint8_t {
    /// The six bytes as one number (smartctl's raw48; drivedb.h DEFAULT for most ids).
    raw48,
    /// A count in bytes 0-1; bytes 2-5 carry other vendor data and are ignored.
    low16,
    /// Byte 0 is the temperature in Celsius (signed); other bytes may hold min and max.
    temperature,
    /// Power-on time in the model's unit (see AtaQuirks).
    power_on_time,
    /// A vendor-scaled rate (1, 7, 195): never read as an error count.
    vendor_rate,
    /// The model's format is not known (a quirk): no value is read.
    unknown,
};

/// "raw48", "low16", "temperature", "power_on_time", "vendor_rate", "unknown".
std::string_view to_string(RawRule rule);

/// What the raw bytes of one attribute mean.
struct RawReading {
    RawRule rule = RawRule::raw48;
    /// The count for event and error counters (5, 187, 188, 196-199 and the other raw48
    /// ids); absent for temperatures, rates and unknown formats.
    std::optional<std::uint64_t> count;
    /// True when bytes 2-5 were non-zero and left out of the count.
    bool packed = false;
    std::optional<int> celsius;
    std::optional<int> min_celsius;
    std::optional<int> max_celsius;
};

/// Reads one attribute's raw bytes. The rules, and where each comes from:
///  - 5 and 196: low16. smartmontools drivedb.h DEFAULT prints both as raw16(raw16).
///  - 187 and 188: low16. Seagate keeps three 16-bit counters in 188 (0x000C000C000C is 12
///    timeouts; smartmontools issues #184 and #198, drivedb.h "-v 188,raw16" for Seagate
///    families); the same packing shows in 187 on Samsung SpinPoint T166 (0x000000010000 with
///    the normalized value never moved).
///  - 197 and 198: raw48 (drivedb.h DEFAULT), low16 where a quirk says the model packs them.
///  - 1, 7, 195: vendor_rate. Seagate packs an operation count with the errors, so the raw
///    number is not an error count; other vendors scale them their own way.
///  - 190, 194: temperature, byte 0 signed; min and max where bytes 2-4 hold a plausible pair.
///  - 9: power_on_time, bytes 0-2 as hours unless a quirk names another unit.
///  - every other id: raw48.
RawReading read_raw(const AtaAttribute& attribute, const AtaQuirks& quirks);

/// Power-on hours from attribute 9 in the model's unit; absent without attribute 9 or when
/// its format is unknown.
std::optional<std::uint64_t> ata_power_on_hours(const AtaSmartData& data, const AtaQuirks& quirks);

/// The drive temperature from attribute 194, else 190, in Celsius. A reading of 0 or below,
/// or above 125, is taken as "not reported" (drives that do not measure report 0).
std::optional<int> ata_temperature_celsius(const AtaSmartData& data, const AtaQuirks& quirks);

}  // namespace diag::disk
