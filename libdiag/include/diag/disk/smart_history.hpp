#pragma once

#include <diag/core/report.hpp>
#include <diag/disk/disk_record.hpp>

#include <cstdint>
#include <expected>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace diag::disk {

/// One counter as last seen, and since when it has had that value.
struct TrackedValue {
    std::uint64_t value = 0;
    /// UTC date, "2026-11-30".
    std::string since;
};

/// What the state file remembers about one drive, keyed by its serial number.
struct DiskHistory {
    std::string model;
    std::string device;
    /// UTC date of the last run that saw the drive.
    std::string last_seen;
    /// Counters by key: ATA attribute ids ("5", "197"), "grown_defects", "uncorrected_errors",
    /// "media_errors", "error_log", "kernel_io_errors".
    std::map<std::string, TrackedValue> values;
};

/// The whole state diag-smart keeps under --state-dir (smart-state.json).
struct SmartState {
    std::map<std::string, DiskHistory> disks;
    /// The ATA tunnel that worked, by bridge_key(): "usb:152d:2338" -> "usbjmicron".
    std::map<std::string, std::string> tunnels;
};

/// Parses the state file (version 1); the error says what is wrong with it.
std::expected<SmartState, std::string> parse_smart_state(std::string_view text);

/// The state as JSON text, version 1, keys sorted.
std::string render_smart_state(const SmartState& state);

/// The counters of a record that history follows, by key (see DiskHistory::values): counts
/// of ATA 5, 187, 188, 197, 198, 199 as the assessment reads them, the ATA error log count,
/// SCSI grown defects and uncorrected errors, NVMe media errors, and the kernel's ioerr_cnt.
std::map<std::string, std::uint64_t> tracked_values(const DiskRecord& record,
                                                    std::optional<std::uint64_t> kernel_io_errors);

/// The check id a tracked key is judged under: "197" -> "disk.smart.pending".
std::string_view check_for_key(std::string_view key);

/// Compares the counters with what was remembered. For each that grew, the finding of its
/// check on `subject` is raised one severity level (ok to info, info to warning, warning to
/// critical), its summary gains "197: 0 -> 8 since 2026-11-30" and its evidence the previous
/// value and date. Returns how many counters grew.
std::size_t apply_history(Report& report, const std::string& subject,
                          const std::map<std::string, std::uint64_t>& now,
                          const DiskHistory& previous);

/// Stores the counters under the serial: a value that changed gets `today` as its date, one
/// that did not keeps its old date.
void remember(SmartState& state, const DiskRecord& record,
              const std::map<std::string, std::uint64_t>& now, const std::string& today);

/// Today's date in UTC, "2026-12-03".
std::string utc_date_today();

}  // namespace diag::disk
