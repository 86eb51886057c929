#include <diag/net/link_message.hpp>

#include <cstring>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include <linux/if.h>
#include <linux/if_arp.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

using diag::net::LinkCounter;
using diag::net::OperState;

namespace {

// Builds netlink messages byte by byte, as the kernel lays them out (netlink(7)).
class MessageBuilder {
public:
    template <class T>
    void append(const T& value) {
        const auto* bytes = reinterpret_cast<const std::byte*>(&value);
        data_.insert(data_.end(), bytes, bytes + sizeof value);
    }
    void append_bytes(const void* source, std::size_t size) {
        const auto* bytes = static_cast<const std::byte*>(source);
        data_.insert(data_.end(), bytes, bytes + size);
    }
    void pad() {
        while (data_.size() % 4 != 0) {
            data_.push_back(std::byte{0});
        }
    }
    // An attribute with a raw payload; returns its offset so a nest can be closed later.
    std::size_t attribute(unsigned short type, const void* payload, std::size_t size) {
        const std::size_t start = data_.size();
        rtattr header{static_cast<unsigned short>(sizeof(rtattr) + size), type};
        append(header);
        append_bytes(payload, size);
        pad();
        return start;
    }
    template <class T>
    void attribute_value(unsigned short type, const T& value) {
        attribute(type, &value, sizeof value);
    }
    void attribute_string(unsigned short type, const std::string& text) {
        attribute(type, text.c_str(), text.size() + 1);
    }
    std::size_t begin_nest(unsigned short type) { return attribute(type, nullptr, 0); }
    void end_nest(std::size_t start) {
        const auto length = static_cast<unsigned short>(data_.size() - start);
        std::memcpy(data_.data() + start, &length, sizeof length);
    }
    std::size_t begin_message(unsigned short type) {
        const std::size_t start = data_.size();
        nlmsghdr header{};
        header.nlmsg_type = type;
        header.nlmsg_flags = NLM_F_MULTI;
        append(header);
        return start;
    }
    void end_message(std::size_t start) {
        const auto length = static_cast<std::uint32_t>(data_.size() - start);
        std::memcpy(data_.data() + start, &length, sizeof length);
    }
    [[nodiscard]] const std::vector<std::byte>& bytes() const { return data_; }
    [[nodiscard]] std::vector<std::byte> body_from(std::size_t start) const {
        return {data_.begin() + static_cast<long>(start + sizeof(nlmsghdr)), data_.end()};
    }
    std::vector<std::byte>& raw() { return data_; }

private:
    std::vector<std::byte> data_;
};

// One RTM_NEWLINK for a veth, with `stats_fields` u64 counters valued 100 + field index.
std::size_t add_veth(MessageBuilder& b, int index, const std::string& name,
                     std::size_t stats_fields) {
    const auto start = b.begin_message(RTM_NEWLINK);
    ifinfomsg info{};
    info.ifi_family = AF_UNSPEC;
    info.ifi_type = ARPHRD_ETHER;
    info.ifi_index = index;
    info.ifi_flags = IFF_UP | IFF_LOWER_UP | IFF_BROADCAST;
    b.append(info);
    b.attribute_string(IFLA_IFNAME, name);
    b.attribute_value(IFLA_MTU, std::uint32_t{1500});
    b.attribute_value(IFLA_OPERSTATE, std::uint8_t{IF_OPER_UP});
    b.attribute_value(IFLA_CARRIER, std::uint8_t{1});
    b.attribute_value(IFLA_CARRIER_CHANGES, std::uint32_t{12});
    b.attribute_value(IFLA_CARRIER_UP_COUNT, std::uint32_t{6});
    b.attribute_value(IFLA_CARRIER_DOWN_COUNT, std::uint32_t{6});
    b.attribute_value(IFLA_MASTER, std::uint32_t{9});
    b.attribute_value(IFLA_LINK, std::uint32_t{6});
    const auto linkinfo = b.begin_nest(IFLA_LINKINFO | NLA_F_NESTED);
    b.attribute_string(IFLA_INFO_KIND, "veth");
    b.attribute_string(IFLA_INFO_SLAVE_KIND, "bridge");
    b.end_nest(linkinfo);
    std::vector<std::uint64_t> stats(stats_fields);
    for (std::size_t i = 0; i < stats.size(); ++i) {
        stats[i] = 100 + i;
    }
    b.attribute(IFLA_STATS64, stats.data(), stats.size() * sizeof(std::uint64_t));
    b.end_message(start);
    return start;
}

}  // namespace

