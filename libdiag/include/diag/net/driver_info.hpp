#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace diag::net {

/// Who drives an interface: ETHTOOL_GDRVINFO, or `ethtool -i IF` text.
struct DriverInfo {
    /// "e1000e", "veth", "virtio_net".
    std::string driver;
    std::string version;
    std::string firmware_version;
    /// "0000:00:1f.6" for a PCI device; empty for virtual devices.
    std::string bus_info;
};

/// Parses `ethtool -i IF` ("driver: e1000e" lines). nullopt when there is no driver line.
std::optional<DriverInfo> parse_ethtool_driver_text(std::string_view text);

}  // namespace diag::net
