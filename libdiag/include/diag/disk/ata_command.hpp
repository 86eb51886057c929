#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace diag::disk {

/// The ATA registers a command is sent with (28-bit commands; ACS-3 clause 7 names them).
struct AtaTaskfile {
    std::uint8_t feature = 0;
    std::uint8_t count = 0;
    std::uint8_t lba_low = 0;
    std::uint8_t lba_mid = 0;
    std::uint8_t lba_high = 0;
    std::uint8_t device = 0;
    std::uint8_t command = 0;
};

/// The registers a drive returns. Some commands answer only here: SMART RETURN STATUS in LBA
/// mid/high, CHECK POWER MODE in count.
struct AtaOutput {
    std::uint8_t error = 0;
    std::uint8_t count = 0;
    std::uint8_t lba_low = 0;
    std::uint8_t lba_mid = 0;
    std::uint8_t lba_high = 0;
    std::uint8_t device = 0;
    std::uint8_t status = 0;

    /// Status bit 0 (ERR): the drive refused or failed the command; error bit 2 (ABRT) says
    /// it aborted it (unsupported, or a log it does not have).
    [[nodiscard]] bool failed() const { return (static_cast<unsigned>(status) & 0x01U) != 0; }
};

/// How ATA commands reach a drive through a SCSI device: the SAT standard's ATA PASS-THROUGH
/// (16) and (12) (SAT-3, 12.2), or a USB bridge's own vendor command (the layouts
/// smartmontools' scsiata.cpp documents for JMicron and Sunplus bridges).
enum class AtaTunnel : std::uint8_t { sat16, sat12, usbjmicron, usbsunplus };

/// "sat16", "sat12", "usbjmicron", "usbsunplus".
std::string_view to_string(AtaTunnel tunnel);

/// One ATA command as the probes send it. `name` is a stable key ("ata-identify",
/// "ata-smart-read-log-06"): the recorded-device layer files answers under it.
struct AtaCommand {
    std::string name;
    AtaTaskfile in;
    /// Bytes the command reads (PIO data-in); 0 for a non-data command.
    std::size_t data_in_bytes = 0;
    /// True when the answer is in the output registers, so they must be returned.
    bool want_output = false;
};

/// IDENTIFY DEVICE (ECh), 512 bytes (ACS-3 7.12).
AtaCommand ata_identify();
/// CHECK POWER MODE (E5h), non-data; the count register answers (ACS-3 7.3).
AtaCommand ata_check_power_mode();
/// SMART READ DATA (B0h/D0h), 512 bytes (ACS-3 7.44.2 with SFF-8035i).
AtaCommand ata_smart_read_data();
/// SMART READ THRESHOLDS (B0h/D1h), 512 bytes (obsolete in ACS, kept by every drive).
AtaCommand ata_smart_read_thresholds();
/// SMART RETURN STATUS (B0h/DAh), non-data; LBA mid/high answer (ACS-3 7.44.8).
AtaCommand ata_smart_return_status();
/// SMART READ LOG (B0h/D5h) of `pages` 512-byte pages of log `address` (ACS-3 7.44.5).
AtaCommand ata_smart_read_log(std::uint8_t address, std::uint8_t pages);

/// What CHECK POWER MODE's count register says (ACS-3 Table 44).
enum class AtaPowerMode : std::uint8_t { standby, idle, active_or_idle, unknown };

/// 00h standby; 80h-83h idle; FFh active or idle; anything else unknown.
AtaPowerMode decode_power_mode(std::uint8_t count);

/// "standby", "idle", "active or idle", "unknown".
std::string_view to_string(AtaPowerMode mode);

}  // namespace diag::disk
