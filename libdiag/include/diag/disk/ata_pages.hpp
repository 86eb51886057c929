#pragma once

#include <diag/disk/disk_record.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace diag::disk {

/// The raw pages of one ATA drive, as a probe reads them through SG_IO or a saved blob holds
/// them. Pages that were not read are absent.
struct AtaPages {
    /// IDENTIFY DEVICE (ECh), 512 bytes.
    std::optional<std::vector<std::uint8_t>> identify;
    /// SMART READ DATA (B0h/D0h) and READ THRESHOLDS (B0h/D1h), 512 bytes each.
    std::optional<std::vector<std::uint8_t>> smart_data;
    std::optional<std::vector<std::uint8_t>> thresholds;
    /// SMART READ LOG addresses 06h (self-test log) and 01h (summary error log).
    std::optional<std::vector<std::uint8_t>> self_test_log;
    std::optional<std::vector<std::uint8_t>> error_log;
    /// SMART READ LOG address 04h, pages 0 to N-1: the Device Statistics log.
    std::optional<std::vector<std::uint8_t>> device_statistics;
    /// SMART RETURN STATUS (B0h/DAh): true for LBA mid/high 4Fh/C2h, false for F4h/2Ch.
    std::optional<bool> return_status_passed;
};

/// SMART RETURN STATUS from the LBA mid and high registers a drive returns (ACS-3, 7.44.8):
/// 4Fh/C2h no threshold exceeded, F4h/2Ch a threshold exceeded; absent for anything else.
std::optional<bool> decode_smart_return_status(std::uint8_t lba_mid, std::uint8_t lba_high);

/// Decodes the pages into a record: identity, attributes with thresholds, the model's
/// quirks, temperature and power-on hours from the attributes (else from the Device
/// Statistics log), endurance used from Device Statistics page 07h, the logs with their
/// 16-bit hours unwrapped. Each decoding problem (a bad checksum, a short page) becomes an Issue on
/// the record; values from a page with a bad checksum are kept and marked untrusted.
DiskRecord build_ata_record(const AtaPages& pages, std::string device);

}  // namespace diag::disk
