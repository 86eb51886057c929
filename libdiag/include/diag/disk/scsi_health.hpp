#pragma once

#include <cstdint>
#include <optional>

namespace diag::disk {

/// One error counter log page: write (02h), read (03h) or verify (05h), parameter codes
/// 0000h-0006h (SPC-5, 7.3.7 "Error counter log pages"). A probe fills it from LOG SENSE;
/// the smartctl import from scsi_error_counter_log.
struct ScsiErrorCounters {
    /// 0000h: errors corrected without substantial delay (smartctl "eccfast").
    std::optional<std::uint64_t> corrected_fast;
    /// 0001h: errors corrected with possible delays ("eccdelayed").
    std::optional<std::uint64_t> corrected_delayed;
    /// 0002h: total rereads or rewrites.
    std::optional<std::uint64_t> corrected_by_retry;
    /// 0003h: total errors corrected.
    std::optional<std::uint64_t> total_corrected;
    /// 0004h: total times the correction algorithm ran.
    std::optional<std::uint64_t> correction_algorithm_runs;
    /// 0005h: total bytes processed, in 10^9 bytes as smartctl prints it.
    std::optional<double> processed_gigabytes;
    /// 0006h: total uncorrected errors: data the drive could not deliver.
    std::optional<std::uint64_t> total_uncorrected;
};

/// SMART-like health of a SCSI or SAS drive. Every field is absent until read.
struct ScsiHealth {
    /// Entries in the grown defect list (READ DEFECT DATA, SBC-4 5.11/5.12; smartctl
    /// scsi_grown_defect_list): blocks the drive remapped since it left the factory.
    std::optional<std::uint64_t> grown_defects;
    std::optional<ScsiErrorCounters> read;
    std::optional<ScsiErrorCounters> write;
    std::optional<ScsiErrorCounters> verify;
    /// Informational Exceptions log page (2Fh) parameter 0000h: additional sense code and
    /// qualifier; 0/0 means no failure predicted (SPC-5, 7.3.10).
    std::optional<std::uint8_t> ie_asc;
    std::optional<std::uint8_t> ie_ascq;
    /// Solid State Media log page (11h) parameter 0001h: percentage used endurance indicator.
    std::optional<std::uint8_t> endurance_used_pct;
};

}  // namespace diag::disk
