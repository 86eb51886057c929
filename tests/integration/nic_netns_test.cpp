// diag-nic against a real kernel: two network namespaces joined by a veth pair, faults made on
// purpose, and diag-nic run inside one of them. Needs root and `ip netns`; skipped otherwise.
// Only 10.231.x addresses inside the test's own namespaces are used; nothing leaves them.

#include "support/nic_process.hpp"
#include "support/process.hpp"
#include "support/shared_data.hpp"

#include <diag/core/unique_fd.hpp>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <thread>

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

using diag::UniqueFd;
using namespace std::chrono_literals;

namespace {

constexpr int kEthertypeFrames = 20;
constexpr int kUdpDatagrams = 2000;
constexpr int kConnects = 20;
constexpr int kFlaps = 2;
constexpr std::uint16_t kUdpPort = 5001;
constexpr std::uint16_t kTcpPort = 5002;
// IEEE 802 local experimental ethertype: no protocol handler, so the receiver drops it.
constexpr std::uint16_t kUnknownEthertype = 0x88b5;

bool ip(const std::vector<std::string>& args) {
    std::vector<std::string> argv{"ip"};
    argv.insert(argv.end(), args.begin(), args.end());
    diag::test::ProcessOptions options;
    options.hard_timeout = 10s;
    const auto result = diag::test::run_process(argv, options);
    if (result.exit_code != 0) {
        WARN("ip " << fmt::format("{}", fmt::join(args, " ")) << ": " << result.err);
    }
    return result.exit_code == 0;
}

// Two namespaces with names unique to this run, deleted again however the test ends.
class NamespacePair {
public:
    NamespacePair() {
        std::random_device seed;
        const auto tag = fmt::format("{}-{}", ::getpid(), seed() % 100000);
        a_ = "diagnicA-" + tag;
        b_ = "diagnicB-" + tag;
        created_a_ = ip({"netns", "add", a_});
        created_b_ = created_a_ && ip({"netns", "add", b_});
    }
    NamespacePair(const NamespacePair&) = delete;
    NamespacePair& operator=(const NamespacePair&) = delete;
    ~NamespacePair() {
        // Deleting a namespace destroys the veth end inside it, and with it the pair.
        if (created_b_) {
            ip({"netns", "del", b_});
        }
        if (created_a_) {
            ip({"netns", "del", a_});
        }
    }
    [[nodiscard]] bool ready() const { return created_a_ && created_b_; }
    [[nodiscard]] const std::string& a() const { return a_; }
    [[nodiscard]] const std::string& b() const { return b_; }

private:
    std::string a_;
    std::string b_;
    bool created_a_ = false;
    bool created_b_ = false;
};

// Runs fn on a thread that joined the named network namespace; sockets made there stay in it.
// Returns fn's error text, or why the namespace could not be joined.
std::string in_namespace(const std::string& name, const std::function<std::string()>& fn) {
    std::string error;
    std::thread worker([&] {
        const UniqueFd ns(::open(("/run/netns/" + name).c_str(), O_RDONLY | O_CLOEXEC));
        if (!ns.valid() || ::setns(ns.get(), CLONE_NEWNET) != 0) {
            error = fmt::format("join {}: {}", name, std::strerror(errno));
            return;
        }
        error = fn();
    });
    worker.join();
    return error;
}

sockaddr_in address(const char* ip_text, std::uint16_t port) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    ::inet_pton(AF_INET, ip_text, &addr.sin_addr);
    return addr;
}

