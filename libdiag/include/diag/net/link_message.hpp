#pragma once

#include <diag/net/link_counters.hpp>
#include <diag/net/oper_state.hpp>

#include <cstddef>
#include <cstdint>
#include <expected>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace diag::net {

/// One interface as an rtnetlink RTM_NEWLINK message describes it (rtnetlink(7);
/// struct ifinfomsg and the IFLA_* attributes of include/uapi/linux/if_link.h).
/// An attribute the kernel did not send is absent.
struct LinkMessage {
    int index = 0;
    /// ARPHRD_* link type: 1 Ethernet, 772 loopback, 65534 none (tun).
    unsigned type = 0;
    /// IFF_* flags: IFF_UP is administratively up, IFF_LOWER_UP has carrier.
    unsigned flags = 0;
    std::optional<std::string> name;
    std::optional<std::uint32_t> mtu;
    std::optional<OperState> operstate;
    /// IFLA_CARRIER (Linux 3.10+).
    std::optional<bool> carrier;
    /// IFLA_CARRIER_CHANGES (4.4+), IFLA_CARRIER_UP_COUNT and _DOWN_COUNT (4.19+).
    std::optional<std::uint32_t> carrier_changes;
    std::optional<std::uint32_t> carrier_up_count;
    std::optional<std::uint32_t> carrier_down_count;
    /// Index of the bridge, bond or team this interface is enslaved to (IFLA_MASTER).
    std::optional<int> master_index;
    /// Index of the lower or peer interface (IFLA_LINK): a VLAN's parent, a veth's peer.
    std::optional<int> link_index;
    /// IFLA_LINKINFO/IFLA_INFO_KIND: "veth", "bridge", "vlan", "bond", "tun", ...; absent for
    /// devices without rtnl_link_ops, which includes most physical NICs and lo.
    std::optional<std::string> kind;
    /// IFLA_INFO_SLAVE_KIND: "bond" or "bridge" on a member port.
    std::optional<std::string> slave_kind;
    /// IFLA_PARENT_DEV_NAME and IFLA_PARENT_DEV_BUS_NAME (Linux 5.15+): the bus device behind
    /// the interface ("0000:03:00.0" on "pci"); sent only for interfaces that have one, so a
    /// physical NIC is told from a virtual device without reading sysfs.
    std::optional<std::string> parent_device;
    std::optional<std::string> parent_bus;
    /// IFLA_STATS64, or the 32-bit IFLA_STATS when a kernel sends no STATS64.
    LinkCounters stats;
    /// How many counters the statistics attribute carried (25 on Linux 6.0+, 24 on 4.6+, 23
    /// before); 0 when it had none.
    std::size_t stats_fields = 0;
    /// True when the counters came from the 32-bit IFLA_STATS, which wrap at 2^32.
    bool stats_32bit = false;
    /// Set when an attribute was malformed; the attributes before it are kept.
    std::optional<std::string> problem;
};

/// Decodes the payload of one RTM_NEWLINK message (what follows the struct nlmsghdr): struct
/// ifinfomsg, then attributes. A malformed attribute ends the walk and is noted in `problem`;
/// what came before it is kept. Fails only without a whole struct ifinfomsg.
/// A short IFLA_STATS64 (an older kernel) fills the counters it has and leaves the rest absent.
std::expected<LinkMessage, std::string> decode_newlink(std::span<const std::byte> payload);

/// What one receive buffer of an RTM_GETLINK dump held.
struct LinkDumpPart {
    std::vector<LinkMessage> links;
    /// NLMSG_DONE was seen: the dump is complete.
    bool done = false;
    /// errno from an NLMSG_ERROR message, or from NLMSG_DONE's error field.
    std::optional<int> error_number;
    /// Messages that could not be decoded, or only in part, and why.
    std::vector<std::string> problems;
};

/// Decodes a buffer of netlink messages as recv() returns them during an RTM_GETLINK dump
/// (netlink(7)): RTM_NEWLINK messages, then NLMSG_DONE; NLMSG_ERROR ends the dump with an errno.
/// A message whose length runs past the buffer ends the walk with a problem.
LinkDumpPart decode_link_dump(std::span<const std::byte> buffer);

}  // namespace diag::net
