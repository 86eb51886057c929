#include "diag/disk/ata_raw_value.hpp"

#include <utility>

namespace diag::disk {

namespace {

constexpr int kMinPlausibleCelsius = -60;
constexpr int kMaxPlausibleCelsius = 125;

int signed_byte(std::uint8_t byte) {
    return byte >= 0x80 ? static_cast<int>(byte) - 0x100 : static_cast<int>(byte);
}

// Drives keep min and max in different bytes: Hitachi/HGST in bytes 2 and 4, Seagate,
// Samsung, Toshiba and Maxtor in bytes 2 and 3. A pair is taken when both are plausible
// temperatures that bracket the current one and are not both zero.
void read_min_max(const AtaAttribute& attribute, int now, RawReading& reading) {
    for (const auto& [low_index, high_index] : {std::pair{2, 3}, std::pair{2, 4}}) {
        int low = signed_byte(attribute.raw[static_cast<std::size_t>(low_index)]);
        int high = signed_byte(attribute.raw[static_cast<std::size_t>(high_index)]);
        if (low > high) {
            std::swap(low, high);
        }
        const bool plausible = low >= kMinPlausibleCelsius && high <= kMaxPlausibleCelsius &&
                               low <= now && now <= high && !(low == 0 && high == 0);
        if (plausible) {
            reading.min_celsius = low;
            reading.max_celsius = high;
            return;
        }
    }
}

RawRule rule_for(std::uint8_t id, const AtaQuirks& quirks) {
    if (quirks.unknown_raw(id)) {
        return RawRule::unknown;
    }
    if (quirks.packed(id)) {
        return RawRule::low16;
    }
    switch (id) {
        case 5:
        case 187:
        case 188:
        case 196:
            return RawRule::low16;
        case 1:
        case 7:
        case 195:
            return RawRule::vendor_rate;
        case 9:
            return RawRule::power_on_time;
        case 190:
        case 194:
            return RawRule::temperature;
        default:
            return RawRule::raw48;
    }
}

}  // namespace

std::string_view to_string(RawRule rule) {
    switch (rule) {
        case RawRule::raw48:
            return "raw48";
        case RawRule::low16:
            return "low16";
        case RawRule::temperature:
            return "temperature";
        case RawRule::power_on_time:
            return "power_on_time";
        case RawRule::vendor_rate:
            return "vendor_rate";
        case RawRule::unknown:
            break;
    }
    return "unknown";
}

RawReading read_raw(const AtaAttribute& attribute, const AtaQuirks& quirks) {
    RawReading reading;
    reading.rule = rule_for(attribute.id, quirks);
    switch (reading.rule) {
        case RawRule::raw48:
            reading.count = attribute.raw48();
            break;
        case RawRule::low16:
            reading.count = attribute.raw_word(0);
            reading.packed = attribute.raw_word(1) != 0 || attribute.raw_word(2) != 0;
            break;
        case RawRule::temperature:
            reading.celsius = signed_byte(attribute.raw[0]);
            read_min_max(attribute, signed_byte(attribute.raw[0]), reading);
            break;
        case RawRule::power_on_time:
        case RawRule::vendor_rate:
        case RawRule::unknown:
            break;
    }
    return reading;
}

std::optional<std::uint64_t> ata_power_on_hours(const AtaSmartData& data, const AtaQuirks& quirks) {
    const AtaAttribute* attribute = data.find(9);
    if (attribute == nullptr || quirks.unknown_raw(9)) {
        return std::nullopt;
    }
    const std::uint64_t raw = attribute->raw48();
    switch (quirks.power_on_unit) {
        case PowerOnUnit::hours:
            // drivedb.h DEFAULT: raw24(raw8), hours in bytes 0-2.
            return raw & 0xFFFFFFU;
        case PowerOnUnit::minutes:
            return (raw & 0xFFFFFFFFU) / 60U;
        case PowerOnUnit::half_minutes:
            return raw / 120U;
        case PowerOnUnit::seconds:
            return raw / 3600U;
    }
    return std::nullopt;
}

std::optional<int> ata_temperature_celsius(const AtaSmartData& data, const AtaQuirks& quirks) {
    for (const std::uint8_t id : {std::uint8_t{194}, std::uint8_t{190}}) {
        const AtaAttribute* attribute = data.find(id);
        if (attribute == nullptr) {
            continue;
        }
        const auto reading = read_raw(*attribute, quirks);
        if (reading.celsius && *reading.celsius > 0 && *reading.celsius <= kMaxPlausibleCelsius) {
            return reading.celsius;
        }
    }
    return std::nullopt;
}

}  // namespace diag::disk
