#pragma once

#include <diag/disk/decoded.hpp>
#include <diag/disk/page_bytes.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace diag::disk {

/// What an ATA error register says went wrong, coarsely: the link or the medium.
enum class AtaErrorKind : std::uint8_t {
    /// ICRC (bit 7): a CRC error on the interface transfer: cable, backplane, connector.
    interface_crc,
    /// UNC (bit 6) or IDNF (bit 4): data could not be read, or the sector not found.
    media,
    /// ABRT (bit 2) alone: the drive refused the command.
    aborted,
    other,
};

/// "interface_crc", "media", "aborted", "other".
std::string_view to_string(AtaErrorKind kind);

/// Classifies an error register (ACS-3, 6.3 "ERROR field": bit 7 ICRC, 6 UNC, 4 IDNF,
/// 2 ABRT). ICRC wins over the others: an aborted transfer with a CRC error is a link fault.
AtaErrorKind classify_ata_error(std::uint8_t error_register);

/// One error data structure of the summary error log (ACS-3 Table 134, 30 bytes after five
/// 12-byte command structures): the registers when the error happened and the power-on hours.
struct AtaErrorEntry {
    /// The drive's running number for this error, where known (smartctl prints it).
    std::optional<std::uint32_t> error_number;
    std::uint8_t error_register = 0;
    std::uint8_t status_register = 0;
    std::uint8_t count = 0;
    /// 28-bit LBA from LBA low/mid/high and device bits 3:0.
    std::uint32_t lba = 0;
    /// Device state: 0 unknown, 1 sleep, 2 standby, 3 active or idle, 4 offline or self-test.
    std::uint8_t state = 0;
    /// Life timestamp in hours, 16 bits as logged.
    std::uint16_t hours_logged = 0;
    /// smartctl's description, such as "Error: ICRC, ABRT at LBA = 0x07ffaa67", when imported.
    std::optional<std::string> description;

    [[nodiscard]] AtaErrorKind kind() const { return classify_ata_error(error_register); }
};

/// The ATA error log: how many errors the drive counted and the last few it kept, newest first.
struct AtaErrorLog {
    /// Errors counted over the drive's life (bytes 452-453 of the summary log).
    std::uint32_t error_count = 0;
    std::vector<AtaErrorEntry> entries;
    bool checksum_valid = true;
};

/// Decodes the SMART summary error log (SMART READ LOG address 01h, ACS-3 Table 134):
/// byte 1 the index (1-5) of the newest of five 90-byte error log data structures from
/// offset 2, bytes 452-453 the device error count, byte 511 the checksum. Empty structures
/// are left out; a bad checksum keeps the entries, with a problem.
Decoded<AtaErrorLog> decode_ata_summary_error_log(PageBytes page);

}  // namespace diag::disk
