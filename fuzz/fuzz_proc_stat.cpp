// Fuzzes parse_proc_stat (/proc/stat, Documentation/filesystems/proc.rst 1.7) and cpu_shares.
// Invariants: the CPU count is the number of "cpuN" lines, the aggregate line's numbers are
// the ones written, their total does not wrap, and shares of two readings are percentages.

#include "fuzz_check.hpp"

#include <diag/sys/cpu_times.hpp>
#include <diag/sys/text_fields.hpp>

#include <array>
#include <cmath>

namespace {

using diag::fuzz::reference_number;
using diag::fuzz::require;
using diag::sys::CpuTimes;

std::array<std::uint64_t, 8> ticks(const CpuTimes& t) {
    return {t.user, t.nice, t.system, t.idle, t.iowait, t.irq, t.softirq, t.steal};
}

void check_times(std::string_view text, const CpuTimes& times) {
    unsigned per_cpu_lines = 0;
    std::optional<std::string_view> aggregate;
    for (auto line : diag::sys::split_lines(text)) {
        const auto fields = diag::sys::split_fields(line);
        if (fields.empty() || !fields[0].starts_with("cpu")) {
            continue;
        }
        if (fields[0] == "cpu") {
            aggregate = line;
        } else {
            ++per_cpu_lines;
        }
    }
    require(times.cpu_count == per_cpu_lines, "cpu_count is the number of cpuN lines");
    require(aggregate.has_value(), "times come from an aggregate cpu line");

    const auto fields = diag::sys::split_fields(*aggregate);
    const auto values = ticks(times);
    std::uint64_t sum = 0;
    for (std::size_t i = 0; i < values.size(); ++i) {
        const std::uint64_t expected =
            i + 1 < fields.size() ? reference_number<std::uint64_t>(fields[i + 1]).value_or(~0ULL)
                                  : 0;
        require(values.at(i) == expected, "each field is the number written, or 0 when absent");
        require(sum + values.at(i) >= sum, "the fields add up without wrapping");
        sum += values.at(i);
    }
    require(times.total() == sum, "total() is the sum of the fields");
}

void check_shares(const CpuTimes& before, const CpuTimes& after) {
    const auto shares = diag::sys::cpu_shares(before, after);
    const auto old_ticks = ticks(before);
    const auto new_ticks = ticks(after);
    bool any_rose = false;
    for (std::size_t i = 0; i < old_ticks.size(); ++i) {
        any_rose = any_rose || new_ticks.at(i) > old_ticks.at(i);
    }
    require(shares.has_value() == any_rose, "shares exactly when some counter rose");
    if (!shares) {
        return;
    }
    constexpr double kRounding = 1e-9;
    for (double pct : {shares->iowait_pct, shares->steal_pct, shares->busy_pct}) {
        require(std::isfinite(pct) && pct >= -kRounding && pct <= 100.0 + kRounding,
                "busy, iowait and steal are percentages");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto text = diag::fuzz::as_text(data, size);
    const auto times = diag::sys::parse_proc_stat(text);
    if (!times) {
        return 0;
    }
    check_times(text, *times);

    // A second reading: the input read again from its middle, so both come from the fuzzer.
    if (const auto later = diag::sys::parse_proc_stat(text.substr(text.size() / 2))) {
        check_shares(*times, *later);
        check_shares(*later, *times);
    }
    return 0;
}