TEST_CASE("RTM_NEWLINK: a Linux 6.x veth message decodes every attribute diag reads") {
    MessageBuilder b;
    const auto start = add_veth(b, 5, "vb", 25);
    const auto link = diag::net::decode_newlink(b.body_from(start));
    REQUIRE(link.has_value());
    CHECK_FALSE(link->problem.has_value());
    CHECK(link->index == 5);
    CHECK(link->type == ARPHRD_ETHER);
    CHECK((link->flags & IFF_LOWER_UP) != 0);
    CHECK(link->name == "vb");
    CHECK(link->mtu == 1500U);
    CHECK(link->operstate == OperState::up);
    CHECK(link->carrier == true);
    CHECK(link->carrier_changes == 12U);
    CHECK(link->carrier_up_count == 6U);
    CHECK(link->carrier_down_count == 6U);
    CHECK(link->master_index == 9);
    CHECK(link->link_index == 6);
    CHECK(link->kind == "veth");
    CHECK(link->slave_kind == "bridge");
    CHECK(link->stats_fields == 25);
    CHECK(link->stats.get(LinkCounter::rx_packets) == 100U);
    CHECK(link->stats.get(LinkCounter::rx_crc_errors) == 112U);
    CHECK(link->stats.get(LinkCounter::rx_otherhost_dropped) == 124U);
}

TEST_CASE("RTM_NEWLINK: an older kernel's shorter IFLA_STATS64 leaves the new counters absent") {
    // Linux 4.6 to 5.19: 24 fields, no rx_otherhost_dropped. Before 4.6: 23, no rx_nohandler.
    for (std::size_t fields : {std::size_t{24}, std::size_t{23}}) {
        MessageBuilder one;
        const auto start = add_veth(one, 2, "eth0", fields);
        const auto link = diag::net::decode_newlink(one.body_from(start));
        REQUIRE(link.has_value());
        CHECK(link->stats_fields == fields);
        CHECK(link->stats.get(LinkCounter::tx_compressed) == 122U);
        CHECK_FALSE(link->stats.get(LinkCounter::rx_otherhost_dropped).has_value());
        CHECK(link->stats.get(LinkCounter::rx_nohandler).has_value() == (fields == 24));
    }
}

TEST_CASE("RTM_NEWLINK: an attribute running past the message keeps what came before") {
    MessageBuilder b;
    const auto start = b.begin_message(RTM_NEWLINK);
    ifinfomsg info{};
    info.ifi_index = 3;
    b.append(info);
    b.attribute_string(IFLA_IFNAME, "eth3");
    rtattr broken{200, IFLA_MTU};
    b.append(broken);
    b.end_message(start);
    const auto link = diag::net::decode_newlink(b.body_from(start));
    REQUIRE(link.has_value());
    CHECK(link->name == "eth3");
    CHECK_FALSE(link->mtu.has_value());
    REQUIRE(link->problem.has_value());
    CHECK(link->problem->find("bad length 200") != std::string::npos);
}

TEST_CASE("RTM_NEWLINK: a message too short for ifinfomsg is refused") {
    const std::vector<std::byte> tiny(4);
    CHECK_FALSE(diag::net::decode_newlink(tiny).has_value());
}

TEST_CASE("link dump: two links then NLMSG_DONE in one buffer") {
    MessageBuilder b;
    add_veth(b, 5, "va", 25);
    add_veth(b, 6, "vb", 25);
    const auto done = b.begin_message(NLMSG_DONE);
    b.append(0);
    b.end_message(done);
    const auto part = diag::net::decode_link_dump(b.bytes());
    CHECK(part.done);
    CHECK_FALSE(part.error_number.has_value());
    CHECK(part.problems.empty());
    REQUIRE(part.links.size() == 2);
    CHECK(part.links[0].name == "va");
    CHECK(part.links[1].name == "vb");
}

TEST_CASE("link dump: NLMSG_ERROR ends the dump with its errno") {
    MessageBuilder b;
    const auto error = b.begin_message(NLMSG_ERROR);
    nlmsgerr body{};
    body.error = -EPERM;
    b.append(body);
    b.end_message(error);
    const auto part = diag::net::decode_link_dump(b.bytes());
    CHECK(part.done);
    CHECK(part.error_number == EPERM);
}

TEST_CASE("link dump: a buffer cut inside a message reports it and keeps earlier links") {
    MessageBuilder b;
    add_veth(b, 5, "va", 25);
    add_veth(b, 6, "vb", 25);
    auto bytes = b.bytes();
    bytes.resize(bytes.size() - 20);
    const auto part = diag::net::decode_link_dump(bytes);
    CHECK_FALSE(part.done);
    REQUIRE(part.links.size() == 1);
    CHECK(part.links[0].name == "va");
    REQUIRE(part.problems.size() == 1);
}
