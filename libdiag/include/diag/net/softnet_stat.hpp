#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace diag::net {

/// One line of /proc/net/softnet_stat: the receive backlog of one online CPU. Every column is a
/// 32-bit counter printed as 8 hex digits, so it wraps at 2^32.
///
/// Layouts, from softnet_seq_show() in net/core/net-procfs.c:
///  - 11 columns (Linux 3.11 to 5.9): processed, dropped, time_squeeze, five zeros (were
///    fastroute), a zero (was cpu_collision), received_rps, flow_limit_count. Lines are only
///    printed for online CPUs, and nothing says which CPU a line is.
///  - 13 columns (Linux 5.10 to 6.3, commit "net-sysfs: add backlog len and CPU id to softnet
///    data"): the same, then backlog length (input plus process queue) and the CPU id.
///  - 15 columns (Linux 6.4 on, "net-sysfs: display two backlog queue len separately"): the
///    same, then the input_pkt_queue length and the process_queue length.
/// Older kernels printed 9 or 10 columns (before received_rps in 2.6.35 and flow_limit_count in
/// 3.11); the first three columns are read from any line that has them.
struct SoftnetCpu {
    /// The CPU id from column 13; absent in the 11-column layout.
    std::optional<unsigned> cpu;
    /// Line number, 0 for the first line: the CPU id only when no CPU was offline.
    unsigned line = 0;
    /// Frames taken off the backlog and processed.
    std::uint32_t processed = 0;
    /// Frames dropped because the backlog was full (net.core.netdev_max_backlog).
    std::uint32_t dropped = 0;
    /// Times net_rx_action stopped with work left (netdev_budget or netdev_budget_usecs).
    std::uint32_t time_squeeze = 0;
    std::optional<std::uint32_t> received_rps;
    std::optional<std::uint32_t> flow_limit_count;
    std::optional<std::uint32_t> backlog_length;
    std::optional<std::uint32_t> input_queue_length;
    std::optional<std::uint32_t> process_queue_length;
};

/// What parse_softnet_stat got.
struct SoftnetStat {
    std::vector<SoftnetCpu> cpus;
    /// Columns of the widest line (11, 13 or 15 on the kernels above).
    std::size_t columns = 0;
    /// Lines that were not hex numbers or had fewer than three columns.
    std::size_t skipped_lines = 0;
};

/// Parses /proc/net/softnet_stat in any of the layouts above.
SoftnetStat parse_softnet_stat(std::string_view text);

/// The increase of a 32-bit softnet counter from `before` to `after`, allowing one wrap.
std::uint64_t softnet_delta(std::uint32_t before, std::uint32_t after);

}  // namespace diag::net
