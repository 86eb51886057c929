#include "diag/core/unique_fd.hpp"
#include "diag/net/ethtool_probe.hpp"
#include "diag/net/link_dump.hpp"
#include "diag/net/nic_snapshot.hpp"
#include "diag/sys/loadavg.hpp"
#include "diag/sys/text_fields.hpp"
#include "sysfs_link.hpp"

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <linux/if.h>
#include <linux/if_arp.h>
#include <sys/socket.h>
#include <sys/utsname.h>

namespace diag::net {

namespace {

using NameSet = std::set<std::string, std::less<>>;

Interface named_interface(const std::string& name) {
    Interface interface;
    interface.name = name;
    return interface;
}

double monotonic_seconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

Interface from_message(const LinkMessage& link) {
    Interface interface;
    interface.name = link.name.value_or(fmt::format("ifindex{}", link.index));
    interface.index = link.index;
    interface.kind = link.kind;
    interface.link_type = link.type;
    interface.admin_up = (link.flags & IFF_UP) != 0;
    interface.operstate = link.operstate;
    interface.carrier = link.carrier;
    if (!interface.carrier) {
        interface.carrier = (link.flags & IFF_LOWER_UP) != 0;
    }
    interface.carrier_changes = link.carrier_changes;
    interface.carrier_up_count = link.carrier_up_count;
    interface.carrier_down_count = link.carrier_down_count;
    interface.mtu = link.mtu;
    if (link.stats_fields > 0) {
        interface.counters = link.stats;
        interface.counters_source = CounterSource::netlink;
        interface.counters_32bit = link.stats_32bit;
    }
    return interface;
}

// IFLA_PARENT_DEV_NAME arrived in the Linux 5.15 merge window (uapi linux/if_link.h). Where the
// running kernel is 5.16 or later, an interface without it has no bus device behind it.
bool kernel_sends_parent_device() {
    utsname name{};
    if (::uname(&name) != 0) {
        return false;
    }
    unsigned major = 0;
    unsigned minor = 0;
    if (std::sscanf(name.release, "%u.%u", &major, &minor) != 2) {
        return false;
    }
    constexpr unsigned kMajor = 5;
    constexpr unsigned kMinor = 16;
    return major > kMajor || (major == kMajor && minor >= kMinor);
}

// Room kept for this many interfaces from the start. A block this large is mapped on its own
// and its pages are only touched as interfaces arrive, so it costs no more than what it holds,
// while growing the vector by doubling would touch every page again at each copy.
constexpr std::size_t kExpectedInterfaces = 4096;

// Live: every interface of this namespace from one dump, made from each chunk's messages as
// they arrive; masters named by index. Physical or virtual from the dump alone: a bus device
// behind it and no rtnl_link_ops kind; left unknown when the kernel may not name parents.
std::optional<std::vector<Interface>> read_netlink(const Root& root, Collected<NicSnapshot>& out) {
    std::vector<Interface> interfaces;
    interfaces.reserve(kExpectedInterfaces);
    std::vector<std::optional<int>> master_indexes;
    std::vector<bool> bus_devices;
    bool any_parent = false;
    auto dump = dump_links(root.deadline(), [&](std::vector<LinkMessage>& links) {
        for (const auto& link : links) {
            any_parent = any_parent || link.parent_device.has_value();
            bus_devices.push_back(link.parent_device.has_value() && !link.kind &&
                                  link.type != ARPHRD_LOOPBACK);
            master_indexes.push_back(link.master_index);
            interfaces.push_back(from_message(link));
        }
    });
    if (!dump) {
        out.add_issue(to_issue(dump.error()));
        return std::nullopt;
    }
    for (const auto& problem : dump->problems) {
        out.add_issue(Issue{IssueLevel::error, "decode", "RTM_GETLINK", problem, ""});
    }
    // An interface without IFLA_IFNAME is called "ifindexN", as its master is then named.
    std::map<int, const std::string*> names;
    for (const auto& interface : interfaces) {
        names[interface.index.value_or(0)] = &interface.name;
    }
    for (std::size_t i = 0; i < interfaces.size(); ++i) {
        if (const auto master = master_indexes[i]) {
            const auto it = names.find(*master);
            interfaces[i].master =
                it != names.end() ? *it->second : fmt::format("ifindex{}", *master);
        }
    }
    if (any_parent || kernel_sends_parent_device()) {
        for (std::size_t i = 0; i < interfaces.size(); ++i) {
            interfaces[i].physical = bus_devices[i];
        }
    }
    return interfaces;
}

// Interfaces whose counters no better source gave take the /proc/net/dev line.
void fill_from_proc_net_dev(const Root& root, std::vector<Interface>& interfaces,
                            Collected<NicSnapshot>& out) {
    const bool needed = std::any_of(interfaces.begin(), interfaces.end(), [](const auto& i) {
        return i.counters_source == CounterSource::none;
    });
    if (!needed && !interfaces.empty()) {
        return;
    }
    auto text = root.read_file("/proc/net/dev");
    if (!text) {
        out.add_issue(detail::read_issue(root, text.error()));
        return;
    }
    const auto dev = parse_proc_net_dev(*text);
    if (dev.skipped_lines > 0) {
        out.add_issue(Issue{IssueLevel::error, "parse", root.display("/proc/net/dev"),
                            fmt::format("{} lines not understood", dev.skipped_lines), ""});
    }
    for (const auto& row : dev.rows) {
        auto it = std::find_if(interfaces.begin(), interfaces.end(),
                               [&](const Interface& i) { return i.name == row.name; });
        if (it == interfaces.end()) {
            interfaces.push_back(named_interface(row.name));
            it = std::prev(interfaces.end());
        }
        if (it->counters_source == CounterSource::none) {
            it->counters = row.exact_counters();
            it->counters_source = CounterSource::proc_net_dev;
            it->proc_net_dev = row;
        }
    }
}

struct EthtoolShared {
    std::mutex mutex;
    std::condition_variable done_cv;
    std::vector<std::optional<EthtoolAnswer>> answers;
    std::size_t finished = 0;
};

// Live: ethtool ioctls on the given interfaces, one after the other on a worker thread, under
// one deadline for them all. Interfaces not reached in time become one Issue.
void read_ethtool_live(const Root& root, std::vector<Interface*> targets,
                       const EthtoolRequest& request, Collected<NicSnapshot>& out) {
    if (targets.empty()) {
        return;
    }
    auto shared = std::make_shared<EthtoolShared>();
    shared->answers.resize(targets.size());
    std::vector<std::string> names;
    for (const auto* target : targets) {
        names.push_back(target->name);
    }
    std::thread([shared, names, request] {
        const UniqueFd fd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
        UniqueFd genl_fd;
        const auto netlink = request.driver_stats ? open_ethtool_netlink(genl_fd) : std::nullopt;
        for (std::size_t i = 0; i < names.size(); ++i) {
            EthtoolAnswer answer;
            if (fd.valid()) {
                answer = query_ethtool(fd.get(), names[i], request, netlink);
            } else {
                answer.errors.push_back(system_error("socket", "AF_INET for ethtool", errno));
            }
            const std::lock_guard lock(shared->mutex);
            shared->answers[i] = std::move(answer);
            // Wake the waiter once, at the end: a wake-up per interface costs more than the
            // ioctls on a box with hundreds of them.
            if (++shared->finished == shared->answers.size()) {
                shared->done_cv.notify_one();
            }
        }
    }).detach();

    std::unique_lock lock(shared->mutex);
    shared->done_cv.wait_for(lock, root.deadline(),
                             [&] { return shared->finished == names.size(); });
    std::vector<std::string> late;
    for (std::size_t i = 0; i < targets.size(); ++i) {
        auto& answer = shared->answers[i];
        if (!answer) {
            late.push_back(names[i]);
            continue;
        }
        targets[i]->driver = std::move(answer->driver);
        targets[i]->driver_stats = std::move(answer->stats);
        targets[i]->settings = std::move(answer->settings);
        for (const auto& error : answer->errors) {
            out.add_issue(to_issue(error));
        }
    }
    if (!late.empty()) {
        out.add_issue(Issue{IssueLevel::error, "ethtool", fmt::format("{}", fmt::join(late, ", ")),
                            fmt::format("no answer within {} ms", root.deadline().count()),
                            "a driver is stuck; its link settings and statistics are missing"});
    }
}

// TODO(#4): a capture's `ip -s -s -j link` JSON would give rx_otherhost_dropped, which has
// no sysfs file; not read yet.
// Captured: `ethtool -S`, `ethtool -i` and `ethtool` text saved as ethtool/IF/{statistics,
// driver,settings}, the layout of node_exporter's fixtures. Speed and duplex from sysfs
// otherwise.
void read_ethtool_captured(const Root& root, Interface& interface, Collected<NicSnapshot>& out) {
    const std::string dir = "/ethtool/" + interface.name;
    if (auto text = root.read_file(dir + "/driver")) {
        interface.driver = parse_ethtool_driver_text(*text);
    }
    if (auto text = root.read_file(dir + "/statistics")) {
        auto stats = parse_ethtool_stats_text(*text);
        if (stats.error) {
            out.add_issue(Issue{IssueLevel::error, "parse", root.display(dir + "/statistics"),
                                fmt::format("not a statistics listing: {}", *stats.error),
                                "ethtool -S failed when the tree was captured"});
        } else {
            interface.driver_stats = std::move(stats);
        }
    }
    if (auto text = root.read_file(dir + "/settings")) {
        interface.settings = parse_ethtool_settings_text(*text);
    }
}

// Speed and duplex from sysfs, when ethtool gave no settings. Both fail with EINVAL on a link
// that is down, and speed reads -1 (SPEED_UNKNOWN) on some drivers.
void read_sysfs_speed(const Root& root, Interface& interface) {
    if (interface.settings) {
        return;
    }
    const std::string dir = "/sys/class/net/" + interface.name;
    LinkSettings settings;
    if (auto speed = detail::read_line(root, dir + "/speed")) {
        if (auto mbps = sys::parse_int(*speed); mbps && *mbps > 0) {
            settings.speed_mbps = static_cast<std::uint32_t>(*mbps);
        }
    }
    if (auto duplex = detail::read_line(root, dir + "/duplex")) {
        if (*duplex == "full") {
            settings.duplex = Duplex::full;
        } else if (*duplex == "half") {
            settings.duplex = Duplex::half;
        }
    }
    if (settings.speed_mbps || settings.duplex) {
        interface.settings = std::move(settings);
    }
}

// softnet_stat, snmp, netstat and uptime in one batch: one thread for the four reads, begun
// before the interfaces are read so that it runs beside the netlink dump.
PendingReads start_stack_reads(const Root& root) {
    return root.start_reading(
        {"/proc/net/softnet_stat", "/proc/net/snmp", "/proc/net/netstat", "/proc/uptime"});
}

void read_stack(const Root& root, PendingReads& reads, NicSnapshot& snap,
                Collected<NicSnapshot>& out) {
    auto texts = reads.wait();
    if (auto& text = texts[0]) {
        auto stat = parse_softnet_stat(*text);
        if (stat.skipped_lines > 0) {
            out.add_issue(Issue{IssueLevel::error, "parse", root.display("/proc/net/softnet_stat"),
                                fmt::format("{} lines not understood", stat.skipped_lines), ""});
        }
        snap.softnet = std::move(stat);
    } else {
        out.add_issue(detail::read_issue(root, text.error()));
    }
    for (std::size_t i : {1U, 2U}) {
        if (auto& text = texts[i]) {
            if (!snap.snmp) {
                snap.snmp.emplace();
            }
            snap.snmp->merge(sys::parse_snmp(*text));
        } else {
            out.add_issue(detail::read_issue(root, texts[i].error()));
        }
    }
    if (auto& text = texts[3]) {
        snap.uptime_seconds = sys::parse_uptime_seconds(*text);
    }
}

// Every interface with its state and counters: netlink on the live machine, else sysfs, then
// /proc/net/dev for what neither gave; each marked physical or virtual where the tree tells.
std::vector<Interface> read_interfaces(const Root& root, Collected<NicSnapshot>& out) {
    std::optional<std::vector<Interface>> interfaces;
    if (root.is_live()) {
        interfaces = read_netlink(root, out);
    }
    if (interfaces && std::all_of(interfaces->begin(), interfaces->end(),
                                  [](const Interface& i) { return i.physical.has_value(); })) {
        // The dump said everything sysfs would: no directory of hundreds of entries to list.
        fill_from_proc_net_dev(root, *interfaces, out);
        return std::move(*interfaces);
    }
    NameSet class_names;
    if (auto listed = root.list_dir("/sys/class/net")) {
        for (const auto& name : *listed) {
            // bonding_masters is a file beside the interfaces.
            if (name != "bonding_masters") {
                class_names.insert(name);
            }
        }
    } else {
        out.add_issue(detail::read_issue(root, listed.error()));
    }
    if (!interfaces) {
        interfaces.emplace();
        for (const auto& name : class_names) {
            auto interface = named_interface(name);
            detail::read_sysfs_interface(root, interface, true, out.issues);
            interfaces->push_back(std::move(interface));
        }
        detail::read_bond_members(root, *interfaces);
    }
    fill_from_proc_net_dev(root, *interfaces, out);
    detail::classify_interfaces(root, *interfaces, class_names);
    return std::move(*interfaces);
}

// Driver, driver statistics and link settings of the chosen interfaces: ethtool ioctls live,
// saved ethtool text in a captured tree, and sysfs speed and duplex where neither gave them.
void read_drivers(const Root& root, const std::vector<Interface*>& chosen,
                  const NicProbeOptions& options, Collected<NicSnapshot>& out) {
    if (root.is_live() && options.ethtool) {
        // Driver statistics and link modes speak for hardware; a virtual device's (a veth's
        // XDP queue counters, its fixed 10000 Mb/s) are not judged, and its kind already names
        // its driver, so it is not asked at all: a box with hundreds of veths costs no ioctl.
        std::vector<Interface*> hardware;
        for (auto* interface : chosen) {
            if (interface->physical != false) {
                hardware.push_back(interface);
            }
        }
        read_ethtool_live(root, hardware, EthtoolRequest{true, options.link_settings}, out);
    } else if (!root.is_live()) {
        for (auto* interface : chosen) {
            read_ethtool_captured(root, *interface, out);
        }
    }
    for (auto* interface : chosen) {
        // A virtual device's speed is made up (a veth says 10000); not worth a read each.
        if (!(root.is_live() && interface->physical == false)) {
            read_sysfs_speed(root, *interface);
        }
    }
}

// Interfaces named on the command line that do not exist are Issues, not silence.
void check_named(const NicSnapshot& snap, const NicSelection& selection,
                 Collected<NicSnapshot>& out) {
    for (const auto& name : selection.names) {
        if (snap.find(name) == nullptr) {
            out.add_issue(Issue{IssueLevel::error, "find", name, "no such interface",
                                "ip link shows the interfaces of this network namespace"});
        }
    }
}

}  // namespace

std::string_view to_string(CounterSource source) {
    switch (source) {
        case CounterSource::netlink:
            return "netlink";
        case CounterSource::sysfs:
            return "sysfs";
        case CounterSource::proc_net_dev:
            return "/proc/net/dev";
        case CounterSource::none:
            break;
    }
    return "none";
}

const Interface* NicSnapshot::find(std::string_view name) const {
    const auto it = std::find_if(interfaces.begin(), interfaces.end(),
                                 [&](const Interface& i) { return i.name == name; });
    return it == interfaces.end() ? nullptr : &*it;
}

bool NicSelection::selects(const Interface& interface) const {
    if (!names.empty()) {
        return std::find(names.begin(), names.end(), interface.name) != names.end();
    }
    return all || interface.physical.value_or(true);
}

Collected<NicSnapshot> probe_nic(const Root& root, const NicProbeOptions& options) {
    Collected<NicSnapshot> out;
    auto& snap = out.data;
    snap.taken = std::chrono::system_clock::now();
    snap.monotonic_seconds = monotonic_seconds();

    auto stack_reads = start_stack_reads(root);
    snap.interfaces = read_interfaces(root, out);
    std::vector<Interface*> chosen;
    for (auto& interface : snap.interfaces) {
        if (options.selection.selects(interface)) {
            chosen.push_back(&interface);
        }
    }
    read_drivers(root, chosen, options, out);
    read_stack(root, stack_reads, snap, out);
    spdlog::debug("probe of {} interfaces done in {:.1f} ms", snap.interfaces.size(),
                  (monotonic_seconds() - snap.monotonic_seconds) * 1000);
    check_named(snap, options.selection, out);
    if (!root.is_live()) {
        out.add_issue(Issue{IssueLevel::info, "probe", "netlink and ethtool",
                            "only possible on the live machine: rx_otherhost_dropped, driver "
                            "statistics and link modes come from the captured text if at all",
                            "run diag-nic on the machine itself"});
    }
    return out;
}

}  // namespace diag::net
