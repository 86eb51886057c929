#include "diag/net/link_settings.hpp"

#include "diag/sys/text_fields.hpp"

#include <algorithm>
#include <array>
#include <cstring>

#include <fmt/format.h>

#include <linux/ethtool.h>

namespace diag::net {

namespace {

// enum ethtool_link_mode_bit_indices, include/uapi/linux/ethtool.h (Linux 6.1), bits 0 to 92,
// spelled as ethtool(8) prints them. Empty: a port, pause, autoneg or FEC bit, not a speed.
constexpr std::array<std::string_view, 93> kLinkModes{"10baseT/Half",
                                                      "10baseT/Full",
                                                      "100baseT/Half",
                                                      "100baseT/Full",
                                                      "1000baseT/Half",
                                                      "1000baseT/Full",
                                                      "",
                                                      "",
                                                      "",
                                                      "",
                                                      "",
                                                      "",
                                                      "10000baseT/Full",
                                                      "",
                                                      "",
                                                      "2500baseX/Full",
                                                      "",
                                                      "1000baseKX/Full",
                                                      "10000baseKX4/Full",
                                                      "10000baseKR/Full",
                                                      "",
                                                      "20000baseMLD2/Full",
                                                      "20000baseKR2/Full",
                                                      "40000baseKR4/Full",
                                                      "40000baseCR4/Full",
                                                      "40000baseSR4/Full",
                                                      "40000baseLR4/Full",
                                                      "56000baseKR4/Full",
                                                      "56000baseCR4/Full",
                                                      "56000baseSR4/Full",
                                                      "56000baseLR4/Full",
                                                      "25000baseCR/Full",
                                                      "25000baseKR/Full",
                                                      "25000baseSR/Full",
                                                      "50000baseCR2/Full",
                                                      "50000baseKR2/Full",
                                                      "100000baseKR4/Full",
                                                      "100000baseSR4/Full",
                                                      "100000baseCR4/Full",
                                                      "100000baseLR4_ER4/Full",
                                                      "50000baseSR2/Full",
                                                      "1000baseX/Full",
                                                      "10000baseCR/Full",
                                                      "10000baseSR/Full",
                                                      "10000baseLR/Full",
                                                      "10000baseLRM/Full",
                                                      "10000baseER/Full",
                                                      "2500baseT/Full",
                                                      "5000baseT/Full",
                                                      "",
                                                      "",
                                                      "",
                                                      "50000baseKR/Full",
                                                      "50000baseSR/Full",
                                                      "50000baseCR/Full",
                                                      "50000baseLR_ER_FR/Full",
                                                      "50000baseDR/Full",
                                                      "100000baseKR2/Full",
                                                      "100000baseSR2/Full",
                                                      "100000baseCR2/Full",
                                                      "100000baseLR2_ER2_FR2/Full",
                                                      "100000baseDR2/Full",
                                                      "200000baseKR4/Full",
                                                      "200000baseSR4/Full",
                                                      "200000baseLR4_ER4_FR4/Full",
                                                      "200000baseDR4/Full",
                                                      "200000baseCR4/Full",
                                                      "100baseT1/Full",
                                                      "1000baseT1/Full",
                                                      "400000baseKR8/Full",
                                                      "400000baseSR8/Full",
                                                      "400000baseLR8_ER8_FR8/Full",
                                                      "400000baseDR8/Full",
                                                      "400000baseCR8/Full",
                                                      "",
                                                      "100000baseKR/Full",
                                                      "100000baseSR/Full",
                                                      "100000baseLR_ER_FR/Full",
                                                      "100000baseCR/Full",
                                                      "100000baseDR/Full",
                                                      "200000baseKR2/Full",
                                                      "200000baseSR2/Full",
                                                      "200000baseLR2_ER2_FR2/Full",
                                                      "200000baseDR2/Full",
                                                      "200000baseCR2/Full",
                                                      "400000baseKR4/Full",
                                                      "400000baseSR4/Full",
                                                      "400000baseLR4_ER4_FR4/Full",
                                                      "400000baseDR4/Full",
                                                      "400000baseCR4/Full",
                                                      "100baseFX/Half",
                                                      "100baseFX/Full",
                                                      "10baseT1L/Full"};

// PORT_* in include/uapi/linux/ethtool.h, named as ethtool(8) prints them.
std::optional<std::string> port_name(unsigned port) {
    switch (port) {
        case PORT_TP:
            return "Twisted Pair";
        case PORT_AUI:
            return "AUI";
        case PORT_BNC:
            return "BNC";
        case PORT_MII:
            return "MII";
        case PORT_FIBRE:
            return "FIBRE";
        case PORT_DA:
            return "Direct Attach Copper";
        case PORT_NONE:
            return "None";
        case PORT_OTHER:
            return "Other";
        default:
            return std::nullopt;
    }
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
        text.remove_suffix(1);
    }
    return text;
}

// Adds the speed modes among the words of a link mode list line ("Not reported" adds nothing).
void add_modes(std::vector<std::string>& modes, std::string_view words) {
    for (auto word : sys::split_fields(words)) {
        if (link_mode_speed_mbps(word)) {
            modes.emplace_back(word);
        }
    }
}

}  // namespace

