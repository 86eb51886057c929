#pragma once

#include <diag/disk/decoded.hpp>
#include <diag/disk/page_bytes.hpp>

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace diag::disk {

/// One Self-test Result Data Structure (NVMe Base Specification 2.0, Figure 262, 28 bytes).
struct NvmeSelfTestResult {
    /// Byte 0 bits 7:4: 1h short, 2h extended, Eh vendor specific.
    std::uint8_t code = 0;
    /// Byte 0 bits 3:0: 0h completed without error, 1h aborted by a Device Self-test command,
    /// 2h aborted by a Controller Level Reset, 3h aborted by a namespace removal, 4h aborted by
    /// a Format NVM command, 5h fatal or unknown test error, 6h completed with a failed segment
    /// that is not known, 7h completed with one or more failed segments, 8h aborted for an
    /// unknown reason, 9h aborted by a sanitize operation, Fh entry not used.
    std::uint8_t result = 0;
    /// Byte 1: the number of the first failed segment (result 7h).
    std::uint8_t segment = 0;
    /// Byte 2: which of NSID (bit 0), failing LBA (bit 1), status code type (bit 2) and status
    /// code (bit 3) are valid.
    std::uint8_t valid_info = 0;
    /// Bytes 4-11.
    std::uint64_t power_on_hours = 0;
    /// Bytes 12-15 and 16-23, where valid_info says so.
    std::optional<std::uint32_t> nsid;
    std::optional<std::uint64_t> failing_lba;

    /// Results 5h, 6h and 7h: the test found a fault.
    [[nodiscard]] bool failed() const { return result >= 5 && result <= 7; }
};

/// "short", "extended", "vendor" or "reserved".
std::string_view nvme_self_test_code_name(std::uint8_t code);

/// The Device Self-test log (Log Identifier 06h, 564 bytes, NVMe Base Specification 2.0,
/// Figure 261): the operation in progress and twenty results, newest first.
struct NvmeSelfTestLog {
    /// Byte 0 bits 3:0: 0 none in progress, 1h short, 2h extended, Eh vendor specific.
    std::uint8_t current_operation = 0;
    /// Byte 1 bits 6:0: percent complete of the operation in progress.
    std::uint8_t current_completion_pct = 0;
    /// Results with a result other than Fh (entry not used), newest first as stored.
    std::vector<NvmeSelfTestResult> results;
};

/// Decodes the log; a short page gives the whole results that fit, plus a problem.
Decoded<NvmeSelfTestLog> decode_nvme_self_test_log(PageBytes page);

}  // namespace diag::disk
