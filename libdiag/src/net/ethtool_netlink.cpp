#include "diag/net/ethtool_netlink.hpp"

#include "diag/net/netlink_bytes.hpp"

#include <array>
#include <cstring>

#include <fmt/format.h>

#include <linux/ethtool_netlink.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

namespace diag::net {

namespace {

// Counter names by attribute index within each group, from the IEEE 802.3 clause 30 and
// RFC 2819 names in the comments of include/uapi/linux/ethtool_netlink.h.
constexpr std::array<std::string_view, 1> kPhyNames{"SymbolErrorDuringCarrier"};
constexpr std::array<std::string_view, 22> kMacNames{"FramesTransmittedOK",
                                                     "SingleCollisionFrames",
                                                     "MultipleCollisionFrames",
                                                     "FramesReceivedOK",
                                                     "FrameCheckSequenceErrors",
                                                     "AlignmentErrors",
                                                     "OctetsTransmittedOK",
                                                     "FramesWithDeferredXmissions",
                                                     "LateCollisions",
                                                     "FramesAbortedDueToXSColls",
                                                     "FramesLostDueToIntMACXmitError",
                                                     "CarrierSenseErrors",
                                                     "OctetsReceivedOK",
                                                     "FramesLostDueToIntMACRcvError",
                                                     "MulticastFramesXmittedOK",
                                                     "BroadcastFramesXmittedOK",
                                                     "FramesWithExcessiveDeferral",
                                                     "MulticastFramesReceivedOK",
                                                     "BroadcastFramesReceivedOK",
                                                     "InRangeLengthErrors",
                                                     "OutOfRangeLengthField",
                                                     "FrameTooLongErrors"};
constexpr std::array<std::string_view, 3> kCtrlNames{
    "MACControlFramesTransmitted", "MACControlFramesReceived", "UnsupportedOpcodesReceived"};
constexpr std::array<std::string_view, 4> kRmonNames{"etherStatsUndersizePkts",
                                                     "etherStatsOversizePkts",
                                                     "etherStatsFragments", "etherStatsJabbers"};

struct Group {
    std::string_view prefix;
    std::span<const std::string_view> names;
};

std::optional<Group> group_of(std::uint32_t id) {
    switch (id) {
        case ETHTOOL_STATS_ETH_PHY:
            return Group{"eth-phy-", kPhyNames};
        case ETHTOOL_STATS_ETH_MAC:
            return Group{"eth-mac-", kMacNames};
        case ETHTOOL_STATS_ETH_CTRL:
            return Group{"eth-ctrl-", kCtrlNames};
        case ETHTOOL_STATS_RMON:
            return Group{"rmon-", kRmonNames};
        default:
            return std::nullopt;
    }
}

using Attribute = NetlinkAttribute;

// Splits a run of attributes; a malformed one ends the run and is described in `problem`.
std::vector<Attribute> split(std::span<const std::byte> bytes,
                             std::optional<std::string>& problem) {
    std::string found;
    auto attributes = split_netlink_attributes(bytes, found);
    if (!found.empty()) {
        problem = std::move(found);
    }
    return attributes;
}

class Builder {
public:
    void raw(const void* data, std::size_t size) {
        const auto* bytes = static_cast<const std::byte*>(data);
        data_.insert(data_.end(), bytes, bytes + size);
        data_.resize(netlink_align(data_.size()));
    }
    std::size_t attribute(std::uint16_t type, const void* payload, std::size_t size) {
        const std::size_t start = data_.size();
        const nlattr header{static_cast<std::uint16_t>(sizeof(nlattr) + size), type};
        raw(&header, sizeof header);
        if (size > 0) {
            data_.resize(start + sizeof header);
            raw(payload, size);
        }
        return start;
    }
    std::size_t begin_nest(std::uint16_t type) {
        return attribute(static_cast<std::uint16_t>(type | NLA_F_NESTED), nullptr, 0);
    }
    void end_nest(std::size_t start) {
        const auto length = static_cast<std::uint16_t>(data_.size() - start);
        std::memcpy(data_.data() + start, &length, sizeof length);
    }
    std::vector<std::byte> finish(std::uint16_t type, std::uint32_t sequence, std::uint8_t command,
                                  std::uint8_t version) {
        nlmsghdr header{};
        header.nlmsg_type = type;
        header.nlmsg_flags = NLM_F_REQUEST;
        header.nlmsg_seq = sequence;
        genlmsghdr generic{};
        generic.cmd = command;
        generic.version = version;
        std::vector<std::byte> message(NLMSG_HDRLEN + GENL_HDRLEN + data_.size());
        header.nlmsg_len = static_cast<std::uint32_t>(message.size());
        std::memcpy(message.data(), &header, sizeof header);
        std::memcpy(message.data() + NLMSG_HDRLEN, &generic, sizeof generic);
        if (!data_.empty()) {
            std::memcpy(message.data() + NLMSG_HDRLEN + GENL_HDRLEN, data_.data(), data_.size());
        }
        return message;
    }

private:
    std::vector<std::byte> data_;
};

// The attributes after the nlmsghdr and genlmsghdr of the first message in the buffer, or the
// errno of an NLMSG_ERROR.
struct Payload {
    std::span<const std::byte> attributes;
    std::optional<int> error_number;
    std::optional<std::string> problem;
};

Payload first_payload(std::span<const std::byte> buffer) {
    Payload out;
    if (buffer.size() < NLMSG_HDRLEN) {
        out.problem = "shorter than a netlink header";
        return out;
    }
    const auto header = load_bytes<nlmsghdr>(buffer);
    if (header.nlmsg_len < NLMSG_HDRLEN || header.nlmsg_len > buffer.size()) {
        out.problem = fmt::format("message length {} does not fit the {} bytes received",
                                  header.nlmsg_len, buffer.size());
        return out;
    }
    const auto message = buffer.first(header.nlmsg_len);
    if (header.nlmsg_type == NLMSG_ERROR) {
        if (message.size() < NLMSG_HDRLEN + sizeof(int)) {
            out.problem = "a truncated error message";
        } else {
            out.error_number = -load_bytes<int>(message, NLMSG_HDRLEN);
        }
        return out;
    }
    if (message.size() < NLMSG_HDRLEN + GENL_HDRLEN) {
        out.problem = "no generic netlink header";
        return out;
    }
    out.attributes = message.subspan(NLMSG_HDRLEN + GENL_HDRLEN);
    return out;
}

void decode_group(std::span<const std::byte> nest, StandardStatsAnswer& answer) {
    const auto attributes = split(nest, answer.problem);
    std::optional<Group> group;
    for (const auto& attr : attributes) {
        if (attr.type == ETHTOOL_A_STATS_GRP_ID && attr.payload.size() >= sizeof(std::uint32_t)) {
            group = group_of(load_bytes<std::uint32_t>(attr.payload));
        }
    }
    if (!group) {
        return;  // a group this decoder does not know, or no id
    }
    for (const auto& attr : attributes) {
        if (attr.type != ETHTOOL_A_STATS_GRP_STAT) {
            continue;
        }
        // One counter per nest: its attribute type is its index in the group.
        for (const auto& stat : split(attr.payload, answer.problem)) {
            if (stat.type < group->names.size() && stat.payload.size() >= sizeof(std::uint64_t)) {
                answer.stats.push_back({fmt::format("{}{}", group->prefix, group->names[stat.type]),
                                        load_bytes<std::uint64_t>(stat.payload)});
            }
        }
    }
}

}  // namespace

std::vector<std::byte> build_family_request(std::string_view family, std::uint32_t sequence) {
    Builder builder;
    const std::string name(family);
    builder.attribute(CTRL_ATTR_FAMILY_NAME, name.c_str(), name.size() + 1);
    return builder.finish(GENL_ID_CTRL, sequence, CTRL_CMD_GETFAMILY, 1);
}

std::optional<std::uint16_t> decode_family_id(std::span<const std::byte> buffer) {
    const auto payload = first_payload(buffer);
    std::optional<std::string> problem;
    for (const auto& attr : split(payload.attributes, problem)) {
        if (attr.type == CTRL_ATTR_FAMILY_ID && attr.payload.size() >= sizeof(std::uint16_t)) {
            return load_bytes<std::uint16_t>(attr.payload);
        }
    }
    return std::nullopt;
}

std::vector<std::byte> build_stats_request(std::uint16_t family_id, std::string_view interface,
                                           std::uint32_t sequence) {
    Builder builder;
    const auto header = builder.begin_nest(ETHTOOL_A_STATS_HEADER);
    const std::string name(interface);
    builder.attribute(ETHTOOL_A_HEADER_DEV_NAME, name.c_str(), name.size() + 1);
    builder.end_nest(header);

    const auto groups = builder.begin_nest(ETHTOOL_A_STATS_GROUPS);
    builder.attribute(ETHTOOL_A_BITSET_NOMASK, nullptr, 0);
    const std::uint32_t size = __ETHTOOL_STATS_CNT;
    builder.attribute(ETHTOOL_A_BITSET_SIZE, &size, sizeof size);
    const std::uint32_t bits = (1U << ETHTOOL_STATS_ETH_PHY) | (1U << ETHTOOL_STATS_ETH_MAC) |
                               (1U << ETHTOOL_STATS_ETH_CTRL) | (1U << ETHTOOL_STATS_RMON);
    builder.attribute(ETHTOOL_A_BITSET_VALUE, &bits, sizeof bits);
    builder.end_nest(groups);
    return builder.finish(family_id, sequence, ETHTOOL_MSG_STATS_GET, ETHTOOL_GENL_VERSION);
}

StandardStatsAnswer decode_stats_reply(std::span<const std::byte> buffer) {
    StandardStatsAnswer answer;
    auto payload = first_payload(buffer);
    answer.error_number = payload.error_number;
    answer.problem = payload.problem;
    for (const auto& attr : split(payload.attributes, answer.problem)) {
        if (attr.type == ETHTOOL_A_STATS_GRP) {
            decode_group(attr.payload, answer);
        }
    }
    return answer;
}

}  // namespace diag::net
