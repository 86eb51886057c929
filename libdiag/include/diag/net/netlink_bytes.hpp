#pragma once

// The byte-level pieces every netlink decoder needs (netlink(7)): alignment, unaligned loads and
// splitting a run of attributes. rtnetlink's rtattr and generic netlink's nlattr share one layout
// (a 16-bit length that counts the 4-byte header, a 16-bit type, then the payload).

#include <cstddef>
#include <cstring>
#include <span>
#include <string>
#include <vector>

namespace diag::net {

/// NLMSG_ALIGN, RTA_ALIGN, NLA_ALIGN: messages and attributes start on 4-byte boundaries.
constexpr std::size_t netlink_align(std::size_t length) {
    constexpr std::size_t kAlignTo = 4;
    return (length + kAlignTo - 1) & ~(kAlignTo - 1);
}

/// A T read from bytes at offset, whatever its alignment; the caller checks the size.
template <class T>
T load_bytes(std::span<const std::byte> bytes, std::size_t offset = 0) {
    T value{};
    std::memcpy(&value, bytes.data() + offset, sizeof value);
    return value;
}

/// One attribute: its type without the NLA_F_NESTED / NLA_F_NET_BYTEORDER bits, and its payload.
struct NetlinkAttribute {
    unsigned type = 0;
    std::span<const std::byte> payload;
};

/// Splits a run of attributes; stops at the first malformed one and describes it in `problem`
/// (left as it was when all are well formed).
std::vector<NetlinkAttribute> split_netlink_attributes(std::span<const std::byte> bytes,
                                                       std::string& problem);

}  // namespace diag::net
