#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace diag::sys {

/// The aggregate "cpu" line of /proc/stat, in USER_HZ ticks, plus the number of "cpuN" lines.
/// Fields after idle appeared in later kernels (iowait 2.5.41, irq and softirq 2.6.0,
/// steal 2.6.11) and are zero when absent. Format: Documentation/filesystems/proc.rst, 1.7.
struct CpuTimes {
    std::uint64_t user = 0;
    std::uint64_t nice = 0;
    std::uint64_t system = 0;
    std::uint64_t idle = 0;
    std::uint64_t iowait = 0;
    std::uint64_t irq = 0;
    std::uint64_t softirq = 0;
    std::uint64_t steal = 0;
    /// Number of online CPUs listed.
    unsigned cpu_count = 0;

    /// All ticks (guest time is already inside user and nice).
    [[nodiscard]] std::uint64_t total() const {
        return user + nice + system + idle + iowait + irq + softirq + steal;
    }
};

/// Parses /proc/stat; nullopt when there is no aggregate "cpu" line with at least 4 numbers, or
/// when its numbers do not add up within 64 bits.
std::optional<CpuTimes> parse_proc_stat(std::string_view text);

/// Shares of time between two readings, in percent (0 to 100 each); a counter that went
/// backwards counts as no time. nullopt when no counter rose.
struct CpuShares {
    double iowait_pct = 0.0;
    double steal_pct = 0.0;
    double busy_pct = 0.0;
};
std::optional<CpuShares> cpu_shares(const CpuTimes& before, const CpuTimes& after);

}  // namespace diag::sys
