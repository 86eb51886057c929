// Fuzzes decode_ata_identify (IDENTIFY DEVICE, ACS-3 7.12.7). Invariants: a short block is a
// problem; strings are clean and no longer than their words; capacity is sectors times the
// logical sector size; solid_state and a rotation rate never both claim the medium.

#include "fuzz_disk.hpp"

#include <diag/disk/ata_identify.hpp>

using diag::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto decoded = diag::disk::decode_ata_identify(diag::fuzz::as_page(data, size));
    const auto& id = decoded.value;
    require(size >= 512 || !decoded.problems.empty(), "a short block is a problem");
    require(diag::fuzz::is_clean_field(id.model, 40), "model fits words 27-46");
    require(diag::fuzz::is_clean_field(id.serial, 20), "serial fits words 10-19");
    require(diag::fuzz::is_clean_field(id.firmware, 8), "firmware fits words 23-26");
    if (id.sectors && id.capacity_bytes) {
        require(*id.capacity_bytes == *id.sectors * id.logical_sector_bytes,
                "capacity is sectors times sector size");
    }
    require(!(id.solid_state.value_or(false) && id.rotation_rate_rpm.has_value()),
            "an SSD has no rotation rate");
    return 0;
}
