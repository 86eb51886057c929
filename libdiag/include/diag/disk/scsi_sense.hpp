#pragma once

#include <diag/disk/ata_command.hpp>
#include <diag/disk/page_bytes.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace diag::disk {

/// Sense data a SCSI command ended with (SPC-5 4.4), fixed (70h/71h) or descriptor (72h/73h)
/// format.
struct ScsiSense {
    std::uint8_t response_code = 0;
    std::uint8_t key = 0;
    std::uint8_t asc = 0;
    std::uint8_t ascq = 0;
    /// The ATA registers, when the sense carries them: the ATA Status Return descriptor (09h,
    /// SAT-3 12.2.2.6) in descriptor format, or fixed format with ASC/ASCQ 00h/1Dh "ATA
    /// PASS THROUGH INFORMATION AVAILABLE" (SAT-3 12.2.2.7).
    std::optional<AtaOutput> ata;
};

/// Decodes sense bytes; nullopt when they are empty or of an unknown response code.
std::optional<ScsiSense> decode_sense(PageBytes sense);

/// "sense key 5 (ILLEGAL REQUEST), ASC/ASCQ 20h/00h".
std::string describe(const ScsiSense& sense);

/// True when the sense only reports what ATA PASS-THROUGH with CK_COND asked for: RECOVERED
/// ERROR (or NO SENSE) with ASC/ASCQ 00h/1Dh.
bool is_ata_information_only(const ScsiSense& sense);

}  // namespace diag::disk
