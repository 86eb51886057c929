#include "diag/net/netlink_bytes.hpp"

#include <cstdint>

#include <fmt/format.h>

#include <linux/netlink.h>

namespace diag::net {

std::vector<NetlinkAttribute> split_netlink_attributes(std::span<const std::byte> bytes,
                                                       std::string& problem) {
    std::vector<NetlinkAttribute> attributes;
    std::size_t offset = 0;
    while (offset + sizeof(nlattr) <= bytes.size()) {
        const auto header = load_bytes<nlattr>(bytes, offset);
        if (header.nla_len < sizeof(nlattr) || offset + header.nla_len > bytes.size()) {
            problem = fmt::format("attribute type {} at byte {} has a bad length {}",
                                  header.nla_type, offset, header.nla_len);
            break;
        }
        attributes.push_back(
            {static_cast<unsigned>(header.nla_type & NLA_TYPE_MASK),
             bytes.subspan(offset + sizeof(nlattr), header.nla_len - sizeof(nlattr))});
        offset += netlink_align(header.nla_len);
    }
    return attributes;
}

}  // namespace diag::net
