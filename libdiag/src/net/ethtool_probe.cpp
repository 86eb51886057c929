#include "diag/net/ethtool_probe.hpp"

#include "diag/net/ethtool_netlink.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <vector>

#include <linux/ethtool.h>
#include <linux/netlink.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

namespace diag::net {

namespace {

// The highest link_mode_masks_nwords a kernel can ask for: the field is a __s8.
constexpr std::size_t kMaxMaskWords = 127;

// An ethtool command buffer, 8-byte aligned for the u64 arrays some commands return.
class CommandBuffer {
public:
    explicit CommandBuffer(std::size_t bytes) : words_((bytes + 7) / 8 + 1) {}
    void* data() { return words_.data(); }
    [[nodiscard]] std::span<const std::byte> bytes() const {
        return std::as_bytes(std::span(words_));
    }
    template <class T>
    T* as() {
        return static_cast<T*>(data());
    }

private:
    std::vector<std::uint64_t> words_;
};

// Runs one SIOCETHTOOL command; errno on failure.
std::expected<void, int> run(int fd, const std::string& interface, void* command) {
    ifreq request{};
    std::strncpy(request.ifr_name, interface.c_str(), IFNAMSIZ - 1);
    request.ifr_data = static_cast<char*>(command);
    if (::ioctl(fd, SIOCETHTOOL, &request) != 0) {
        return std::unexpected(errno);
    }
    return {};
}

std::string field(const char* text, std::size_t size) {
    return {text, strnlen(text, size)};
}

void note(EthtoolAnswer& answer, const char* operation, const std::string& interface, int error) {
    if (error != EOPNOTSUPP) {
        answer.errors.push_back(system_error(operation, interface, error));
    }
}

std::optional<std::uint32_t> stats_count(int fd, const std::string& interface,
                                         EthtoolAnswer& answer) {
    CommandBuffer buffer(sizeof(ethtool_sset_info) + sizeof(std::uint32_t));
    auto* info = buffer.as<ethtool_sset_info>();
    info->cmd = ETHTOOL_GSSET_INFO;
    info->sset_mask = 1ULL << ETH_SS_STATS;
    if (auto done = run(fd, interface, info); !done) {
        note(answer, "ethtool GSSET_INFO", interface, done.error());
        return std::nullopt;
    }
    if ((info->sset_mask & (1ULL << ETH_SS_STATS)) == 0) {
        return std::nullopt;
    }
    std::uint32_t count = 0;
    std::memcpy(&count, buffer.bytes().data() + sizeof(ethtool_sset_info), sizeof count);
    return count;
}

void read_stats(int fd, const std::string& interface, EthtoolAnswer& answer) {
    const auto count = stats_count(fd, interface, answer);
    if (!count || *count == 0) {
        return;
    }
    CommandBuffer names(sizeof(ethtool_gstrings) + *count * std::size_t{ETH_GSTRING_LEN});
    auto* strings = names.as<ethtool_gstrings>();
    strings->cmd = ETHTOOL_GSTRINGS;
    strings->string_set = ETH_SS_STATS;
    strings->len = *count;
    if (auto done = run(fd, interface, strings); !done) {
        note(answer, "ethtool GSTRINGS", interface, done.error());
        return;
    }
    CommandBuffer values(sizeof(ethtool_stats) + *count * sizeof(std::uint64_t));
    auto* stats = values.as<ethtool_stats>();
    stats->cmd = ETHTOOL_GSTATS;
    stats->n_stats = *count;
    if (auto done = run(fd, interface, stats); !done) {
        note(answer, "ethtool GSTATS", interface, done.error());
        return;
    }
    // The kernel writes back how many it filled; never read past what both calls returned.
    const std::size_t filled = std::min<std::size_t>({strings->len, stats->n_stats, *count});
    std::vector<std::uint64_t> numbers(filled);
    std::memcpy(numbers.data(), values.bytes().data() + sizeof(ethtool_stats),
                filled * sizeof(std::uint64_t));
    const auto* text =
        reinterpret_cast<const char*>(names.bytes().data() + sizeof(ethtool_gstrings));
    answer.stats = pair_driver_stats(std::span(text, filled * kEthtoolStringLength), numbers);
}

// ETHTOOL_GSET for drivers without GLINKSETTINGS (kernels before 4.6, old out-of-tree drivers).
void read_legacy_settings(int fd, const std::string& interface, EthtoolAnswer& answer) {
    ethtool_cmd legacy{};
    legacy.cmd = ETHTOOL_GSET;
    if (auto done = run(fd, interface, &legacy); !done) {
        note(answer, "ethtool GSET", interface, done.error());
        return;
    }
    ethtool_link_settings head{};
    head.cmd = ETHTOOL_GLINKSETTINGS;
    head.speed = ethtool_cmd_speed(&legacy);
    head.duplex = legacy.duplex;
    head.port = legacy.port;
    head.autoneg = legacy.autoneg;
    head.link_mode_masks_nwords = 1;
    const std::array<std::uint32_t, 3> masks{legacy.supported, legacy.advertising,
                                             legacy.lp_advertising};
    std::vector<std::byte> bytes(sizeof head + sizeof masks);
    std::memcpy(bytes.data(), &head, sizeof head);
    std::memcpy(bytes.data() + sizeof head, masks.data(), sizeof masks);
    if (auto settings = decode_link_settings(bytes)) {
        answer.settings = std::move(*settings);
    }
}

void read_settings(int fd, const std::string& interface, EthtoolAnswer& answer) {
    CommandBuffer buffer(sizeof(ethtool_link_settings) + 3 * kMaxMaskWords * sizeof(std::uint32_t));
    auto* settings = buffer.as<ethtool_link_settings>();
    // Step one: zero words asks the kernel how many it uses; it answers with minus that number.
    settings->cmd = ETHTOOL_GLINKSETTINGS;
    if (auto done = run(fd, interface, settings); !done) {
        if (done.error() == EOPNOTSUPP) {
            read_legacy_settings(fd, interface, answer);
        } else {
            note(answer, "ethtool GLINKSETTINGS", interface, done.error());
        }
        return;
    }
    if (settings->link_mode_masks_nwords >= 0 || settings->cmd != ETHTOOL_GLINKSETTINGS) {
        answer.errors.push_back(Error{"ethtool GLINKSETTINGS", interface,
                                      "the kernel did not negotiate the mask size", 0});
        return;
    }
    const auto words = static_cast<std::int8_t>(-settings->link_mode_masks_nwords);
    std::memset(buffer.data(), 0, sizeof(ethtool_link_settings));
    settings->cmd = ETHTOOL_GLINKSETTINGS;
    settings->link_mode_masks_nwords = words;
    if (auto done = run(fd, interface, settings); !done) {
        note(answer, "ethtool GLINKSETTINGS", interface, done.error());
        return;
    }
    auto decoded = decode_link_settings(buffer.bytes());
    if (!decoded) {
        answer.errors.push_back(Error{"ethtool GLINKSETTINGS", interface, decoded.error(), 0});
        return;
    }
    answer.settings = std::move(*decoded);
}

}  // namespace

namespace {

// Big enough for any answer here: a STATS_GET reply of four groups is well under 1 KiB.
constexpr std::size_t kNetlinkAnswerBytes = 8192;

// Sends one request and receives its one-message answer; errno on failure.
std::expected<std::vector<std::byte>, int> round_trip(int fd,
                                                      const std::vector<std::byte>& request) {
    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;
    if (::sendto(fd, request.data(), request.size(), 0, reinterpret_cast<const sockaddr*>(&kernel),
                 sizeof kernel) < 0) {
        return std::unexpected(errno);
    }
    std::vector<std::byte> answer(kNetlinkAnswerBytes);
    ssize_t got = -1;
    do {
        got = ::recv(fd, answer.data(), answer.size(), 0);
    } while (got < 0 && errno == EINTR);
    if (got < 0) {
        return std::unexpected(errno);
    }
    answer.resize(static_cast<std::size_t>(got));
    return answer;
}

void read_standard_stats(const EthtoolNetlink& netlink, const std::string& interface,
                         EthtoolAnswer& answer) {
    // One request at a time on this socket: the sequence number need not vary.
    constexpr std::uint32_t kSequence = 2;
    auto reply =
        round_trip(netlink.socket_fd, build_stats_request(netlink.family_id, interface, kSequence));
    if (!reply) {
        note(answer, "ethtool netlink STATS_GET", interface, reply.error());
        return;
    }
    auto decoded = decode_stats_reply(*reply);
    if (decoded.error_number) {
        note(answer, "ethtool netlink STATS_GET", interface, *decoded.error_number);
    }
    if (decoded.problem) {
        answer.errors.push_back(Error{"decode ethtool STATS_GET", interface, *decoded.problem, 0});
    }
    if (decoded.stats.empty()) {
        return;
    }
    if (!answer.stats) {
        answer.stats.emplace();
    }
    answer.stats->stats.insert(answer.stats->stats.end(), decoded.stats.begin(),
                               decoded.stats.end());
}

}  // namespace

std::optional<EthtoolNetlink> open_ethtool_netlink(UniqueFd& fd) {
    fd.reset(::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC));
    if (!fd.valid()) {
        return std::nullopt;
    }
    auto reply = round_trip(fd.get(), build_family_request("ethtool", 1));
    if (!reply) {
        return std::nullopt;
    }
    const auto family = decode_family_id(*reply);
    if (!family) {
        return std::nullopt;
    }
    return EthtoolNetlink{fd.get(), *family};
}

EthtoolAnswer query_ethtool(int socket_fd, const std::string& interface,
                            const EthtoolRequest& request,
                            const std::optional<EthtoolNetlink>& netlink) {
    EthtoolAnswer answer;
    ethtool_drvinfo info{};
    info.cmd = ETHTOOL_GDRVINFO;
    if (auto done = run(socket_fd, interface, &info); done) {
        answer.driver = DriverInfo{field(info.driver, sizeof info.driver),
                                   field(info.version, sizeof info.version),
                                   field(info.fw_version, sizeof info.fw_version),
                                   field(info.bus_info, sizeof info.bus_info)};
    } else {
        note(answer, "ethtool GDRVINFO", interface, done.error());
    }
    if (request.driver_stats) {
        read_stats(socket_fd, interface, answer);
        if (netlink) {
            read_standard_stats(*netlink, interface, answer);
        }
    }
    if (request.link_settings) {
        read_settings(socket_fd, interface, answer);
    }
    return answer;
}

}  // namespace diag::net
