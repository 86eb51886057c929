#include "support/shared_data.hpp"

#include <diag/core/root.hpp>
#include <diag/net/link_dump.hpp>
#include <diag/net/nic_snapshot.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include <sys/stat.h>

using diag::net::CounterSource;
using diag::net::LinkCounter;

namespace {

diag::Collected<diag::net::NicSnapshot> probe(const std::filesystem::path& dir, bool all = true) {
    auto root = diag::Root::open(dir.string());
    REQUIRE(root.has_value());
    diag::net::NicProbeOptions options;
    options.selection.all = all;
    return diag::net::probe_nic(*root, options);
}

// A scratch directory removed at the end of the test.
struct ScratchDir {
    std::filesystem::path path;
    ScratchDir() {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "diag-nic-test-XXXXXX").string();
        REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        path = pattern;
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    ~ScratchDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path, ignored);
    }
    void write(const std::string& relative, const std::string& text) const {
        const auto file = path / relative;
        std::filesystem::create_directories(file.parent_path());
        std::ofstream(file) << text;
    }
};

}  // namespace

TEST_CASE("probe: a captured veth tree gives sysfs counters, carrier counts and the stack") {
    const auto out =
        probe(diag::test::require_shared_data("sysfs-fixtures/captured-veth-linux-6.18/t1/nsB"));
    const auto& snap = out.data;
    const auto* vb = snap.find("vb");
    REQUIRE(vb != nullptr);
    CHECK(vb->counters_source == CounterSource::sysfs);
    CHECK(vb->counters.get(LinkCounter::rx_packets) == 299689U);
    CHECK(vb->counters.get(LinkCounter::rx_dropped) == 64U);
    // rx_otherhost_dropped has no sysfs file: absent, not zero.
    CHECK_FALSE(vb->counters.get(LinkCounter::rx_otherhost_dropped).has_value());
    CHECK(vb->carrier_changes == 8U);
    CHECK(vb->carrier_down_count == 4U);
    CHECK(vb->carrier == true);
    CHECK(vb->admin_up == true);
    CHECK(vb->mtu == 1500U);
    REQUIRE(vb->settings.has_value());
    CHECK(vb->settings->speed_mbps == 10000U);
    REQUIRE(snap.softnet.has_value());
    CHECK(snap.softnet->columns == 15);
    REQUIRE(snap.snmp.has_value());
    CHECK(diag::sys::find(*snap.snmp, "TcpExt:ListenOverflows") == 114);
    // What only the live machine gives is said once, as info.
    CHECK(std::any_of(out.issues.begin(), out.issues.end(), [](const diag::Issue& i) {
        return i.level == diag::IssueLevel::info && i.subject == "netlink and ethtool";
    }));
}

TEST_CASE("probe: node_exporter's tree falls back to /proc/net/dev and reads ethtool text") {
    const auto out = probe(diag::test::require_shared_data("sysfs-fixtures/node_exporter"));
    const auto& snap = out.data;
    const auto* eth0 = snap.find("eth0");
    REQUIRE(eth0 != nullptr);
    CHECK(eth0->counters_source == CounterSource::proc_net_dev);
    CHECK(eth0->counters.get(LinkCounter::rx_bytes) == 68210035552ULL);
    REQUIRE(eth0->driver.has_value());
    CHECK(eth0->driver->driver == "e1000e");
    REQUIRE(eth0->driver_stats.has_value());
    CHECK(eth0->driver_stats->find("rx_missed") == 401U);
    CHECK(eth0->master == "dmz");
    const auto* alias = snap.find("ibr10:30");
    REQUIRE(alias != nullptr);
    CHECK(alias->counters_source == CounterSource::proc_net_dev);
    // bond0's `ethtool -S` failed when captured: an Issue, and no statistics.
    const auto* bond = snap.find("bond0");
    REQUIRE(bond != nullptr);
    CHECK_FALSE(bond->driver_stats.has_value());
    CHECK(std::any_of(out.issues.begin(), out.issues.end(), [](const diag::Issue& i) {
        return i.reason.find("ERROR: 1") != std::string::npos;
    }));
}

