#pragma once

#include <diag/disk/decoded.hpp>
#include <diag/disk/page_bytes.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace diag::disk {

/// What IDENTIFY DEVICE (ECh) says about an ATA drive. Word numbers are those of ACS-3
/// (T13/2161-D), 7.12.7 "IDENTIFY DEVICE data"; older drives fill a subset and leave the rest
/// absent.
struct AtaIdentify {
    /// Words 27-46, 10-19 and 23-26, ATA strings with their padding removed.
    std::string model;
    std::string serial;
    std::string firmware;
    /// User addressable logical sectors: words 100-103 when the 48-bit feature set is
    /// supported and they are non-zero, else words 60-61.
    std::optional<std::uint64_t> sectors;
    /// Word 106 bit 12 with words 117-118, else 512.
    std::uint32_t logical_sector_bytes = 512;
    /// sectors times logical_sector_bytes.
    std::optional<std::uint64_t> capacity_bytes;
    /// Word 217: 0401h-FFFEh is the nominal rotation rate; absent when the drive does not
    /// report one (0) or reports a non-rotating medium (1).
    std::optional<std::uint16_t> rotation_rate_rpm;
    /// Word 217 = 1: non-rotating medium (an SSD); false for a reported rate; absent when
    /// word 217 is 0 (older drives).
    std::optional<bool> solid_state;
    /// Word 82 bit 0 and word 85 bit 0 (SMART feature set supported / enabled).
    bool smart_supported = false;
    bool smart_enabled = false;
    /// Word 84 bit 0 and 1: SMART error logging and self-test supported.
    bool smart_error_log_supported = false;
    bool smart_self_test_supported = false;
    /// Word 84 bit 5 (or word 87 bit 5): General Purpose Logging (READ LOG EXT) supported.
    bool gp_logging_supported = false;
    /// Word 83 bit 10: the 48-bit Address feature set.
    bool lba48_supported = false;
    /// Word 80 as read (smartctl shows it as ata_version.major_value); absent when 0 or FFFFh.
    std::optional<std::uint16_t> major_version_word;
    /// The highest bit set in word 80: 6 ATA/ATAPI-6, 7 ATA/ATAPI-7, 8 ATA8-ACS, 9 ACS-2,
    /// 10 ACS-3, 11 ACS-4, 12 ACS-5.
    std::optional<unsigned> major_version;
    /// Word 255: true or false when its low byte is the A5h signature; absent otherwise (the
    /// drive keeps no integrity word).
    std::optional<bool> checksum_valid;
};

/// Decodes a 512-byte IDENTIFY DEVICE block. A short block gives what its words hold, plus a
/// problem; a failing integrity word gives all values, plus a problem.
Decoded<AtaIdentify> decode_ata_identify(PageBytes page);

/// "ATA8-ACS", "ACS-3", "ATA/ATAPI-7" for a major version number from word 80.
std::string ata_major_version_name(unsigned major_version);

}  // namespace diag::disk
