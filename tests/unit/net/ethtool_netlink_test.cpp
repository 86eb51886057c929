// The ethtool netlink standard statistics decoder, on answers built here byte by byte in the
// layout net/ethtool/stats.c writes (nlmsghdr, genlmsghdr, ETHTOOL_A_STATS_HEADER, one
// ETHTOOL_A_STATS_GRP nest per group holding ETHTOOL_A_STATS_GRP_ID and one
// ETHTOOL_A_STATS_GRP_STAT nest per counter). veth has no standard statistics, so no live
// answer can be captured on this machine; the values are made up.

#include <diag/net/driver_stats.hpp>
#include <diag/net/ethtool_netlink.hpp>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include <linux/ethtool_netlink.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

namespace {

class Bytes {
public:
    void raw(const void* data, std::size_t size) {
        const auto* bytes = static_cast<const std::byte*>(data);
        data_.insert(data_.end(), bytes, bytes + size);
        while (data_.size() % 4 != 0) {
            data_.push_back(std::byte{0});
        }
    }
    std::size_t attribute(std::uint16_t type, const void* payload, std::size_t size) {
        const std::size_t start = data_.size();
        const nlattr header{static_cast<std::uint16_t>(sizeof(nlattr) + size), type};
        raw(&header, sizeof header);
        if (size > 0) {
            raw(payload, size);
        }
        return start;
    }
    template <class T>
    void value(std::uint16_t type, T v) {
        attribute(type, &v, sizeof v);
    }
    std::size_t nest(std::uint16_t type) {
        return attribute(static_cast<std::uint16_t>(type | NLA_F_NESTED), nullptr, 0);
    }
    void close(std::size_t start) {
        const auto length = static_cast<std::uint16_t>(data_.size() - start);
        std::memcpy(data_.data() + start, &length, sizeof length);
    }
    // The attributes so far, behind a netlink and a generic netlink header.
    [[nodiscard]] std::vector<std::byte> message(std::uint16_t type) const {
        nlmsghdr header{};
        header.nlmsg_len = static_cast<std::uint32_t>(NLMSG_HDRLEN + GENL_HDRLEN + data_.size());
        header.nlmsg_type = type;
        genlmsghdr generic{};
        generic.cmd = ETHTOOL_MSG_STATS_GET_REPLY;
        generic.version = ETHTOOL_GENL_VERSION;
        std::vector<std::byte> out(NLMSG_HDRLEN + GENL_HDRLEN);
        std::memcpy(out.data(), &header, sizeof header);
        std::memcpy(out.data() + NLMSG_HDRLEN, &generic, sizeof generic);
        out.insert(out.end(), data_.begin(), data_.end());
        return out;
    }

private:
    std::vector<std::byte> data_;
};

constexpr std::uint16_t kFamily = 27;  // any id: the decoder does not check it

void add_group(Bytes& bytes, std::uint32_t id,
               const std::vector<std::pair<std::uint16_t, std::uint64_t>>& counters) {
    const auto group = bytes.nest(ETHTOOL_A_STATS_GRP);
    bytes.value<std::uint32_t>(ETHTOOL_A_STATS_GRP_ID, id);
    bytes.value<std::uint32_t>(ETHTOOL_A_STATS_GRP_SS_ID, 20 + id);
    for (const auto& [index, value] : counters) {
        const auto stat = bytes.nest(ETHTOOL_A_STATS_GRP_STAT);
        bytes.value<std::uint64_t>(index, value);
        bytes.close(stat);
    }
    bytes.close(group);
}

Bytes reply_with_header() {
    Bytes bytes;
    const auto header = bytes.nest(ETHTOOL_A_STATS_HEADER);
    bytes.value<std::uint32_t>(ETHTOOL_A_HEADER_DEV_INDEX, 2);
    bytes.attribute(ETHTOOL_A_HEADER_DEV_NAME, "eth0", 5);
    bytes.close(header);
    return bytes;
}

std::optional<std::uint64_t> find(const diag::net::StandardStatsAnswer& answer,
                                  std::string_view name) {
    for (const auto& stat : answer.stats) {
        if (stat.name == name) {
            return stat.value;
        }
    }
    return std::nullopt;
}

}  // namespace

TEST_CASE("ethtool netlink: the phy, mac, ctrl and rmon groups are named as ethtool shows them") {
    auto bytes = reply_with_header();
    add_group(bytes, ETHTOOL_STATS_ETH_PHY, {{ETHTOOL_A_STATS_ETH_PHY_5_SYM_ERR, 17}});
    add_group(bytes, ETHTOOL_STATS_ETH_MAC,
              {{ETHTOOL_A_STATS_ETH_MAC_5_RX_PKT, 1000000},
               {ETHTOOL_A_STATS_ETH_MAC_6_FCS_ERR, 42},
               {ETHTOOL_A_STATS_ETH_MAC_7_ALIGN_ERR, 3},
               {ETHTOOL_A_STATS_ETH_MAC_10_LATE_COL, 5},
               {ETHTOOL_A_STATS_ETH_MAC_25_TOO_LONG_ERR, 9}});
    add_group(bytes, ETHTOOL_STATS_ETH_CTRL, {{ETHTOOL_A_STATS_ETH_CTRL_4_RX, 8}});
    add_group(bytes, ETHTOOL_STATS_RMON, {{ETHTOOL_A_STATS_RMON_JABBER, 2}});
    const auto answer = diag::net::decode_stats_reply(bytes.message(kFamily));

    CHECK_FALSE(answer.problem);
    CHECK_FALSE(answer.error_number);
    CHECK(answer.stats.size() == 8);
    CHECK(find(answer, "eth-phy-SymbolErrorDuringCarrier") == 17U);
    CHECK(find(answer, "eth-mac-FramesReceivedOK") == 1000000U);
    CHECK(find(answer, "eth-mac-FrameCheckSequenceErrors") == 42U);
    CHECK(find(answer, "eth-mac-AlignmentErrors") == 3U);
    CHECK(find(answer, "eth-mac-LateCollisions") == 5U);
    CHECK(find(answer, "eth-mac-FrameTooLongErrors") == 9U);
    CHECK(find(answer, "eth-ctrl-MACControlFramesReceived") == 8U);
    CHECK(find(answer, "rmon-etherStatsJabbers") == 2U);
}

