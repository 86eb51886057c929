#pragma once

// Readers of /sys/class/net for probe_nic; internal to libdiag.

#include "diag/core/collected.hpp"
#include "diag/core/root.hpp"
#include "diag/net/nic_snapshot.hpp"

#include <set>
#include <string>
#include <vector>

namespace diag::net::detail {

/// The Issue for a failed read: a file missing from a captured tree is an info-level gap.
Issue read_issue(const Root& root, const Error& error);

/// The first line of a small sysfs or proc file, without its newline; nullopt when it cannot be
/// read. EINVAL (a down link's speed or carrier) and ENOENT are quietly absent; other errors
/// are added to `issues` when it is given.
std::optional<std::string> read_line(const Root& root, const std::string& path,
                                     std::vector<Issue>* issues = nullptr);

/// Fills state and counters of one interface from /sys/class/net/IF: operstate, carrier,
/// carrier_changes and its up/down counts, mtu, flags (IFF_UP), type, master, uevent's DEVTYPE,
/// and with `counters` every file under statistics/.
void read_sysfs_interface(const Root& root, Interface& interface, bool counters,
                          std::vector<Issue>& issues);

/// Sets `physical` on each interface. Live: an interface under /sys/devices/virtual/net, of
/// loopback type or with a link kind is virtual, one listed in /sys/class/net otherwise
/// physical. Captured: a `device` link or a class link into /sys/devices/ (not virtual) means
/// physical. Otherwise it stays unknown.
void classify_interfaces(const Root& root, std::vector<Interface>& interfaces,
                         const std::set<std::string, std::less<>>& class_names);

/// Members named in /sys/class/net/BOND/bonding/slaves get that bond as master.
void read_bond_members(const Root& root, std::vector<Interface>& interfaces);

}  // namespace diag::net::detail
