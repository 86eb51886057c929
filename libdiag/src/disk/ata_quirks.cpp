#include "diag/disk/ata_quirks.hpp"

#include <algorithm>
#include <optional>
#include <regex>
#include <string>
#include <utility>

namespace diag::disk {

namespace {

struct QuirkEntry {
    /// Must match the whole model; an absent firmware pattern matches any firmware.
    std::regex model;
    std::optional<std::regex> firmware;
    AtaQuirks quirks;
};

QuirkEntry entry(const char* model, const char* firmware, AtaQuirks quirks) {
    return {std::regex(model),
            *firmware == '\0' ? std::nullopt : std::optional<std::regex>(std::regex(firmware)),
            std::move(quirks)};
}

// Compiled once; the patterns are diag's own, written for the models named in each source.
const std::vector<QuirkEntry>& quirk_table() {
    static const std::vector<QuirkEntry> kTable{
        entry("FUJITSU MHY2[0-9]{2}0BH", "0085000B",
              {PowerOnUnit::minutes,
               {197, 198},
               {},
               false,
               "libatasmart's quirk list for FUJITSU MHY2xx0BH firmware 0085000B (9 in "
               "minutes, 197 and 198 not plain counts); their raw bytes hold a small count "
               "in bytes 0-1 and unrelated data above it"}),
        entry("Maxtor 96147H8", "",
              {PowerOnUnit::minutes,
               {},
               {},
               false,
               "smartmontools drivedb.h (Maxtor DiamondMax 60 ATA 100: 9 counts power-on "
               "minutes) and libatasmart's quirk list"}),
        entry("TOSHIBA MK(80|12|16|25|32)51GSY", "",
              {PowerOnUnit::minutes,
               {},
               {},
               false,
               "smartmontools drivedb.h (Toshiba 2.5-inch MK..51GSY: 9 counts power-on "
               "minutes)"}),
        entry("SAMSUNG MP0(302|402|603|804)H", "",
              {PowerOnUnit::half_minutes,
               {},
               {},
               false,
               "smartmontools drivedb.h (Samsung SpinPoint M: 9 counts power-on half "
               "minutes)"}),
        entry("SAMSUNG (HD080GJ|HD160HJ|HD252KJ|HD32[01]KJ|HD403LJ|HD50[01]LJ)", "",
              {PowerOnUnit::hours,
               {},
               {},
               true,
               "smartmontools drivedb.h (Samsung SpinPoint T166: 197 only increases, a "
               "lifetime total of pending sectors)"}),
        entry("MCCOE64GEMPP", "",
              {PowerOnUnit::hours,
               {},
               {5, 190},
               false,
               "libatasmart's quirk list (MCCOE64GEMPP: 5 and 190 in an unknown format)"}),
    };
    return kTable;
}

bool contains(const std::vector<std::uint8_t>& ids, std::uint8_t id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

}  // namespace

bool AtaQuirks::packed(std::uint8_t id) const {
    return contains(packed_count_ids, id);
}

bool AtaQuirks::unknown_raw(std::uint8_t id) const {
    return contains(unknown_raw_ids, id);
}

AtaQuirks ata_quirks_for(std::string_view model, std::string_view firmware) {
    const std::string model_text(model);
    const std::string firmware_text(firmware);
    for (const auto& candidate : quirk_table()) {
        if (std::regex_match(model_text, candidate.model) &&
            (!candidate.firmware || std::regex_match(firmware_text, *candidate.firmware))) {
            return candidate.quirks;
        }
    }
    return {};
}

}  // namespace diag::disk