TEST_CASE("probe: a statistics file that cannot be read is an Issue, the rest still counts") {
    ScratchDir tree;
    tree.write("sys/class/net/eth9/operstate", "up\n");
    tree.write("sys/class/net/eth9/statistics/rx_packets", "1234\n");
    tree.write("sys/class/net/eth9/statistics/rx_crc_errors", "7\n");
    const auto fifo = tree.path / "sys/class/net/eth9/statistics/rx_dropped";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);

    const auto out = probe(tree.path);
    const auto* eth9 = out.data.find("eth9");
    REQUIRE(eth9 != nullptr);
    CHECK(eth9->counters.get(LinkCounter::rx_packets) == 1234U);
    CHECK(eth9->counters.get(LinkCounter::rx_crc_errors) == 7U);
    CHECK_FALSE(eth9->counters.get(LinkCounter::rx_dropped).has_value());
    CHECK(std::any_of(out.issues.begin(), out.issues.end(), [](const diag::Issue& i) {
        return i.subject.find("rx_dropped") != std::string::npos &&
               i.reason == "not a regular file";
    }));
    // /proc/net is missing from this tree: info-level gaps, not errors.
    CHECK(std::any_of(out.issues.begin(), out.issues.end(), [](const diag::Issue& i) {
        return i.subject.find("softnet_stat") != std::string::npos &&
               i.level == diag::IssueLevel::info;
    }));
}

TEST_CASE("probe: physical and virtual interfaces are told apart in a captured tree") {
    ScratchDir tree;
    tree.write("sys/devices/pci0000:00/0000:00:03.0/net/eth0/operstate", "up\n");
    tree.write("sys/devices/virtual/net/veth0/operstate", "up\n");
    tree.write("sys/devices/virtual/net/lo/type", "772\n");
    tree.write("sys/class/net/ens1/operstate", "down\n");
    tree.write("sys/class/net/ens1/device/vendor", "0x8086\n");
    std::filesystem::create_directories(tree.path / "sys/class/net");
    std::filesystem::create_directory_symlink("../../devices/pci0000:00/0000:00:03.0/net/eth0",
                                              tree.path / "sys/class/net/eth0");
    std::filesystem::create_directory_symlink("../../devices/virtual/net/veth0",
                                              tree.path / "sys/class/net/veth0");
    std::filesystem::create_directory_symlink("../../devices/virtual/net/lo",
                                              tree.path / "sys/class/net/lo");

    const auto out = probe(tree.path, false);
    const auto& snap = out.data;
    REQUIRE(snap.find("eth0") != nullptr);
    CHECK(snap.find("eth0")->physical == true);
    CHECK(snap.find("ens1")->physical == true);
    CHECK(snap.find("veth0")->physical == false);
    CHECK(snap.find("lo")->physical == false);
    CHECK(snap.find("lo")->link_type == 772U);

    diag::net::NicSelection physical_only;
    CHECK(physical_only.selects(*snap.find("eth0")));
    CHECK_FALSE(physical_only.selects(*snap.find("veth0")));
    diag::net::NicSelection all;
    all.all = true;
    CHECK(all.selects(*snap.find("veth0")));
}

TEST_CASE("probe: an interface asked for by name that does not exist is an Issue") {
    auto root = diag::Root::open(
        diag::test::require_shared_data("sysfs-fixtures/captured-veth-linux-6.18/t1/nsB").string());
    REQUIRE(root.has_value());
    diag::net::NicProbeOptions options;
    options.selection.names = {"eth7"};
    const auto out = diag::net::probe_nic(*root, options);
    CHECK(std::any_of(out.issues.begin(), out.issues.end(), [](const diag::Issue& i) {
        return i.subject == "eth7" && i.reason == "no such interface";
    }));
}

TEST_CASE("netlink: this namespace's link dump has the loopback with 64-bit counters") {
    const auto dump = diag::net::dump_links(std::chrono::milliseconds(2000));
    REQUIRE(dump.has_value());
    const auto lo = std::find_if(dump->links.begin(), dump->links.end(),
                                 [](const auto& l) { return l.name == "lo"; });
    REQUIRE(lo != dump->links.end());
    CHECK(lo->index >= 1);
    CHECK(lo->type == 772U);
    // Every kernel this runs on (6.x) sends all 25 counters.
    CHECK(lo->stats_fields == diag::net::kLinkCounterCount);
    CHECK(lo->mtu.has_value());
}
