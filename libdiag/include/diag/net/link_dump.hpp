#pragma once

#include <diag/core/error.hpp>
#include <diag/net/link_message.hpp>

#include <chrono>
#include <expected>
#include <functional>
#include <string>
#include <vector>

namespace diag::net {

/// All interfaces of this network namespace from one rtnetlink RTM_GETLINK dump.
struct LinkDump {
    std::vector<LinkMessage> links;
    /// Messages that could not be decoded, and NLM_F_DUMP_INTR (the set changed mid-dump).
    std::vector<std::string> problems;
};

/// Sends one RTM_GETLINK request with NLM_F_DUMP on a NETLINK_ROUTE socket and reads the answer
/// until NLMSG_DONE. Each receive waits at most what is left of `deadline`; the whole dump fails
/// with "no answer within N ms" past it. Live machine only.
std::expected<LinkDump, Error> dump_links(std::chrono::milliseconds deadline);

/// The same dump, handing the links of each received chunk to on_links as they are decoded
/// (which may take them) instead of keeping them all: a box with hundreds of interfaces never
/// holds every message at once. The LinkDump returned has the problems and no links.
std::expected<LinkDump, Error> dump_links(
    std::chrono::milliseconds deadline,
    const std::function<void(std::vector<LinkMessage>&)>& on_links);

}  // namespace diag::net
