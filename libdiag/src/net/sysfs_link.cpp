#include "sysfs_link.hpp"

#include "diag/sys/text_fields.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>

#include <fmt/format.h>

#include <linux/if.h>
#include <linux/if_arp.h>

namespace diag::net::detail {

namespace {

std::optional<std::uint64_t> read_number(const Root& root, const std::string& path,
                                         std::vector<Issue>& issues) {
    auto line = read_line(root, path, &issues);
    return line ? sys::parse_uint(*line) : std::nullopt;
}

std::optional<std::uint32_t> read_u32(const Root& root, const std::string& path,
                                      std::vector<Issue>& issues) {
    return read_number(root, path, issues).transform([](std::uint64_t v) {
        return static_cast<std::uint32_t>(v);
    });
}

std::string base_name(std::string_view path) {
    while (path.ends_with('/')) {
        path.remove_suffix(1);
    }
    return std::string(path.substr(path.find_last_of('/') + 1));
}

void read_statistics(const Root& root, const std::string& dir, Interface& interface,
                     std::vector<Issue>& issues) {
    auto names = root.list_dir(dir + "/statistics");
    if (!names) {
        if (names.error().errno_value != ENOENT || root.is_live()) {
            issues.push_back(read_issue(root, names.error()));
        }
        return;
    }
    for (const auto& name : *names) {
        const auto counter = parse_counter_name(name);
        if (!counter) {
            continue;
        }
        if (auto value = read_number(root, fmt::format("{}/statistics/{}", dir, name), issues)) {
            interface.counters.set(*counter, *value);
        }
    }
    if (interface.counters.present_count() > 0) {
        interface.counters_source = CounterSource::sysfs;
    }
}

// DEVTYPE from uevent names the kind of some virtual devices: bridge, vlan, bond, wlan, ...
std::optional<std::string> uevent_devtype(const Root& root, const std::string& dir) {
    auto text = root.read_file(dir + "/uevent", 4096);
    if (!text) {
        return std::nullopt;
    }
    for (auto line : sys::split_lines(*text)) {
        if (line.starts_with("DEVTYPE=")) {
            return std::string(line.substr(8));
        }
    }
    return std::nullopt;
}

}  // namespace

Issue read_issue(const Root& root, const Error& error) {
    Issue issue = to_issue(error);
    if (error.errno_value == ENOENT && !root.is_live()) {
        // A captured tree holds what its maker chose to copy; a gap there is not a fault.
        issue.level = IssueLevel::info;
        issue.hint = "not in the captured tree";
    }
    return issue;
}

std::optional<std::string> read_line(const Root& root, const std::string& path,
                                     std::vector<Issue>* issues) {
    constexpr std::size_t kSmallFile = 4096;
    auto text = root.read_file(path, kSmallFile);
    if (!text) {
        const int error = text.error().errno_value;
        // EINVAL: sysfs refuses carrier, speed and duplex of a link that is down.
        if (error != EINVAL && error != ENOENT && issues != nullptr) {
            issues->push_back(read_issue(root, text.error()));
        }
        return std::nullopt;
    }
    std::string line = text->substr(0, text->find('\n'));
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) {
        line.pop_back();
    }
    return line;
}

void read_sysfs_interface(const Root& root, Interface& interface, bool counters,
                          std::vector<Issue>& issues) {
    const std::string dir = "/sys/class/net/" + interface.name;
    if (!interface.operstate) {
        if (auto text = read_line(root, dir + "/operstate", &issues)) {
            interface.operstate = parse_oper_state(*text);
        }
    }
    if (!interface.carrier) {
        interface.carrier =
            read_number(root, dir + "/carrier", issues).transform([](auto v) { return v != 0; });
    }
    if (!interface.carrier_changes) {
        interface.carrier_changes = read_u32(root, dir + "/carrier_changes", issues);
        interface.carrier_up_count = read_u32(root, dir + "/carrier_up_count", issues);
        interface.carrier_down_count = read_u32(root, dir + "/carrier_down_count", issues);
    }
    if (!interface.mtu) {
        interface.mtu = read_u32(root, dir + "/mtu", issues);
    }
    if (!interface.admin_up) {
        // flags is hex ("0x1003"); IFF_UP is bit 0.
        if (auto text = read_line(root, dir + "/flags", &issues)) {
            auto hex = std::string_view(*text);
            hex.remove_prefix(hex.starts_with("0x") ? 2 : 0);
            unsigned long flags = 0;
            if (std::from_chars(hex.data(), hex.data() + hex.size(), flags, 16).ec == std::errc{}) {
                interface.admin_up = (flags & IFF_UP) != 0;
            }
        }
    }
    if (!interface.link_type) {
        interface.link_type = read_u32(root, dir + "/type", issues).transform([](auto v) {
            return static_cast<unsigned>(v);
        });
    }
    if (!interface.master) {
        if (auto link = root.read_link(dir + "/master")) {
            interface.master = base_name(*link);
        }
    }
    if (!interface.kind) {
        interface.kind = uevent_devtype(root, dir);
    }
    if (counters) {
        read_statistics(root, dir, interface, issues);
    }
}

void classify_interfaces(const Root& root, std::vector<Interface>& interfaces,
                         const std::set<std::string, std::less<>>& class_names) {
    std::set<std::string, std::less<>> virtual_names;
    const auto listed = root.list_dir("/sys/devices/virtual/net");
    if (listed) {
        virtual_names.insert(listed->begin(), listed->end());
    }
    for (auto& interface : interfaces) {
        if (interface.link_type == ARPHRD_LOOPBACK || virtual_names.contains(interface.name)) {
            interface.physical = false;
            continue;
        }
        const std::string dir = "/sys/class/net/" + interface.name;
        if (root.is_live()) {
            if (interface.kind) {
                interface.physical = false;
            } else if (listed && class_names.contains(interface.name)) {
                interface.physical = true;
            }
            continue;
        }
        if (!root.exists(dir + "/device")) {
            if (auto target = root.read_link(dir)) {
                interface.physical = target->find("/devices/virtual/") == std::string::npos &&
                                     target->find("devices/") != std::string::npos;
                continue;
            }
            if (!listed) {
                continue;  // nothing in the tree tells
            }
        }
        interface.physical = true;
    }
}

void read_bond_members(const Root& root, std::vector<Interface>& interfaces) {
    for (const auto& bond : interfaces) {
        auto members = read_line(root, "/sys/class/net/" + bond.name + "/bonding/slaves");
        if (!members) {
            continue;
        }
        for (auto member : sys::split_fields(*members)) {
            auto it = std::find_if(interfaces.begin(), interfaces.end(),
                                   [&](const Interface& i) { return i.name == member; });
            if (it != interfaces.end() && !it->master) {
                it->master = bond.name;
            }
        }
    }
}

}  // namespace diag::net::detail
