#include "diag/net/link_dump.hpp"

#include "diag/core/unique_fd.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iterator>
#include <vector>

#include <fmt/format.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>
#include <sys/time.h>

namespace diag::net {

namespace {

// Big enough for any dump chunk: the kernel fills at most max(32 KiB, the reader's buffer) per
// message batch (netlink_dump in net/netlink/af_netlink.c).
constexpr std::size_t kReceiveBytes = std::size_t{64} << 10U;

Error deadline_error(std::chrono::milliseconds deadline) {
    return Error{"netlink dump", "RTM_GETLINK",
                 fmt::format("no answer within {} ms", deadline.count()), ETIME};
}

std::expected<void, Error> send_request(int fd) {
    struct Request {
        nlmsghdr header;
        ifinfomsg info;
    } request{};
    request.header.nlmsg_len = sizeof request;
    request.header.nlmsg_type = RTM_GETLINK;
    request.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    request.header.nlmsg_seq = 1;
    request.info.ifi_family = AF_UNSPEC;
    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;
    if (::sendto(fd, &request, sizeof request, 0, reinterpret_cast<const sockaddr*>(&kernel),
                 sizeof kernel) < 0) {
        return std::unexpected(system_error("send", "RTM_GETLINK", errno));
    }
    return {};
}

bool interrupted(std::span<const std::byte> buffer) {
    // NLM_F_DUMP_INTR on any message: the interface list changed while it was being dumped.
    std::size_t offset = 0;
    while (offset + sizeof(nlmsghdr) <= buffer.size()) {
        nlmsghdr header{};
        std::memcpy(&header, buffer.data() + offset, sizeof header);
        if (header.nlmsg_len < sizeof header) {
            break;
        }
        if ((header.nlmsg_flags & NLM_F_DUMP_INTR) != 0) {
            return true;
        }
        offset += (header.nlmsg_len + 3U) & ~3U;
    }
    return false;
}

}  // namespace

std::expected<LinkDump, Error> dump_links(std::chrono::milliseconds deadline) {
    std::vector<LinkMessage> links;
    auto dump = dump_links(deadline, [&](std::vector<LinkMessage>& part) {
        std::move(part.begin(), part.end(), std::back_inserter(links));
    });
    if (dump) {
        dump->links = std::move(links);
    }
    return dump;
}

std::expected<LinkDump, Error> dump_links(
    std::chrono::milliseconds deadline,
    const std::function<void(std::vector<LinkMessage>&)>& on_links) {
    const auto end = std::chrono::steady_clock::now() + deadline;
    UniqueFd fd(::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE));
    if (!fd.valid()) {
        return std::unexpected(system_error("socket", "NETLINK_ROUTE", errno));
    }
    if (auto sent = send_request(fd.get()); !sent) {
        return std::unexpected(sent.error());
    }
    LinkDump dump;
    std::vector<std::byte> buffer(kReceiveBytes);
    while (true) {
        const auto left = std::chrono::duration_cast<std::chrono::microseconds>(
            end - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            return std::unexpected(deadline_error(deadline));
        }
        timeval timeout{};
        timeout.tv_sec = static_cast<time_t>(left.count() / 1'000'000);
        timeout.tv_usec = static_cast<suseconds_t>(left.count() % 1'000'000);
        ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);

        iovec vector{buffer.data(), buffer.size()};
        msghdr message{};
        message.msg_iov = &vector;
        message.msg_iovlen = 1;
        const ssize_t got = ::recvmsg(fd.get(), &message, 0);
        if (got < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                return std::unexpected(deadline_error(deadline));
            }
            return std::unexpected(system_error("receive", "RTM_GETLINK", errno));
        }
        if ((message.msg_flags & MSG_TRUNC) != 0) {
            dump.problems.emplace_back("a netlink message was larger than the receive buffer");
        }
        const std::span<const std::byte> chunk(buffer.data(), static_cast<std::size_t>(got));
        if (interrupted(chunk)) {
            dump.problems.emplace_back("the interface list changed during the dump");
        }
        auto part = decode_link_dump(chunk);
        on_links(part.links);
        std::move(part.problems.begin(), part.problems.end(), std::back_inserter(dump.problems));
        if (part.error_number) {
            return std::unexpected(system_error("netlink dump", "RTM_GETLINK", *part.error_number));
        }
        if (part.done) {
            break;
        }
    }
    // Two problems of the same kind say nothing more than one.
    std::sort(dump.problems.begin(), dump.problems.end());
    dump.problems.erase(std::unique(dump.problems.begin(), dump.problems.end()),
                        dump.problems.end());
    return dump;
}

}  // namespace diag::net
