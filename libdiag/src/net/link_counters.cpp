#include "diag/net/link_counters.hpp"

#include <algorithm>
#include <bit>

namespace diag::net {

namespace {

constexpr std::array<std::string_view, kLinkCounterCount> kNames{
    "rx_packets",          "tx_packets",        "rx_bytes",         "tx_bytes",
    "rx_errors",           "tx_errors",         "rx_dropped",       "tx_dropped",
    "multicast",           "collisions",        "rx_length_errors", "rx_over_errors",
    "rx_crc_errors",       "rx_frame_errors",   "rx_fifo_errors",   "rx_missed_errors",
    "tx_aborted_errors",   "tx_carrier_errors", "tx_fifo_errors",   "tx_heartbeat_errors",
    "tx_window_errors",    "rx_compressed",     "tx_compressed",    "rx_nohandler",
    "rx_otherhost_dropped"};

}  // namespace

std::array<LinkCounter, kLinkCounterCount> all_link_counters() {
    std::array<LinkCounter, kLinkCounterCount> counters{};
    for (std::size_t i = 0; i < kLinkCounterCount; ++i) {
        counters.at(i) = static_cast<LinkCounter>(i);
    }
    return counters;
}

std::string_view counter_name(LinkCounter counter) {
    return kNames.at(static_cast<std::size_t>(counter));
}

std::optional<LinkCounter> parse_counter_name(std::string_view name) {
    const auto* it = std::find(kNames.begin(), kNames.end(), name);
    if (it == kNames.end()) {
        return std::nullopt;
    }
    return static_cast<LinkCounter>(it - kNames.begin());
}

std::size_t LinkCounters::present_count() const {
    return static_cast<std::size_t>(std::popcount(present_));
}

}  // namespace diag::net
