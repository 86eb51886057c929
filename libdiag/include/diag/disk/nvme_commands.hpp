#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace diag::disk {

/// One NVMe admin command as the probes send it through NVME_IOCTL_ADMIN_CMD. `name` is a
/// stable key ("nvme-get-log-02"): the recorded-device layer files answers under it.
struct NvmeAdminCommand {
    std::string name;
    std::uint8_t opcode = 0;
    std::uint32_t nsid = 0;
    std::uint32_t cdw10 = 0;
    std::uint32_t cdw11 = 0;
    /// Bytes the command returns into the host buffer.
    std::size_t data_in_bytes = 0;
};

/// Identify (06h) with CNS 01h: the 4096-byte Identify Controller data structure (NVMe Base
/// Specification 2.0, 5.17).
NvmeAdminCommand nvme_identify_controller();

/// Get Log Page (02h) of log `lid`, `bytes` long (a multiple of 4): CDW10 bits 7:0 the log
/// identifier and 31:16 the low word of the 0-based dword count, CDW11 its high word (NVMe
/// Base Specification 2.0, 5.16). NSID FFFFFFFFh: the controller as a whole.
NvmeAdminCommand nvme_get_log_page(std::uint8_t lid, std::uint32_t bytes);

}  // namespace diag::disk
