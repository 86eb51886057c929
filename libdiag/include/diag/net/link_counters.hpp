#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace diag::net {

/// The 25 counters of struct rtnl_link_stats64, in the kernel's order (include/uapi/linux/
/// if_link.h, Linux 6.0+). Older kernels send a shorter struct: rx_nohandler arrived in 4.6,
/// rx_otherhost_dropped in 6.0. The names are the file names under
/// /sys/class/net/IF/statistics/ (Documentation/ABI/testing/sysfs-class-net-statistics);
/// rx_otherhost_dropped has no file there and comes only over netlink.
enum class LinkCounter : std::uint8_t {
    rx_packets,
    tx_packets,
    rx_bytes,
    tx_bytes,
    rx_errors,
    tx_errors,
    rx_dropped,
    tx_dropped,
    multicast,
    collisions,
    rx_length_errors,
    rx_over_errors,
    rx_crc_errors,
    rx_frame_errors,
    rx_fifo_errors,
    rx_missed_errors,
    tx_aborted_errors,
    tx_carrier_errors,
    tx_fifo_errors,
    tx_heartbeat_errors,
    tx_window_errors,
    rx_compressed,
    tx_compressed,
    rx_nohandler,
    rx_otherhost_dropped,
};

/// Number of LinkCounter values.
inline constexpr std::size_t kLinkCounterCount = 25;

/// Every counter in kernel order, for loops.
std::array<LinkCounter, kLinkCounterCount> all_link_counters();

/// "rx_crc_errors": the sysfs file name of a counter.
std::string_view counter_name(LinkCounter counter);

/// The counter a sysfs statistics file name stands for; nullopt for names diag does not know.
std::optional<LinkCounter> parse_counter_name(std::string_view name);

/// One reading of an interface's counters. A counter the source did not give is absent, never 0.
/// Held as the values and a bit per counter saying it is present: 208 bytes where an array of
/// optionals takes 400, which a box with hundreds of interfaces pays several times over.
class LinkCounters {
public:
    /// The counter's value; nullopt when the source did not give it.
    [[nodiscard]] std::optional<std::uint64_t> get(LinkCounter counter) const {
        const auto i = static_cast<std::size_t>(counter);
        if ((present_ & bit(i)) == 0) {
            return std::nullopt;
        }
        return values_.at(i);
    }
    void set(LinkCounter counter, std::uint64_t value) {
        const auto i = static_cast<std::size_t>(counter);
        values_.at(i) = value;
        present_ |= bit(i);
    }
    /// How many counters are present.
    [[nodiscard]] std::size_t present_count() const;

private:
    static constexpr std::uint32_t bit(std::size_t i) { return std::uint32_t{1} << i; }

    std::array<std::uint64_t, kLinkCounterCount> values_{};
    std::uint32_t present_ = 0;
    static_assert(kLinkCounterCount <= 32, "one bit per counter in present_");
};

}  // namespace diag::net
