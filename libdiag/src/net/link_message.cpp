#include "diag/net/link_message.hpp"

#include "diag/net/netlink_bytes.hpp"

#include <cstring>

#include <fmt/format.h>

#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

namespace diag::net {

namespace {

using Attribute = NetlinkAttribute;

std::string to_text(std::span<const std::byte> payload) {
    std::string text(reinterpret_cast<const char*>(payload.data()), payload.size());
    if (const auto nul = text.find('\0'); nul != std::string::npos) {
        text.resize(nul);
    }
    return text;
}

std::optional<std::uint32_t> to_u32(std::span<const std::byte> payload) {
    return payload.size() >= sizeof(std::uint32_t)
               ? std::optional(load_bytes<std::uint32_t>(payload))
               : std::nullopt;
}

std::optional<std::uint8_t> to_u8(std::span<const std::byte> payload) {
    return payload.empty() ? std::nullopt : std::optional(load_bytes<std::uint8_t>(payload));
}

void decode_linkinfo(std::span<const std::byte> payload, LinkMessage& link, std::string& problem) {
    for (const auto& attr : split_netlink_attributes(payload, problem)) {
        if (attr.type == IFLA_INFO_KIND) {
            link.kind = to_text(attr.payload);
        } else if (attr.type == IFLA_INFO_SLAVE_KIND) {
            link.slave_kind = to_text(attr.payload);
        }
    }
}

// IFLA_STATS64 (u64 fields) or IFLA_STATS (u32 fields), both in LinkCounter order. A kernel
// sends as many fields as its struct has, so a short payload fills a prefix.
template <class Field>
void decode_stats(std::span<const std::byte> payload, LinkMessage& link) {
    const std::size_t count = std::min(payload.size() / sizeof(Field), kLinkCounterCount);
    link.stats = {};
    for (std::size_t i = 0; i < count; ++i) {
        link.stats.set(static_cast<LinkCounter>(i), load_bytes<Field>(payload, i * sizeof(Field)));
    }
    link.stats_fields = count;
}

void decode_attribute(const Attribute& attr, LinkMessage& link, bool& have_stats64,
                      std::string& problem) {
    switch (attr.type) {
        case IFLA_IFNAME:
            link.name = to_text(attr.payload);
            break;
        case IFLA_MTU:
            link.mtu = to_u32(attr.payload);
            break;
        case IFLA_OPERSTATE:
            if (auto code = to_u8(attr.payload)) {
                link.operstate = oper_state_from_code(*code);
            }
            break;
        case IFLA_CARRIER:
            link.carrier = to_u8(attr.payload).transform([](std::uint8_t v) { return v != 0; });
            break;
        case IFLA_CARRIER_CHANGES:
            link.carrier_changes = to_u32(attr.payload);
            break;
        case IFLA_CARRIER_UP_COUNT:
            link.carrier_up_count = to_u32(attr.payload);
            break;
        case IFLA_CARRIER_DOWN_COUNT:
            link.carrier_down_count = to_u32(attr.payload);
            break;
        case IFLA_MASTER:
            link.master_index =
                to_u32(attr.payload).transform([](auto v) { return static_cast<int>(v); });
            break;
        case IFLA_LINK:
            link.link_index =
                to_u32(attr.payload).transform([](auto v) { return static_cast<int>(v); });
            break;
        case IFLA_LINKINFO:
            decode_linkinfo(attr.payload, link, problem);
            break;
        case IFLA_PARENT_DEV_NAME:
            link.parent_device = to_text(attr.payload);
            break;
        case IFLA_PARENT_DEV_BUS_NAME:
            link.parent_bus = to_text(attr.payload);
            break;
        case IFLA_STATS64:
            decode_stats<std::uint64_t>(attr.payload, link);
            have_stats64 = true;
            link.stats_32bit = false;
            break;
        case IFLA_STATS:
            if (!have_stats64) {
                decode_stats<std::uint32_t>(attr.payload, link);
                link.stats_32bit = true;
            }
            break;
        default:
            break;
    }
}

}  // namespace

std::expected<LinkMessage, std::string> decode_newlink(std::span<const std::byte> payload) {
    if (payload.size() < sizeof(ifinfomsg)) {
        return std::unexpected(
            fmt::format("message of {} bytes has no room for struct ifinfomsg", payload.size()));
    }
    const auto info = load_bytes<ifinfomsg>(payload);
    LinkMessage link;
    link.index = info.ifi_index;
    link.type = info.ifi_type;
    link.flags = info.ifi_flags;

    std::string problem;
    bool have_stats64 = false;
    const auto attributes =
        split_netlink_attributes(payload.subspan(netlink_align(sizeof(ifinfomsg))), problem);
    for (const auto& attr : attributes) {
        decode_attribute(attr, link, have_stats64, problem);
    }
    if (!problem.empty()) {
        link.problem = fmt::format("interface index {}: {}", link.index, problem);
    }
    return link;
}

LinkDumpPart decode_link_dump(std::span<const std::byte> buffer) {
    LinkDumpPart part;
    std::size_t offset = 0;
    while (offset + sizeof(nlmsghdr) <= buffer.size() && !part.done) {
        const auto header = load_bytes<nlmsghdr>(buffer, offset);
        if (header.nlmsg_len < sizeof(nlmsghdr) || offset + header.nlmsg_len > buffer.size()) {
            part.problems.push_back(
                fmt::format("message at byte {} has a bad length {}", offset, header.nlmsg_len));
            break;
        }
        const auto body =
            buffer.subspan(offset + sizeof(nlmsghdr), header.nlmsg_len - sizeof(nlmsghdr));
        if (header.nlmsg_type == NLMSG_DONE) {
            part.done = true;
            // Since Linux 4.x NLMSG_DONE carries an int error (0 on success) for dumps.
            if (body.size() >= sizeof(int) && load_bytes<int>(body) < 0) {
                part.error_number = -load_bytes<int>(body);
            }
        } else if (header.nlmsg_type == NLMSG_ERROR) {
            part.done = true;
            const int error = body.size() >= sizeof(int) ? load_bytes<int>(body) : 0;
            if (error != 0) {
                part.error_number = -error;
            }
        } else if (header.nlmsg_type == RTM_NEWLINK) {
            auto link = decode_newlink(body);
            if (link) {
                if (const auto& problem = link->problem; problem.has_value()) {
                    part.problems.push_back(*problem);
                }
                part.links.push_back(std::move(*link));
            } else {
                part.problems.push_back(link.error());
            }
        }
        offset += netlink_align(header.nlmsg_len);
    }
    return part;
}

}  // namespace diag::net
