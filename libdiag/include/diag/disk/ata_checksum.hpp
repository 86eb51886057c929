#pragma once

#include <diag/disk/page_bytes.hpp>

#include <string>

namespace diag::disk {

/// True when a 512-byte ATA data structure sums to 0 mod 256, its last byte being the
/// checksum. Used by SMART READ DATA, READ THRESHOLDS and the SMART logs (ACS-3, 7.44.6
/// "Data structure checksum"; SFF-8035i for the threshold page). False for any other size.
bool ata_checksum_valid(PageBytes page);

/// "checksum byte 0x3a does not make the 512 bytes sum to 0 mod 256 (sum 0x11)": the problem
/// text for a page that fails ata_checksum_valid.
std::string describe_ata_checksum_failure(PageBytes page);

}  // namespace diag::disk
