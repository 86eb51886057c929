#include "diag/sys/cpu_times.hpp"

#include "diag/sys/text_fields.hpp"

#include <array>

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
        for (std::size_t i = 0; i < slots.size() && i + 1 < fields.size(); ++i) {
            auto value = parse_uint(fields[i + 1]);
            if (!value) {
                return std::nullopt;
            }
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
    if (after.total() <= before.total()) {
        return std::nullopt;
    }
    const auto elapsed = static_cast<double>(after.total() - before.total());
    auto share = [&](std::uint64_t a, std::uint64_t b) {
        return b >= a ? 100.0 * static_cast<double>(b - a) / elapsed : 0.0;
    };
    CpuShares shares;
    shares.iowait_pct = share(before.iowait, after.iowait);
    shares.steal_pct = share(before.steal, after.steal);
    shares.busy_pct = 100.0 - share(before.idle, after.idle) - shares.iowait_pct;
    return shares;
}

}  // namespace diag::sys
