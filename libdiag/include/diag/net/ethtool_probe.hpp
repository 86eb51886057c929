#pragma once

#include <diag/core/error.hpp>
#include <diag/core/unique_fd.hpp>
#include <diag/net/driver_info.hpp>
#include <diag/net/driver_stats.hpp>
#include <diag/net/link_settings.hpp>

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <vector>

namespace diag::net {

/// What the ethtool ioctls said about one interface. Each part is absent when its ioctl
/// failed; the failures are in `errors` (EOPNOTSUPP from a driver without that operation is
/// left out: it is not a fault).
struct EthtoolAnswer {
    std::optional<DriverInfo> driver;
    std::optional<DriverStats> stats;
    std::optional<LinkSettings> settings;
    std::vector<Error> errors;
};

/// A generic netlink socket with the "ethtool" family resolved, for the standard statistics.
struct EthtoolNetlink {
    int socket_fd = -1;
    std::uint16_t family_id = 0;
};

/// Opens a NETLINK_GENERIC socket into `fd` and resolves the "ethtool" family (Linux 5.6+);
/// nullopt when there is none (an older kernel or no permission), which is not a fault.
std::optional<EthtoolNetlink> open_ethtool_netlink(UniqueFd& fd);

/// Which ethtool operations to run.
struct EthtoolRequest {
    bool driver_stats = true;
    bool link_settings = true;
};

/// Runs SIOCETHTOOL ioctls on one interface of this network namespace, using `socket_fd` (any
/// AF_INET datagram socket): ETHTOOL_GDRVINFO; ETHTOOL_GSSET_INFO, ETHTOOL_GSTRINGS and
/// ETHTOOL_GSTATS for the driver statistics; ETHTOOL_GLINKSETTINGS with its two-step mask size
/// handshake (the first call with zero words makes the kernel answer with minus the number it
/// wants), falling back to the older ETHTOOL_GSET. Blocking; the caller bounds it in time.
/// With `netlink`, the driver statistics also get the ETHTOOL_MSG_STATS_GET standard groups
/// (Linux 5.13+), named as `ethtool -S --all-groups` names them ("eth-mac-FrameCheckSequence
/// Errors"); a driver without them answers EOPNOTSUPP, which is not a fault.
EthtoolAnswer query_ethtool(int socket_fd, const std::string& interface,
                            const EthtoolRequest& request,
                            const std::optional<EthtoolNetlink>& netlink = std::nullopt);

}  // namespace diag::net
