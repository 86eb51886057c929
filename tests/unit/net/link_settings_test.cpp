#include "support/shared_data.hpp"

#include <diag/net/link_settings.hpp>

#include <array>
#include <cstring>
#include <vector>

#include <catch2/catch.hpp>

#include <linux/ethtool.h>

using diag::net::Duplex;

TEST_CASE("ethtool text: settings of an e1000e with a netlink error mixed in") {
    const auto text = diag::test::read_file(
        diag::test::require_shared_data("sysfs-fixtures/node_exporter/ethtool/eth0/settings"));
    const auto settings = diag::net::parse_ethtool_settings_text(text);
    CHECK(settings.speed_mbps == 1000U);
    CHECK(settings.duplex == Duplex::full);
    CHECK(settings.autoneg == true);
    CHECK(settings.port == "Twisted Pair");
    CHECK(settings.supported == std::vector<std::string>{"10baseT/Half", "10baseT/Full",
                                                         "100baseT/Half", "100baseT/Full",
                                                         "1000baseT/Full", "10000baseT/Full"});
    CHECK(settings.advertised.size() == 5);
    CHECK(settings.partner_advertised.empty());
}

TEST_CASE("ethtool text: a veth says 10000Mb/s full with no link modes") {
    const auto text = diag::test::read_file(diag::test::require_shared_data(
        "sysfs-fixtures/captured-veth-linux-6.18/t1/nsA/ethtool.txt"));
    const auto settings = diag::net::parse_ethtool_settings_text(text);
    CHECK(settings.speed_mbps == 10000U);
    CHECK(settings.duplex == Duplex::full);
    CHECK(settings.autoneg == false);
    CHECK(settings.supported.empty());
}

TEST_CASE("link modes: speed from the name, names from mask bits") {
    CHECK(diag::net::link_mode_speed_mbps("2500baseT/Full") == 2500U);
    CHECK(diag::net::link_mode_speed_mbps("100000baseLR4_ER4/Full") == 100000U);
    CHECK_FALSE(diag::net::link_mode_speed_mbps("Autoneg").has_value());
    CHECK(diag::net::link_mode_name(ETHTOOL_LINK_MODE_1000baseT_Full_BIT) == "1000baseT/Full");
    CHECK(diag::net::link_mode_name(ETHTOOL_LINK_MODE_25000baseSR_Full_BIT) == "25000baseSR/Full");
    CHECK(diag::net::link_mode_name(ETHTOOL_LINK_MODE_Pause_BIT).empty());
    const std::array<std::uint32_t, 2> mask{(1U << 3) | (1U << 6), 1U << (33 - 32)};
    CHECK(diag::net::link_modes_from_mask(mask) ==
          std::vector<std::string>{"100baseT/Full", "25000baseSR/Full"});
}

TEST_CASE("link modes: the best speed both ends share") {
    const std::vector<std::string> ours{"100baseT/Full", "1000baseT/Full", "10000baseT/Full"};
    const std::vector<std::string> partner{"100baseT/Full", "1000baseT/Full"};
    CHECK(diag::net::best_common_speed_mbps(ours, partner) == 1000U);
    CHECK_FALSE(diag::net::best_common_speed_mbps(ours, {}).has_value());
}

TEST_CASE("GLINKSETTINGS: an answer with three one-word masks decodes") {
    ethtool_link_settings head{};
    head.cmd = ETHTOOL_GLINKSETTINGS;
    head.speed = 100;
    head.duplex = DUPLEX_HALF;
    head.port = PORT_TP;
    head.autoneg = AUTONEG_ENABLE;
    head.link_mode_masks_nwords = 1;
    const std::array<std::uint32_t, 3> masks{(1U << 2) | (1U << 3) | (1U << 5), 1U << 2,
                                             (1U << 3) | (1U << 5)};
    std::vector<std::byte> buffer(sizeof head + sizeof masks);
    std::memcpy(buffer.data(), &head, sizeof head);
    std::memcpy(buffer.data() + sizeof head, masks.data(), sizeof masks);

    const auto settings = diag::net::decode_link_settings(buffer);
    REQUIRE(settings.has_value());
    CHECK(settings->speed_mbps == 100U);
    CHECK(settings->duplex == Duplex::half);
    CHECK(settings->autoneg == true);
    CHECK(settings->port == "Twisted Pair");
    CHECK(settings->supported.size() == 3);
    CHECK(settings->advertised == std::vector<std::string>{"100baseT/Half"});
    CHECK(diag::net::best_common_speed_mbps(settings->supported, settings->partner_advertised) ==
          1000U);

    SECTION("unknown speed and duplex are absent") {
        head.speed = static_cast<std::uint32_t>(SPEED_UNKNOWN);
        head.duplex = DUPLEX_UNKNOWN;
        std::memcpy(buffer.data(), &head, sizeof head);
        const auto unknown = diag::net::decode_link_settings(buffer);
        REQUIRE(unknown.has_value());
        CHECK_FALSE(unknown->speed_mbps.has_value());
        CHECK_FALSE(unknown->duplex.has_value());
    }
    SECTION("a buffer cut short is refused with the sizes") {
        buffer.resize(sizeof head + 4);
        const auto cut = diag::net::decode_link_settings(buffer);
        REQUIRE_FALSE(cut.has_value());
        CHECK(cut.error().find("shorter") != std::string::npos);
    }
}
