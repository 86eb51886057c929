#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace diag::disk {

/// One SCSI command as the probes send it through SG_IO. `name` is a stable key
/// ("scsi-log-sense-2f"): the recorded-device layer files answers under it.
struct ScsiCommand {
    std::string name;
    std::vector<std::uint8_t> cdb;
    /// Bytes the command may read; 0 for a non-data command.
    std::size_t data_in_bytes = 0;
};

/// Standard INQUIRY (12h), 36 bytes (SPC-5 6.7).
ScsiCommand scsi_inquiry();
/// INQUIRY with EVPD for the Unit Serial Number page (80h, SPC-5 7.7.19).
ScsiCommand scsi_inquiry_serial();
/// LOG SENSE (4Dh) of `page` with PC = 01b (cumulative values), SPC-5 6.6; `bytes` is the
/// allocation length.
ScsiCommand scsi_log_sense(std::uint8_t page, std::uint16_t bytes);
/// READ DEFECT DATA (10) (37h, SBC-4 5.11) asking for the header of the grown list (REQ_GLIST)
/// in the bytes-from-index format: the header's length field counts the list.
ScsiCommand scsi_read_defect_data();

}  // namespace diag::disk
