#pragma once

#include <diag/disk/decoded.hpp>
#include <diag/disk/page_bytes.hpp>

#include <cstdint>
#include <optional>
#include <vector>

namespace diag::disk {

/// One Error Information Log Entry (Log Identifier 01h, 64 bytes; NVMe Base Specification
/// 2.0, Figure 206).
struct NvmeErrorEntry {
    /// Bytes 0-7: the controller's running error number; 0 marks an empty entry.
    std::uint64_t error_count = 0;
    /// Bytes 8-9 and 10-11: the submission queue and the command that failed.
    std::uint16_t submission_queue_id = 0;
    std::uint16_t command_id = 0;
    /// Bytes 12-13 bits 15:1: the completion status; status_code_type and status_code split it.
    std::uint16_t status_field = 0;
    /// Bytes 14-15.
    std::uint16_t parameter_error_location = 0;
    /// Bytes 16-23 and 24-27.
    std::uint64_t lba = 0;
    std::uint32_t nsid = 0;

    /// Status Code Type, bits 11:9 of the status field (0 generic, 1 command specific,
    /// 2 media and data integrity errors, 3 path related).
    [[nodiscard]] unsigned status_code_type() const {
        return (static_cast<unsigned>(status_field) >> 9U) & 0x7U;
    }
    /// Status Code, bits 8:1 of the status field.
    [[nodiscard]] unsigned status_code() const {
        return (static_cast<unsigned>(status_field) >> 1U) & 0xFFU;
    }
    /// Status code type 2: a media or data integrity error (Figure 106).
    [[nodiscard]] bool media_error() const { return status_code_type() == 2; }
};

/// Decodes a run of 64-byte entries, newest first as the controller returns them; empty
/// entries (error count 0) are left out. A trailing partial entry is a problem.
Decoded<std::vector<NvmeErrorEntry>> decode_nvme_error_log(PageBytes page);

}  // namespace diag::disk