// In A: a UDP socket with the smallest receive buffer that nobody reads, and a TCP listener
// with a backlog of 1 that never accepts.
std::string open_sinks(UniqueFd& udp, UniqueFd& listener) {
    udp.reset(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    const int small = 1;  // the kernel rounds it up to its minimum
    ::setsockopt(udp.get(), SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    const auto udp_addr = address("10.231.77.1", kUdpPort);
    if (::bind(udp.get(), reinterpret_cast<const sockaddr*>(&udp_addr), sizeof udp_addr) != 0) {
        return fmt::format("bind udp: {}", std::strerror(errno));
    }
    listener.reset(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    const auto tcp_addr = address("10.231.77.1", kTcpPort);
    if (::bind(listener.get(), reinterpret_cast<const sockaddr*>(&tcp_addr), sizeof tcp_addr) !=
            0 ||
        ::listen(listener.get(), 1) != 0) {
        return fmt::format("listen: {}", std::strerror(errno));
    }
    return {};
}

// In B: frames of an unknown ethertype to the broadcast address, out of vb.
std::string send_unknown_ethertype() {
    const UniqueFd raw(::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0));
    if (!raw.valid()) {
        return fmt::format("packet socket: {}", std::strerror(errno));
    }
    sockaddr_ll to{};
    to.sll_family = AF_PACKET;
    to.sll_ifindex = static_cast<int>(::if_nametoindex("vb"));
    to.sll_halen = ETH_ALEN;
    std::memset(to.sll_addr, 0xff, ETH_ALEN);
    std::array<unsigned char, 64> frame{};
    std::memset(frame.data(), 0xff, ETH_ALEN);  // destination: broadcast
    frame[6] = 0x02;                            // source: a locally administered address
    frame[12] = kUnknownEthertype >> 8U;
    frame[13] = kUnknownEthertype & 0xffU;
    for (int i = 0; i < kEthertypeFrames; ++i) {
        if (::sendto(raw.get(), frame.data(), frame.size(), 0,
                     reinterpret_cast<const sockaddr*>(&to), sizeof to) < 0) {
            return fmt::format("send frame: {}", std::strerror(errno));
        }
    }
    return {};
}

// In B: a UDP flood at A's unread socket and connections at A's full listener.
std::string flood_and_connect() {
    const UniqueFd udp(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    const auto to = address("10.231.77.1", kUdpPort);
    std::array<char, 1000> payload{};
    for (int i = 0; i < kUdpDatagrams; ++i) {
        ::sendto(udp.get(), payload.data(), payload.size(), 0,
                 reinterpret_cast<const sockaddr*>(&to), sizeof to);
    }
    std::vector<UniqueFd> clients;
    const auto server = address("10.231.77.1", kTcpPort);
    for (int i = 0; i < kConnects; ++i) {
        clients.emplace_back(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
        ::connect(clients.back().get(), reinterpret_cast<const sockaddr*>(&server), sizeof server);
    }
    // Let the handshakes and their overflows happen before the sockets close.
    std::this_thread::sleep_for(300ms);
    return {};
}

const nlohmann::json* find_finding(const nlohmann::json& report, std::string_view check,
                                   std::string_view subject) {
    for (const auto& f : report["findings"]) {
        if (f["check"] == check && f["subject"] == subject) {
            return &f;
        }
    }
    return nullptr;
}

}  // namespace

TEST_CASE("diag-nic in a network namespace reports each made fault in its layer", "[root]") {
    if (::geteuid() != 0) {
        diag::test::skip("needs root to create network namespaces");
    }
    NamespacePair ns;
    if (!ns.ready()) {
        diag::test::skip("ip netns add failed: no network namespaces here");
    }
    REQUIRE(ip({"-n", ns.a(), "link", "add", "va", "type", "veth", "peer", "name", "vb", "netns",
                ns.b()}));
    REQUIRE(ip({"-n", ns.a(), "addr", "add", "10.231.77.1/30", "dev", "va"}));
    REQUIRE(ip({"-n", ns.b(), "addr", "add", "10.231.77.2/30", "dev", "vb"}));
    for (const auto* side : {&ns.a(), &ns.b()}) {
        REQUIRE(ip({"-n", *side, "link", "set", "lo", "up"}));
    }
    REQUIRE(ip({"-n", ns.a(), "link", "set", "va", "up"}));
    REQUIRE(ip({"-n", ns.b(), "link", "set", "vb", "up"}));

    UniqueFd udp_sink;
    UniqueFd listener;
    REQUIRE(in_namespace(ns.a(), [&] { return open_sinks(udp_sink, listener); }).empty());

    const auto tool = (diag::test::binary_dir() / "tools" / "diag-nic").string();
    diag::test::nic::StartedProcess run(
        {"ip", "netns", "exec", ns.a(), tool, "--json", "--interval", "6", "va"});
    // The first sample is taken as the tool starts; make the faults well after it.
    std::this_thread::sleep_for(1500ms);
    CHECK(in_namespace(ns.b(), send_unknown_ethertype).empty());
    CHECK(in_namespace(ns.b(), flood_and_connect).empty());
    for (int i = 0; i < kFlaps; ++i) {
        CHECK(ip({"-n", ns.b(), "link", "set", "vb", "down"}));
        std::this_thread::sleep_for(300ms);
        CHECK(ip({"-n", ns.b(), "link", "set", "vb", "up"}));
        std::this_thread::sleep_for(500ms);
    }
    const auto result = run.finish(30s);
    INFO("stderr: " << result.err);
    REQUIRE(result.term_signal == 0);
    const auto report = nlohmann::json::parse(result.out);
    INFO("report: " << report.dump(2));

    // Critical because no datagram of the flood was ever read.
    CHECK(result.exit_code == 2);
    CHECK(report["worst_severity"] == "critical");

    {
        // stack: every unknown-ethertype frame is an rx drop on va (blocks, not SECTIONs: a section
        // would rerun the setup)
        const auto* drops = find_finding(report, "net.stack.drops", "va");
        REQUIRE(drops != nullptr);
        CHECK(drops->at("evidence")["rx_dropped_count"] == kEthertypeFrames);
        CHECK(drops->at("severity") != "ok");
        CHECK(drops->at("evidence")["since_boot"] == false);
    }
    {
        // link: both flaps of the peer, with their times
        const auto* flaps = find_finding(report, "net.link.flaps", "va");
        REQUIRE(flaps != nullptr);
        CHECK(flaps->at("severity") == "warning");
        CHECK(flaps->at("evidence")["flaps_count"] == kFlaps);
        const std::string events = flaps->at("evidence")["events"];
        CHECK(events.find("down") != std::string::npos);
        CHECK(events.find("up") != std::string::npos);
    }
    {
        // stack: the unread UDP socket's losses are critical
        const auto* udp = find_finding(report, "net.stack.udp_rcvbuf_errors", "udp");
        REQUIRE(udp != nullptr);
        CHECK(udp->at("severity") == "critical");
        CHECK(udp->at("evidence")["lost_count"] > 0);
        CHECK(udp->at("evidence")["lost_count"] <= kUdpDatagrams);
    }
    {
        // TCP: the full accept queue overflowed
        const auto* overflows = find_finding(report, "net.tcp.listen_overflows", "tcp");
        REQUIRE(overflows != nullptr);
        CHECK(overflows->at("severity") == "warning");
        CHECK(overflows->at("evidence")["listen_overflows_count"] >= 1);
    }
    {
        // physical and ring layers stay quiet on a veth
        CHECK(find_finding(report, "net.phys.crc_errors", "va") == nullptr);
        CHECK(find_finding(report, "net.ring.missed", "va") == nullptr);
    }
}

namespace {

constexpr int kOversizeFrames = 15;
constexpr int kOtherhostFrames = 12;
constexpr std::size_t kOversizeBytes = 4000;
constexpr std::size_t kSmallFrameBytes = 100;
constexpr std::uint16_t kIpv4Ethertype = 0x0800;
constexpr const char* kVaMac = "02:00:00:00:00:0a";
constexpr std::array<unsigned char, ETH_ALEN> kVaMacBytes{0x02, 0, 0, 0, 0, 0x0a};
// Locally administered, and nobody's: frames to it are for "another host".
constexpr std::array<unsigned char, ETH_ALEN> kStrangerMac{0x02, 0, 0, 0, 0, 0x99};
constexpr double kWindowSeconds = 3.0;

// In B: `count` IPv4 frames of `bytes` to `destination`, out of vb. The IP header is left zero:
// the receiver drops these frames before it looks at one.
std::string send_frames(const std::array<unsigned char, ETH_ALEN>& destination, std::size_t bytes,
                        int count) {
    const UniqueFd raw(::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0));
    if (!raw.valid()) {
        return fmt::format("packet socket: {}", std::strerror(errno));
    }
    sockaddr_ll to{};
    to.sll_family = AF_PACKET;
    to.sll_ifindex = static_cast<int>(::if_nametoindex("vb"));
    to.sll_halen = ETH_ALEN;
    std::memcpy(to.sll_addr, destination.data(), ETH_ALEN);
    std::vector<unsigned char> frame(bytes);
    std::memcpy(frame.data(), destination.data(), ETH_ALEN);
    frame[6] = 0x02;  // source: a locally administered address
    frame[12] = kIpv4Ethertype >> 8U;
    frame[13] = kIpv4Ethertype & 0xffU;
    for (int i = 0; i < count; ++i) {
        // ENOBUFS: the veth dropped the frame on its way (net_xmit_errno of NET_XMIT_DROP in
        // packet_snd), which is the fault being made.
        if (::sendto(raw.get(), frame.data(), frame.size(), 0,
                     reinterpret_cast<const sockaddr*>(&to), sizeof to) < 0 &&
            errno != ENOBUFS) {
            return fmt::format("send frame: {}", std::strerror(errno));
        }
    }
    return {};
}

// rx_otherhost_dropped is in rtnl_link_stats64 from Linux 6.0 on.
bool kernel_counts_otherhost() {
    const auto release = diag::test::read_file("/proc/sys/kernel/osrelease");
    constexpr int kMajor = 6;
    return !release.empty() && std::stoi(release) >= kMajor;
}

}  // namespace

TEST_CASE("diag-nic: MTU mismatch drops and frames for another MAC are stack drops with their rate",
          "[root]") {
    if (::geteuid() != 0) {
        diag::test::skip("needs root to create network namespaces");
    }
    NamespacePair ns;
    if (!ns.ready()) {
        diag::test::skip("ip netns add failed: no network namespaces here");
    }
    // vb sends jumbo frames at va, whose MTU is 1500: the veth drops what does not fit
    // (is_skb_forwardable in net/core/dev.c) and counts it as va's rx_dropped.
    REQUIRE(ip({"-n", ns.a(), "link", "add", "va", "type", "veth", "peer", "name", "vb", "netns",
                ns.b()}));
    REQUIRE(ip({"-n", ns.a(), "link", "set", "va", "address", kVaMac, "mtu", "1500", "up"}));
    REQUIRE(ip({"-n", ns.b(), "link", "set", "vb", "mtu", "9000", "up"}));

    const auto tool = (diag::test::binary_dir() / "tools" / "diag-nic").string();
    diag::test::nic::StartedProcess run({"ip", "netns", "exec", ns.a(), tool, "--json",
                                         "--interval", fmt::format("{}", kWindowSeconds), "va"});
    std::this_thread::sleep_for(1000ms);
    CHECK(in_namespace(ns.b(), [] {
              return send_frames(kVaMacBytes, kOversizeBytes, kOversizeFrames);
          }).empty());
    CHECK(in_namespace(ns.b(), [] {
              return send_frames(kStrangerMac, kSmallFrameBytes, kOtherhostFrames);
          }).empty());
    const auto result = run.finish(20s);
    INFO("stderr: " << result.err);
    REQUIRE(result.term_signal == 0);
    const auto report = nlohmann::json::parse(result.out);
    INFO("report: " << report.dump(2));

    {
        // stack: the oversized frames are va's rx drops, judged as a rate over the window
        const auto* drops = find_finding(report, "net.stack.drops", "va");
        REQUIRE(drops != nullptr);
        const auto& evidence = drops->at("evidence");
        CHECK(evidence["rx_dropped_count"] == kOversizeFrames);
        CHECK(evidence["since_boot"] == false);
        CHECK(drops->at("severity") == "critical");
        const double per_second = evidence["per_second"];
        CHECK(per_second == Approx(kOversizeFrames / kWindowSeconds).epsilon(0.15));
    }
    if (kernel_counts_otherhost()) {
        // stack: frames for a MAC address that is not va's, with their rate
        const auto* other = find_finding(report, "net.stack.otherhost", "va");
        REQUIRE(other != nullptr);
        const auto& evidence = other->at("evidence");
        CHECK(evidence["rx_otherhost_dropped_count"] == kOtherhostFrames);
        const double per_second = evidence["per_second"];
        CHECK(per_second == Approx(kOtherhostFrames / kWindowSeconds).epsilon(0.15));
    } else {
        WARN("kernel before 6.0: no rx_otherhost_dropped to check");
    }
    {
        // neither fault is a physical, ring or link fault
        CHECK(find_finding(report, "net.phys.crc_errors", "va") == nullptr);
        CHECK(find_finding(report, "net.ring.missed", "va") == nullptr);
        CHECK(find_finding(report, "net.link.flaps", "va") == nullptr);
    }
}
