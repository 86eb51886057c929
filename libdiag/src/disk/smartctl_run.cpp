#include "diag/disk/smartctl_run.hpp"

#include <array>

namespace diag::disk {

std::vector<std::string_view> smartctl_exit_status_meanings(int exit_status) {
    static constexpr std::array<std::string_view, 8> kBits{
        "command line did not parse",
        "device open failed, or device in a low-power mode",
        "a command to the disk failed, or a data structure had a checksum error",
        "SMART status says DISK FAILING",
        "prefail attributes at or below threshold",
        "attributes at or below threshold in the past",
        "the device error log has errors",
        "the self-test log has errors",
    };
    std::vector<std::string_view> meanings;
    for (unsigned bit = 0; bit < kBits.size(); ++bit) {
        if (((static_cast<unsigned>(exit_status) >> bit) & 1U) != 0) {
            meanings.push_back(kBits[bit]);
        }
    }
    return meanings;
}

}  // namespace diag::disk
