#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace diag::net {

/// Duplex of a link (DUPLEX_HALF, DUPLEX_FULL in include/uapi/linux/ethtool.h).
enum class Duplex { half, full };

/// Speed, duplex and negotiation of a link, from ETHTOOL_GLINKSETTINGS or `ethtool IF` text.
/// Values the driver reports as unknown (SPEED_UNKNOWN, DUPLEX_UNKNOWN) are absent.
struct LinkSettings {
    std::optional<std::uint32_t> speed_mbps;
    std::optional<Duplex> duplex;
    std::optional<bool> autoneg;
    /// "Twisted Pair", "FIBRE", "Direct Attach Copper", ... as ethtool names PORT_*.
    std::optional<std::string> port;
    /// Link modes in ethtool's spelling ("1000baseT/Full"); non-speed bits such as "Autoneg"
    /// or "Pause" are left out.
    std::vector<std::string> supported;
    std::vector<std::string> advertised;
    /// What the link partner advertised in autonegotiation; empty when unknown.
    std::vector<std::string> partner_advertised;
};

/// The ethtool name of a link mode bit (enum ethtool_link_mode_bit_indices,
/// include/uapi/linux/ethtool.h, Linux 6.1); empty for bits that are not a speed mode or that
/// this table does not know.
std::string_view link_mode_name(unsigned bit);

/// The speed in Mb/s that a link mode name stands for: "2500baseT/Full" is 2500.
std::optional<std::uint32_t> link_mode_speed_mbps(std::string_view mode);

/// Speed modes whose bit is set in a mask of 32-bit words (bit n in word n / 32).
std::vector<std::string> link_modes_from_mask(std::span<const std::uint32_t> words);

/// Decodes a successful ETHTOOL_GLINKSETTINGS answer: struct ethtool_link_settings followed by
/// its three link mode masks (supported, advertising, lp_advertising) of
/// link_mode_masks_nwords words each. Fails when the buffer is shorter than that says.
std::expected<LinkSettings, std::string> decode_link_settings(std::span<const std::byte> buffer);

/// Parses the text of `ethtool IF` ("Speed: 1000Mb/s", "Duplex: Full", the link mode lists with
/// their continuation lines). Lines it does not know are ignored, such as a
/// "netlink error: ..." mixed into the output.
LinkSettings parse_ethtool_settings_text(std::string_view text);

/// The fastest speed both ends can do: the best mode in `ours` that is also in `partner`, by
/// name. nullopt when they share none.
std::optional<std::uint32_t> best_common_speed_mbps(const std::vector<std::string>& ours,
                                                    const std::vector<std::string>& partner);

}  // namespace diag::net
