#include "diag/mem/test_size.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>

namespace diag::mem {

namespace {

std::string mib_text(std::uint64_t bytes) {
    return std::to_string(bytes >> 20U) + " MiB";
}

}  // namespace

std::expected<SizeRequest, std::string> parse_test_size(std::string_view text) {
    const std::string shown(text);
    double number = 0.0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (error != std::errc{} || end == text.data() || !std::isfinite(number) || number < 0.0) {
        return std::unexpected(
            "--size takes a number with an optional suffix (K, M, G, T) or a "
            "percentage, not '" +
            shown + "'");
    }
    std::string_view suffix = text.substr(static_cast<std::size_t>(end - text.data()));
    if (suffix == "%") {
        if (number <= 0.0 || number > 100.0) {
            return std::unexpected("--size " + shown + ": a percentage is from above 0 to 100");
        }
        return SizeRequest{std::nullopt, number};
    }
    if (suffix.ends_with("iB")) {
        suffix.remove_suffix(2);
    } else if (suffix.size() == 2 && suffix.back() == 'B') {
        suffix.remove_suffix(1);
    }
    unsigned shift = 0;
    if (suffix.empty() || suffix == "B") {
        shift = 0;
    } else if (suffix == "K" || suffix == "k") {
        shift = 10;
    } else if (suffix == "M" || suffix == "m") {
        shift = 20;
    } else if (suffix == "G" || suffix == "g") {
        shift = 30;
    } else if (suffix == "T" || suffix == "t") {
        shift = 40;
    } else {
        return std::unexpected("--size " + shown + ": unknown suffix '" + std::string(suffix) +
                               "' (B, K, M, G, T or %)");
    }
    const double bytes = std::ldexp(number, static_cast<int>(shift));
    if (bytes >= 18446744073709551615.0) {
        return std::unexpected("--size " + shown + " is too large");
    }
    return SizeRequest{static_cast<std::uint64_t>(bytes), std::nullopt};
}

std::uint64_t oom_headroom_bytes(std::optional<std::uint64_t> mem_total_bytes) {
    constexpr std::uint64_t kMinimum = std::uint64_t{256} << 20U;
    return std::max(kMinimum, mem_total_bytes.value_or(0) / 20);
}

std::expected<std::uint64_t, std::string> resolve_test_size(
    const SizeRequest& request, std::optional<std::uint64_t> mem_available_bytes,
    std::optional<std::uint64_t> mem_total_bytes, std::uint64_t page_size_bytes) {
    std::uint64_t bytes = 0;
    if (request.percent_of_available) {
        if (!mem_available_bytes) {
            return std::unexpected(
                "--size as a percentage needs MemAvailable from /proc/meminfo, "
                "which could not be read");
        }
        bytes = static_cast<std::uint64_t>(static_cast<double>(*mem_available_bytes) *
                                           *request.percent_of_available / 100.0);
    } else {
        bytes = request.bytes.value_or(0);
    }
    bytes -= bytes % page_size_bytes;
    if (bytes == 0) {
        return std::unexpected("--size is less than one page (" + std::to_string(page_size_bytes) +
                               " bytes)");
    }
    if (mem_available_bytes) {
        const auto headroom = oom_headroom_bytes(mem_total_bytes);
        if (bytes > *mem_available_bytes || *mem_available_bytes - bytes < headroom) {
            return std::unexpected(
                "refusing to test " + mib_text(bytes) + ": MemAvailable is " +
                mib_text(*mem_available_bytes) + " and at least " + mib_text(headroom) +
                " must stay free, or the OOM killer may end processes; test at most " +
                mib_text(*mem_available_bytes > headroom ? *mem_available_bytes - headroom : 0));
        }
    }
    return bytes;
}

}  // namespace diag::mem
