#pragma once

#include <diag/disk/ata_pages.hpp>
#include <diag/disk/decoded.hpp>
#include <diag/disk/page_bytes.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace diag::disk {

/// One section of a libatasmart blob.
struct SkBlobSection {
    /// Four ASCII characters: "IDFY", "SMST", "SMDT", "SMTH".
    std::string tag;
    std::vector<std::uint8_t> payload;
};

/// Splits a libatasmart blob (`skdump --save`, libatasmart's sk_disk_get_blob) into its
/// sections: a 4-byte tag, a 32-bit big-endian length, then that many payload bytes. A
/// section whose length runs past the end is dropped, with a problem.
Decoded<std::vector<SkBlobSection>> parse_skblob(PageBytes blob);

/// The ATA pages a blob holds: IDFY is IDENTIFY DEVICE, SMDT SMART READ DATA, SMTH READ
/// THRESHOLDS, and SMST a 32-bit big-endian SMART RETURN STATUS (1 good, 0 threshold
/// exceeded). Unknown tags are problems and otherwise ignored.
Decoded<AtaPages> ata_pages_from_skblob(PageBytes blob);

}  // namespace diag::disk
