#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>

namespace diag::mem {

/// What --size asked for: a byte count or a share of MemAvailable.
struct SizeRequest {
    std::optional<std::uint64_t> bytes;
    std::optional<double> percent_of_available;
};

/// Parses "4096", "512K", "256M", "1.5G", "2GiB", "1T" (binary multiples, as memtester reads
/// them) or "25%" (of MemAvailable). The error is one line for the user.
std::expected<SizeRequest, std::string> parse_test_size(std::string_view text);

/// Memory left free beside a test: the larger of 256 MiB and 5% of MemTotal. The kernel's own
/// reserve (vm.min_free_kbytes, Documentation/admin-guide/sysctl/vm.rst) is far smaller; this
/// margin is diag's choice, so the page cache, the shell and the tool itself keep room.
std::uint64_t oom_headroom_bytes(std::optional<std::uint64_t> mem_total_bytes);

/// Turns a request into bytes, rounded down to whole pages. Refuses, with the reason, a size
/// that would leave less than oom_headroom_bytes of MemAvailable, and one under one page.
std::expected<std::uint64_t, std::string> resolve_test_size(
    const SizeRequest& request, std::optional<std::uint64_t> mem_available_bytes,
    std::optional<std::uint64_t> mem_total_bytes, std::uint64_t page_size_bytes);

}  // namespace diag::mem
