#include "diag/net/link_watch.hpp"

#include "diag/net/link_message.hpp"

#include <cerrno>
#include <thread>
#include <vector>

#include <linux/if.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <poll.h>
#include <sys/socket.h>

namespace diag::net {

std::expected<LinkWatch, Error> LinkWatch::open() {
    UniqueFd fd(::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE));
    if (!fd.valid()) {
        return std::unexpected(system_error("socket", "NETLINK_ROUTE", errno));
    }
    sockaddr_nl local{};
    local.nl_family = AF_NETLINK;
    local.nl_groups = RTMGRP_LINK;
    if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&local), sizeof local) != 0) {
        return std::unexpected(system_error("bind", "RTNLGRP_LINK", errno));
    }
    return LinkWatch(std::move(fd));
}

void LinkWatch::prime(const std::vector<Interface>& interfaces) {
    for (const auto& interface : interfaces) {
        if (interface.carrier) {
            carrier_[interface.name] = *interface.carrier;
        }
    }
}

std::vector<LinkEvent> LinkWatch::collect_until(std::chrono::steady_clock::time_point until) {
    std::vector<LinkEvent> events;
    constexpr std::size_t kReceiveBytes = std::size_t{64} << 10U;
    std::vector<std::byte> buffer(kReceiveBytes);
    while (true) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            until - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            break;
        }
        pollfd ready{fd_.get(), POLLIN, 0};
        const int polled = ::poll(&ready, 1, static_cast<int>(left.count()));
        if (polled <= 0) {
            if (polled < 0 && errno != EINTR) {
                error_ = system_error("poll", "RTNLGRP_LINK", errno);
                std::this_thread::sleep_until(until);
            }
            continue;
        }
        const ssize_t got = ::recv(fd_.get(), buffer.data(), buffer.size(), 0);
        if (got < 0) {
            if (errno != EAGAIN && errno != EINTR) {
                // ENOBUFS: the kernel dropped notifications; the counters still tell the count.
                error_ = system_error("receive", "RTNLGRP_LINK", errno);
            }
            continue;
        }
        const auto now = std::chrono::system_clock::now();
        const auto part = decode_link_dump(std::span(buffer.data(), static_cast<std::size_t>(got)));
        for (const auto& link : part.links) {
            if (!link.name) {
                continue;
            }
            const bool up = link.carrier.value_or((link.flags & IFF_LOWER_UP) != 0);
            auto [it, inserted] = carrier_.try_emplace(*link.name, up);
            if (!inserted && it->second != up) {
                it->second = up;
                events.push_back({*link.name, now, up, false});
            }
        }
    }
    return events;
}

}  // namespace diag::net
