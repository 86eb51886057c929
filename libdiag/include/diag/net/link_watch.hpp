#pragma once

#include <diag/core/error.hpp>
#include <diag/core/unique_fd.hpp>
#include <diag/net/nic_window.hpp>

#include <chrono>
#include <expected>
#include <map>
#include <string>
#include <vector>

namespace diag::net {

/// Listens to the kernel's link notifications (an rtnetlink socket joined to RTNLGRP_LINK,
/// rtnetlink(7)) and turns changes of carrier into timed LinkEvents. Live machine only.
class LinkWatch {
public:
    /// Opens and binds the socket. Fails with the call that failed.
    static std::expected<LinkWatch, Error> open();

    /// Sets the carrier state each interface is known to be in, so that only changes count.
    void prime(const std::vector<Interface>& interfaces);

    /// Reads notifications until `until`, returning the carrier changes seen. A notification
    /// that repeats the known state is not a change. A failing receive ends the wait early and
    /// is reported in `error`.
    std::vector<LinkEvent> collect_until(std::chrono::steady_clock::time_point until);

    /// The last receive error, when there was one (ENOBUFS: notifications were lost).
    [[nodiscard]] const std::optional<Error>& error() const { return error_; }

private:
    explicit LinkWatch(UniqueFd fd) : fd_(std::move(fd)) {}

    UniqueFd fd_;
    std::map<std::string, bool, std::less<>> carrier_;
    std::optional<Error> error_;
};

}  // namespace diag::net
