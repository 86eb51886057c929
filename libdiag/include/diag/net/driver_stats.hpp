#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace diag::net {

/// One driver statistic, as `ethtool -S` shows it ("rx_missed", "port.rx_dropped").
struct DriverStat {
    std::string name;
    std::uint64_t value = 0;
};

/// A driver's statistics. Names are the driver's own and not unique: some drivers repeat a name,
/// so the list keeps every entry in the driver's order and repeated names are listed apart.
struct DriverStats {
    std::vector<DriverStat> stats;
    /// Names that occur more than once, each listed once.
    std::vector<std::string> repeated_names;
    /// Set when the input was not a statistics listing at all (such as "ERROR: 1").
    std::optional<std::string> error;
    /// Lines that were neither a section header nor "name: number".
    std::size_t skipped_lines = 0;

    /// The first entry with this name; nullopt when there is none.
    [[nodiscard]] std::optional<std::uint64_t> find(std::string_view name) const;
};

/// Parses the text of `ethtool -S IF` (ethtool 6.x). The listing must start with a
/// "NIC statistics:" line (other "...statistics:" or "... stats ...:" section headers may
/// follow); lines starting with '#' are comments. A name is everything before the last colon,
/// so names with dots or spaces ("port.rx_dropped", "duplicate metric") are kept as written.
DriverStats parse_ethtool_stats_text(std::string_view text);

/// Length of one name in an ETHTOOL_GSTRINGS answer (ETH_GSTRING_LEN, include/uapi/linux/
/// ethtool.h): NUL-padded, not NUL-terminated when exactly this long.
inline constexpr std::size_t kEthtoolStringLength = 32;

/// Pairs the names of an ETHTOOL_GSTRINGS(ETH_SS_STATS) answer with the values of an
/// ETHTOOL_GSTATS answer, entry by entry. When the two counts differ (the driver changed its
/// set between the calls) only the common prefix is paired.
DriverStats pair_driver_stats(std::span<const char> strings, std::span<const std::uint64_t> values);

/// The layer a driver statistic speaks for, recognised from common driver names (e1000e, igb,
/// ixgbe, i40e, ice, mlx5, bnxt, virtio_net): what link counters do not always carry.
enum class DriverStatKind {
    crc_errors,
    alignment_errors,
    symbol_errors,
    late_collisions,
    rx_missed,
    rx_no_buffer,
};

/// The kind of a driver statistic by its name; nullopt for everything else, including
/// per-queue and XDP counters.
std::optional<DriverStatKind> classify_driver_stat(std::string_view name);

}  // namespace diag::net
