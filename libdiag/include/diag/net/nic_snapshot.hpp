#pragma once

#include <diag/core/boxed_optional.hpp>
#include <diag/core/collected.hpp>
#include <diag/core/root.hpp>
#include <diag/net/driver_info.hpp>
#include <diag/net/driver_stats.hpp>
#include <diag/net/link_counters.hpp>
#include <diag/net/link_settings.hpp>
#include <diag/net/oper_state.hpp>
#include <diag/net/proc_net_dev.hpp>
#include <diag/net/softnet_stat.hpp>
#include <diag/sys/key_values.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace diag::net {

/// Where an interface's counters came from, best first.
enum class CounterSource { none, netlink, sysfs, proc_net_dev };

/// "netlink", "sysfs", "/proc/net/dev" or "none".
std::string_view to_string(CounterSource source);

/// Everything diag-nic learnt about one interface in one reading. Unknown is absent.
struct Interface {
    std::string name;
    std::optional<int> index;
    /// "veth", "bridge", "vlan", "bond", "tun", ... (IFLA_INFO_KIND, or uevent DEVTYPE in a
    /// captured tree); absent for most physical NICs and for lo.
    std::optional<std::string> kind;
    /// True when a bus device stands behind it (/sys/class/net/IF/device exists, or it is not
    /// under /sys/devices/virtual/net); absent when the tree does not tell.
    std::optional<bool> physical;
    /// Name of the bond, team or bridge it is a member of.
    std::optional<std::string> master;
    /// ARPHRD_* type: 1 Ethernet, 772 loopback.
    std::optional<unsigned> link_type;
    /// IFF_UP: administratively up.
    std::optional<bool> admin_up;
    std::optional<OperState> operstate;
    std::optional<bool> carrier;
    std::optional<std::uint32_t> carrier_changes;
    std::optional<std::uint32_t> carrier_up_count;
    std::optional<std::uint32_t> carrier_down_count;
    std::optional<std::uint32_t> mtu;
    LinkCounters counters;
    CounterSource counters_source = CounterSource::none;
    /// True when the counters are the 32-bit IFLA_STATS (they wrap at 2^32).
    bool counters_32bit = false;
    /// The /proc/net/dev line when that fallback was used: its summed columns (rx drop plus
    /// missed, frame group) are kept apart from the exact counters.
    /// On the heap, as the three below: most interfaces (every virtual one) have none of them.
    BoxedOptional<ProcNetDevRow> proc_net_dev;
    BoxedOptional<DriverInfo> driver;
    BoxedOptional<DriverStats> driver_stats;
    BoxedOptional<LinkSettings> settings;
};

/// One reading of every interface and of the stack-wide counters.
struct NicSnapshot {
    std::chrono::system_clock::time_point taken;
    /// Monotonic time of the reading, in seconds since an arbitrary start: rates use it.
    double monotonic_seconds = 0.0;
    std::vector<Interface> interfaces;
    std::optional<SoftnetStat> softnet;
    /// /proc/net/snmp and /proc/net/netstat together ("Tcp:RetransSegs").
    std::optional<sys::KeyValues> snmp;
    /// Seconds since boot; the kernel keeps no creation time for an interface, so counters are
    /// shown as "since boot". TODO(#4): an interface's own age where a source gives it.
    std::optional<double> uptime_seconds;

    /// The interface with that name; nullptr when there is none.
    [[nodiscard]] const Interface* find(std::string_view name) const;
};

/// Which interfaces diag-nic looks at.
struct NicSelection {
    /// Names given on the command line; when empty, physical interfaces (and all with --all).
    std::vector<std::string> names;
    /// Include virtual interfaces (veth, bridge, vlan, tun, lo, ...).
    bool all = false;

    /// True when the interface is to be shown. Without names: physical ones, ones whose nature
    /// is unknown (better shown than hidden), and with `all` every one.
    [[nodiscard]] bool selects(const Interface& interface) const;
};

/// How probe_nic reads.
struct NicProbeOptions {
    NicSelection selection;
    /// Ask drivers over ethtool ioctls (live machine only): driver, statistics, link settings.
    bool ethtool = true;
    /// Read link settings too (speed, duplex, modes); sampling reads them only once.
    bool link_settings = true;
};

/// Reads one snapshot through the root. On the live machine: one RTM_GETLINK dump (with
/// sysfs statistics as the fallback, then /proc/net/dev), ethtool ioctls on the selected
/// interfaces, and /proc/net/{softnet_stat,snmp,netstat}. Under a captured root: the sysfs
/// files and /proc/net files that exist, and `ethtool/IF/{statistics,driver,settings}` text
/// where the capture has it; what only a live machine gives is one info Issue. Every probe has
/// the root's deadline; a failing source adds an Issue and the rest goes on.
Collected<NicSnapshot> probe_nic(const Root& root, const NicProbeOptions& options);

}  // namespace diag::net