std::string_view link_mode_name(unsigned bit) {
    return bit < kLinkModes.size() ? kLinkModes.at(bit) : std::string_view{};
}

std::optional<std::uint32_t> link_mode_speed_mbps(std::string_view mode) {
    const auto base = mode.find("base");
    if (base == std::string_view::npos || base == 0) {
        return std::nullopt;
    }
    return sys::parse_uint(mode.substr(0, base)).transform([](std::uint64_t v) {
        return static_cast<std::uint32_t>(v);
    });
}

std::vector<std::string> link_modes_from_mask(std::span<const std::uint32_t> words) {
    std::vector<std::string> modes;
    constexpr unsigned kBitsPerWord = 32;
    for (std::size_t w = 0; w < words.size(); ++w) {
        for (unsigned b = 0; b < kBitsPerWord; ++b) {
            if ((words[w] & (1U << b)) == 0) {
                continue;
            }
            const auto name = link_mode_name(static_cast<unsigned>(w) * kBitsPerWord + b);
            if (!name.empty()) {
                modes.emplace_back(name);
            }
        }
    }
    return modes;
}

std::expected<LinkSettings, std::string> decode_link_settings(std::span<const std::byte> buffer) {
    ethtool_link_settings head{};
    if (buffer.size() < sizeof head) {
        return std::unexpected(fmt::format("answer of {} bytes is shorter than the {}-byte header",
                                           buffer.size(), sizeof head));
    }
    std::memcpy(&head, buffer.data(), sizeof head);
    if (head.link_mode_masks_nwords <= 0) {
        return std::unexpected("no link mode mask size was negotiated");
    }
    const auto words =
        static_cast<std::size_t>(static_cast<unsigned char>(head.link_mode_masks_nwords));
    const std::size_t needed = sizeof head + 3 * words * sizeof(std::uint32_t);
    if (buffer.size() < needed) {
        return std::unexpected(fmt::format(
            "answer of {} bytes is shorter than the {} its masks need", buffer.size(), needed));
    }
    std::vector<std::uint32_t> masks(3 * words);
    std::memcpy(masks.data(), buffer.data() + sizeof head, masks.size() * sizeof(std::uint32_t));
    const std::span<const std::uint32_t> all(masks);

    LinkSettings settings;
    if (head.speed != 0 && head.speed != static_cast<std::uint32_t>(SPEED_UNKNOWN)) {
        settings.speed_mbps = head.speed;
    }
    if (head.duplex == DUPLEX_HALF) {
        settings.duplex = Duplex::half;
    } else if (head.duplex == DUPLEX_FULL) {
        settings.duplex = Duplex::full;
    }
    settings.autoneg = head.autoneg == AUTONEG_ENABLE;
    settings.port = port_name(head.port);
    settings.supported = link_modes_from_mask(all.subspan(0, words));
    settings.advertised = link_modes_from_mask(all.subspan(words, words));
    settings.partner_advertised = link_modes_from_mask(all.subspan(2 * words, words));
    return settings;
}

LinkSettings parse_ethtool_settings_text(std::string_view text) {
    LinkSettings settings;
    std::vector<std::string>* list = nullptr;  // the mode list a continuation line belongs to
    for (auto raw : sys::split_lines(text)) {
        const auto line = trim(raw);
        const auto colon = line.find(':');
        if (colon == std::string_view::npos) {
            if (list != nullptr) {
                add_modes(*list, line);
            }
            continue;
        }
        list = nullptr;
        const auto key = line.substr(0, colon);
        const auto value = trim(line.substr(colon + 1));
        if (key == "Speed") {
            if (auto mbps = sys::parse_uint(value.substr(0, value.find("Mb/s")))) {
                settings.speed_mbps = static_cast<std::uint32_t>(*mbps);
            }
        } else if (key == "Duplex") {
            if (value == "Full") {
                settings.duplex = Duplex::full;
            } else if (value == "Half") {
                settings.duplex = Duplex::half;
            }
        } else if (key == "Auto-negotiation") {
            settings.autoneg = value == "on";
        } else if (key == "Port") {
            settings.port = std::string(value);
        } else if (key == "Supported link modes" || key == "Advertised link modes" ||
                   key == "Link partner advertised link modes") {
            list = key.starts_with("Supported")    ? &settings.supported
                   : key.starts_with("Advertised") ? &settings.advertised
                                                   : &settings.partner_advertised;
            add_modes(*list, value);
        }
    }
    return settings;
}

std::optional<std::uint32_t> best_common_speed_mbps(const std::vector<std::string>& ours,
                                                    const std::vector<std::string>& partner) {
    std::optional<std::uint32_t> best;
    for (const auto& mode : ours) {
        if (std::find(partner.begin(), partner.end(), mode) == partner.end()) {
            continue;
        }
        if (auto speed = link_mode_speed_mbps(mode); speed && (!best || *speed > *best)) {
            best = speed;
        }
    }
    return best;
}

}  // namespace diag::net
