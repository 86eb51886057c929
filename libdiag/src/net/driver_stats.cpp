#include "diag/net/driver_stats.hpp"

#include "diag/sys/text_fields.hpp"

#include <algorithm>
#include <cctype>
#include <set>

namespace diag::net {

namespace {

std::string_view trim(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())) != 0) {
        text.remove_prefix(1);
    }
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())) != 0) {
        text.remove_suffix(1);
    }
    return text;
}

void note_repeats(DriverStats& out) {
    std::set<std::string_view> seen;
    std::set<std::string_view> repeated;
    for (const auto& stat : out.stats) {
        if (!seen.insert(stat.name).second) {
            repeated.insert(stat.name);
        }
    }
    out.repeated_names.assign(repeated.begin(), repeated.end());
}

bool contains(std::string_view text, std::string_view part) {
    return text.find(part) != std::string_view::npos;
}

}  // namespace

std::optional<std::uint64_t> DriverStats::find(std::string_view name) const {
    const auto it =
        std::find_if(stats.begin(), stats.end(), [&](const auto& s) { return s.name == name; });
    return it == stats.end() ? std::nullopt : std::optional(it->value);
}

DriverStats parse_ethtool_stats_text(std::string_view text) {
    DriverStats out;
    bool in_listing = false;
    for (auto raw : sys::split_lines(text)) {
        const auto line = trim(raw);
        if (line.empty() || line.starts_with('#')) {
            continue;
        }
        const auto colon = line.rfind(':');
        const auto value_text =
            colon == std::string_view::npos ? line : trim(line.substr(colon + 1));
        if (colon != std::string_view::npos && value_text.empty()) {
            // A section header: "NIC statistics:", "Standard stats for eth0:".
            in_listing = in_listing || line.starts_with("NIC statistics");
            continue;
        }
        if (!in_listing) {
            out.error = std::string(line);
            return out;
        }
        const auto value = sys::parse_uint(value_text);
        const auto name =
            colon == std::string_view::npos ? std::string_view{} : trim(line.substr(0, colon));
        if (!value || name.empty()) {
            ++out.skipped_lines;
            continue;
        }
        out.stats.push_back({std::string(name), *value});
    }
    if (!in_listing && !out.error) {
        out.error = "no \"NIC statistics:\" listing";
    }
    note_repeats(out);
    return out;
}

DriverStats pair_driver_stats(std::span<const char> strings,
                              std::span<const std::uint64_t> values) {
    DriverStats out;
    const std::size_t count = std::min(strings.size() / kEthtoolStringLength, values.size());
    for (std::size_t i = 0; i < count; ++i) {
        const auto slot = strings.subspan(i * kEthtoolStringLength, kEthtoolStringLength);
        const auto end = std::find(slot.begin(), slot.end(), '\0');
        out.stats.push_back({std::string(slot.begin(), end), values[i]});
    }
    note_repeats(out);
    return out;
}

std::optional<DriverStatKind> classify_driver_stat(std::string_view name) {
    std::string lower(name);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    // Per-queue, per-priority and XDP counters describe one queue, not the port.
    if (contains(lower, "queue") || contains(lower, "xdp") || contains(lower, "prio")) {
        return std::nullopt;
    }
    if (contains(lower, "symbol_err") || contains(lower, "symbolerr") ||
        contains(lower, "rx_symbol")) {
        return DriverStatKind::symbol_errors;
    }
    if (contains(lower, "align")) {
        return DriverStatKind::alignment_errors;
    }
    if (contains(lower, "late_coll") || contains(lower, "latecoll")) {
        return DriverStatKind::late_collisions;
    }
    // "eth-mac-FrameCheckSequenceErrors": the ethtool netlink standard group (IEEE 802.3
    // 30.3.1.1.6 aFrameCheckSequenceErrors).
    if (contains(lower, "crc_err") || contains(lower, "fcs_err") || contains(lower, "rx_crc") ||
        contains(lower, "framechecksequence")) {
        return DriverStatKind::crc_errors;
    }
    if (contains(lower, "rx_missed")) {
        return DriverStatKind::rx_missed;
    }
    if (contains(lower, "no_buffer") || contains(lower, "out_of_buffer") ||
        contains(lower, "no_dma_resources") || contains(lower, "rx_discards_phy") ||
        lower == "port.rx_dropped") {
        return DriverStatKind::rx_no_buffer;
    }
    return std::nullopt;
}

}  // namespace diag::net
