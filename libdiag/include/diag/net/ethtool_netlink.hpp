#pragma once

#include <diag/net/driver_stats.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace diag::net {

/// A generic netlink request to resolve the "ethtool" family's id (CTRL_CMD_GETFAMILY with
/// CTRL_ATTR_FAMILY_NAME; Documentation/userspace-api/netlink/intro.rst), ready to send.
std::vector<std::byte> build_family_request(std::string_view family, std::uint32_t sequence);

/// The family id from a CTRL_CMD_GETFAMILY answer (CTRL_ATTR_FAMILY_ID); nullopt when the
/// buffer holds an error (a kernel without the family answers ENOENT) or no id.
std::optional<std::uint16_t> decode_family_id(std::span<const std::byte> buffer);

/// An ETHTOOL_MSG_STATS_GET request for one interface asking for the eth-phy, eth-mac,
/// eth-ctrl and rmon groups (Documentation/networking/ethtool-netlink.rst, "STATS_GET"), with
/// the groups as a compact bitset (ETHTOOL_A_BITSET_NOMASK, _SIZE, _VALUE).
std::vector<std::byte> build_stats_request(std::uint16_t family_id, std::string_view interface,
                                           std::uint32_t sequence);

/// What an ETHTOOL_MSG_STATS_GET answer held.
struct StandardStatsAnswer {
    /// The counters the driver filled, named as IEEE 802.3 clause 30 and RFC 2819 name them
    /// with the group in front, as `ethtool -S IF --all-groups` shows them:
    /// "eth-phy-SymbolErrorDuringCarrier", "eth-mac-FrameCheckSequenceErrors",
    /// "rmon-etherStatsJabbers". Counters a driver does not keep are not sent by the kernel.
    std::vector<DriverStat> stats;
    /// errno of an NLMSG_ERROR answer (EOPNOTSUPP: a driver without standard statistics).
    std::optional<int> error_number;
    /// Set when the answer was malformed; what came before is kept.
    std::optional<std::string> problem;
};

/// Decodes the buffer of an ETHTOOL_MSG_STATS_GET_REPLY (nlmsghdr, genlmsghdr, then
/// ETHTOOL_A_STATS_HEADER and one ETHTOOL_A_STATS_GRP nest per group with ETHTOOL_A_STATS_GRP_ID
/// and ETHTOOL_A_STATS_GRP_STAT nests of one u64 each; net/ethtool/stats.c). Groups and
/// counters this decoder does not know are skipped; histograms are not read.
StandardStatsAnswer decode_stats_reply(std::span<const std::byte> buffer);

}  // namespace diag::net
