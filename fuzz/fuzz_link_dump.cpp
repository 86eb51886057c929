// Fuzzes the rtnetlink, ethtool ioctl and ethtool netlink byte decoders: decode_link_dump (a
// receive buffer of an RTM_GETLINK dump), decode_newlink (one RTM_NEWLINK payload),
// decode_stats_reply and decode_family_id (generic netlink answers) and pair_driver_stats (an
// ETHTOOL_GSTRINGS answer with its ETHTOOL_GSTATS values).
// Invariants: nothing is read past the buffer (ASan); a statistics attribute fills at most the
// 25 counters and exactly as many as it says; names are at most 32 bytes without a NUL; the
// pairing stops at the shorter list; a standard statistic is named after its group.

#include "fuzz_check.hpp"

#include <diag/net/driver_stats.hpp>
#include <diag/net/ethtool_netlink.hpp>
#include <diag/net/link_message.hpp>

#include <algorithm>
#include <cstring>
#include <span>
#include <vector>

using diag::fuzz::require;

namespace {

void check_link(const diag::net::LinkMessage& link) {
    require(link.stats_fields <= diag::net::kLinkCounterCount, "at most 25 counters");
    require(link.stats.present_count() == link.stats_fields, "as many counters as fields");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // Copies, so ASan sees the exact end of the input as the end of an allocation.
    const std::vector<std::byte> bytes(reinterpret_cast<const std::byte*>(data),
                                       reinterpret_cast<const std::byte*>(data) + size);
    const auto dump = diag::net::decode_link_dump(bytes);
    for (const auto& link : dump.links) {
        check_link(link);
    }
    if (const auto link = diag::net::decode_newlink(bytes)) {
        check_link(*link);
    }
    const auto standard = diag::net::decode_stats_reply(bytes);
    for (const auto& stat : standard.stats) {
        require(stat.name.starts_with("eth-phy-") || stat.name.starts_with("eth-mac-") ||
                    stat.name.starts_with("eth-ctrl-") || stat.name.starts_with("rmon-"),
                "a standard statistic is named after its group");
    }
    require(!standard.error_number || standard.stats.empty(), "an error carries no statistics");
    static_cast<void>(diag::net::decode_family_id(bytes));

    // The first byte splits the rest into string names and 64-bit values.
    if (size > 1) {
        const std::size_t split = std::min<std::size_t>(size - 1, data[0] * std::size_t{8});
        const std::span<const char> strings(reinterpret_cast<const char*>(data) + 1, split);
        std::vector<std::uint64_t> values((size - 1 - split) / sizeof(std::uint64_t));
        if (!values.empty()) {  // memcpy with an empty vector's null data() is undefined
            std::memcpy(values.data(), data + 1 + split, values.size() * sizeof(std::uint64_t));
        }
        const auto stats = diag::net::pair_driver_stats(strings, values);
        const auto names = strings.size() / diag::net::kEthtoolStringLength;
        require(stats.stats.size() == std::min(names, values.size()), "pairs stop at the shorter");
        for (const auto& stat : stats.stats) {
            require(stat.name.size() <= diag::net::kEthtoolStringLength, "a name fits 32 bytes");
            require(stat.name.find('\0') == std::string::npos, "a name holds no NUL");
        }
    }
    return 0;
}
