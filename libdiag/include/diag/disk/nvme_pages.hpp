#pragma once

#include <diag/disk/disk_record.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace diag::disk {

/// The raw pages of one NVMe controller as a probe reads them through NVME_IOCTL_ADMIN_CMD.
/// Pages that were not read are absent.
struct NvmePages {
    /// Identify Controller (CNS 01h), 4096 bytes.
    std::optional<std::vector<std::uint8_t>> identify;
    /// Get Log Page 02h (SMART / Health), 06h (Device Self-test), 01h (Error Information).
    std::optional<std::vector<std::uint8_t>> health;
    std::optional<std::vector<std::uint8_t>> self_test_log;
    std::optional<std::vector<std::uint8_t>> error_log;
};

/// Decodes the pages into a record: identity and temperature limits (WCTEMP, CCTEMP) from
/// Identify, health, self-test results and error entries. Decoding problems become Issues.
DiskRecord build_nvme_record(const NvmePages& pages, std::string device);

}  // namespace diag::disk
