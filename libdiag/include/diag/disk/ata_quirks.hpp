#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace diag::disk {

/// The unit a drive counts attribute 9 (power-on time) in.
enum class PowerOnUnit : std::uint8_t { hours, minutes, half_minutes, seconds };

/// How one drive model departs from the usual reading of its attributes. Each quirk names
/// where it comes from; the table covers the models seen in diag's test data.
struct AtaQuirks {
    /// Attribute 9's unit; hours unless a quirk says otherwise (drivedb.h DEFAULT entry).
    PowerOnUnit power_on_unit = PowerOnUnit::hours;
    /// Attributes whose raw count sits in bytes 0-1 while bytes 2-5 hold other vendor data.
    std::vector<std::uint8_t> packed_count_ids;
    /// Attributes whose raw value has no known meaning on this model: no count is read.
    std::vector<std::uint8_t> unknown_raw_ids;
    /// Attribute 197 counts every sector ever pending, not those pending now.
    bool pending_is_lifetime_total = false;
    /// Where these quirks come from; empty when none apply.
    std::string_view source;

    [[nodiscard]] bool packed(std::uint8_t id) const;
    [[nodiscard]] bool unknown_raw(std::uint8_t id) const;
};

/// The quirks for a model and firmware as IDENTIFY DEVICE reports them; the default reading
/// when the model is not in the table.
AtaQuirks ata_quirks_for(std::string_view model, std::string_view firmware);

}  // namespace diag::disk
