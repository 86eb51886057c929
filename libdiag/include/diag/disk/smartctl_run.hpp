#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace diag::disk {

/// One entry of smartctl.messages.
struct SmartctlMessage {
    std::string text;
    /// "information", "warning" or "error" as smartctl writes it.
    std::string severity;
};

/// What a smartctl --json file says about the smartctl run that made it.
struct SmartctlRun {
    /// "7.1"; empty when the file has no smartctl object (a trimmed file).
    std::string version;
    std::vector<std::string> argv;
    std::optional<int> exit_status;
    std::vector<SmartctlMessage> messages;
};

/// The meanings of the set bits of smartctl's exit status, lowest first. smartctl(8),
/// "EXIT STATUS": bit 0 command line did not parse; 1 device open failed or device in a
/// low-power mode; 2 a command to the disk failed or a data structure had a checksum error;
/// 3 SMART status says DISK FAILING; 4 prefail attributes at or below threshold; 5 attributes
/// at or below threshold in the past; 6 the device error log has errors; 7 the self-test log
/// has errors.
std::vector<std::string_view> smartctl_exit_status_meanings(int exit_status);

}  // namespace diag::disk
