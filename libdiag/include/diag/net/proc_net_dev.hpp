#pragma once

#include <diag/net/link_counters.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace diag::net {

/// One interface line of /proc/net/dev, its 16 columns as the kernel prints them. Several columns
/// are sums (dev_seq_printf_stats in net/core/net-procfs.c): rx "drop" is rx_dropped plus
/// rx_missed_errors, rx "frame" is length + over + crc + frame errors, tx "carrier" is carrier +
/// aborted + window + heartbeat errors. Those stay sums here and are never passed off as one
/// counter.
struct ProcNetDevRow {
    std::string name;
    std::uint64_t rx_bytes = 0;
    std::uint64_t rx_packets = 0;
    std::uint64_t rx_errors = 0;
    std::uint64_t rx_dropped_and_missed = 0;
    std::uint64_t rx_fifo = 0;
    std::uint64_t rx_frame_group = 0;
    std::uint64_t rx_compressed = 0;
    std::uint64_t rx_multicast = 0;
    std::uint64_t tx_bytes = 0;
    std::uint64_t tx_packets = 0;
    std::uint64_t tx_errors = 0;
    std::uint64_t tx_dropped = 0;
    std::uint64_t tx_fifo = 0;
    std::uint64_t tx_collisions = 0;
    std::uint64_t tx_carrier_group = 0;
    std::uint64_t tx_compressed = 0;

    /// The columns that are exactly one kernel counter, as LinkCounters; the sums stay absent.
    [[nodiscard]] LinkCounters exact_counters() const;
};

/// What parse_proc_net_dev got.
struct ProcNetDev {
    std::vector<ProcNetDevRow> rows;
    /// Lines that were neither a header nor a well-formed interface line.
    std::size_t skipped_lines = 0;
};

/// Parses /proc/net/dev. The name ends at the last colon of the line, so names that hold a colon
/// ("ibr10:30") work, and numbers may follow the colon without a space ("eth0:68210035552", as
/// kernels before 2.6.35 or so printed wide counters). A line needs all 16 numbers.
ProcNetDev parse_proc_net_dev(std::string_view text);

}  // namespace diag::net