TEST_CASE("ethtool netlink: the standard names are classified into the physical layer") {
    using diag::net::classify_driver_stat;
    using diag::net::DriverStatKind;
    CHECK(classify_driver_stat("eth-mac-FrameCheckSequenceErrors") == DriverStatKind::crc_errors);
    CHECK(classify_driver_stat("eth-mac-AlignmentErrors") == DriverStatKind::alignment_errors);
    CHECK(classify_driver_stat("eth-phy-SymbolErrorDuringCarrier") ==
          DriverStatKind::symbol_errors);
    CHECK(classify_driver_stat("eth-mac-LateCollisions") == DriverStatKind::late_collisions);
    CHECK_FALSE(classify_driver_stat("eth-mac-FramesReceivedOK"));
}

TEST_CASE("ethtool netlink: a driver without standard statistics answers EOPNOTSUPP") {
    struct {
        nlmsghdr header;
        nlmsgerr error;
    } message{};
    message.header.nlmsg_len = sizeof message;
    message.header.nlmsg_type = NLMSG_ERROR;
    message.error.error = -EOPNOTSUPP;
    const auto answer = diag::net::decode_stats_reply(std::as_bytes(std::span(&message, 1)));
    CHECK(answer.error_number == EOPNOTSUPP);
    CHECK(answer.stats.empty());
}

TEST_CASE("ethtool netlink: unknown groups and counters are skipped, a bad length is a problem") {
    auto bytes = reply_with_header();
    add_group(bytes, 31, {{0, 5}});  // a group from a later kernel
    add_group(bytes, ETHTOOL_STATS_ETH_PHY, {{ETHTOOL_A_STATS_ETH_PHY_5_SYM_ERR, 4}, {7, 1}});
    auto message = bytes.message(kFamily);
    // A last attribute whose length runs past the message.
    const nlattr broken{64, ETHTOOL_A_STATS_GRP};
    const auto* raw = reinterpret_cast<const std::byte*>(&broken);
    message.insert(message.end(), raw, raw + sizeof broken);
    nlmsghdr header{};
    std::memcpy(&header, message.data(), sizeof header);
    header.nlmsg_len = static_cast<std::uint32_t>(message.size());
    std::memcpy(message.data(), &header, sizeof header);

    const auto answer = diag::net::decode_stats_reply(message);
    REQUIRE(answer.stats.size() == 1);
    CHECK(answer.stats[0].name == "eth-phy-SymbolErrorDuringCarrier");
    CHECK(answer.stats[0].value == 4);
    REQUIRE(answer.problem);
    CHECK_THAT(*answer.problem, Catch::Contains("bad length"));
}

TEST_CASE("ethtool netlink: a truncated message is a problem, not a read past its end") {
    auto bytes = reply_with_header();
    add_group(bytes, ETHTOOL_STATS_ETH_PHY, {{ETHTOOL_A_STATS_ETH_PHY_5_SYM_ERR, 4}});
    const auto message = bytes.message(kFamily);
    const auto answer =
        diag::net::decode_stats_reply(std::span(message).first(message.size() - 12));
    CHECK(answer.stats.empty());
    CHECK(answer.problem);
}

TEST_CASE("ethtool netlink: the request names the interface and asks for all four groups") {
    const auto request = diag::net::build_stats_request(kFamily, "eth7", 9);
    nlmsghdr header{};
    std::memcpy(&header, request.data(), sizeof header);
    CHECK(header.nlmsg_len == request.size());
    CHECK(header.nlmsg_type == kFamily);
    CHECK(header.nlmsg_seq == 9);
    genlmsghdr generic{};
    std::memcpy(&generic, request.data() + NLMSG_HDRLEN, sizeof generic);
    CHECK(generic.cmd == ETHTOOL_MSG_STATS_GET);
    const std::string text(reinterpret_cast<const char*>(request.data()), request.size());
    CHECK(text.find(std::string("eth7\0", 5)) != std::string::npos);
    // The compact bitset's value: bits 0 to 3.
    const std::uint32_t groups = 0xf;
    CHECK(text.find(std::string(reinterpret_cast<const char*>(&groups), 4)) != std::string::npos);
}

TEST_CASE("ethtool netlink: the family id is read from the controller's answer") {
    Bytes bytes;
    bytes.attribute(CTRL_ATTR_FAMILY_NAME, "ethtool", 8);
    bytes.value<std::uint16_t>(CTRL_ATTR_FAMILY_ID, 21);
    CHECK(diag::net::decode_family_id(bytes.message(GENL_ID_CTRL)) == 21);

    Bytes none;
    none.attribute(CTRL_ATTR_FAMILY_NAME, "ethtool", 8);
    CHECK_FALSE(diag::net::decode_family_id(none.message(GENL_ID_CTRL)));
}
