#include "diag/sys/cpu_times.hpp"

#include "diag/sys/text_fields.hpp"

#include <algorithm>
#include <array>
#include <limits>

namespace diag::sys {

std::optional<CpuTimes> parse_proc_stat(std::string_view text) {
    std::optional<CpuTimes> times;
    unsigned cpus = 0;
    for (auto line : split_lines(text)) {
        const auto fields = split_fields(line);
        if (fields.empty() || !fields[0].starts_with("cpu")) {
            continue;
        }
        if (fields[0] != "cpu") {
            ++cpus;
            continue;
        }
        constexpr std::size_t kMinimum = 5;
        if (fields.size() < kMinimum) {
            return std::nullopt;
        }
        CpuTimes parsed;
        std::array<std::uint64_t*, 8> slots{&parsed.user,    &parsed.nice,   &parsed.system,
                                            &parsed.idle,    &parsed.iowait, &parsed.irq,
                                            &parsed.softirq, &parsed.steal};
        std::uint64_t sum = 0;
        for (std::size_t i = 0; i < slots.size() && i + 1 < fields.size(); ++i) {
            auto value = parse_uint(fields[i + 1]);
            // Fields whose sum wraps 64 bits would make total() wrong; no kernel counts that
            // many ticks (found by fuzz/fuzz_proc_stat with 18446744073709551615).
            if (!value || *value > std::numeric_limits<std::uint64_t>::max() - sum) {
                return std::nullopt;
            }
            sum += *value;
            *slots.at(i) = *value;
        }
        times = parsed;
    }
    if (times) {
        times->cpu_count = cpus;
    }
    return times;
}

std::optional<CpuShares> cpu_shares(const CpuTimes& before, const CpuTimes& after) {
    // Counters can go backwards: iowait does (Documentation/filesystems/proc.rst 1.7), and a CPU
    // going offline takes its ticks out of the sum. A field that fell counts as no time, and the
    // elapsed time is what the fields rose by, so every share stays within 0 to 100. Using the
    // difference of the totals instead gave shares above 100% and negative busy time (found by
    // fuzz/fuzz_proc_stat).
    auto rise = [](std::uint64_t a, std::uint64_t b) {
        return b > a ? static_cast<double>(b - a) : 0.0;
    };
    const double idle = rise(before.idle, after.idle);
    const double iowait = rise(before.iowait, after.iowait);
    const double steal = rise(before.steal, after.steal);
    const double elapsed = rise(before.user, after.user) + rise(before.nice, after.nice) +
                           rise(before.system, after.system) + idle + iowait +
                           rise(before.irq, after.irq) + rise(before.softirq, after.softirq) +
                           steal;
    if (elapsed <= 0.0) {
        return std::nullopt;
    }
    CpuShares shares;
    shares.iowait_pct = 100.0 * iowait / elapsed;
    shares.steal_pct = 100.0 * steal / elapsed;
    shares.busy_pct = std::max(0.0, 100.0 - 100.0 * idle / elapsed - shares.iowait_pct);
    return shares;
}

}  // namespace diag::sys
