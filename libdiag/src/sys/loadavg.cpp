#include "diag/sys/loadavg.hpp"

#include "diag/sys/text_fields.hpp"

#include <limits>

namespace diag::sys {

std::optional<LoadAverage> parse_loadavg(std::string_view text) {
    const auto lines = split_lines(text);
    if (lines.empty()) {
        return std::nullopt;
    }
    const auto fields = split_fields(lines[0]);
    if (fields.size() < 3) {
        return std::nullopt;
    }
    auto l1 = parse_double(fields[0]);
    auto l5 = parse_double(fields[1]);
    auto l15 = parse_double(fields[2]);
    if (!l1 || !l5 || !l15 || *l1 < 0 || *l5 < 0 || *l15 < 0) {
        return std::nullopt;
    }
    LoadAverage load{*l1, *l5, *l15, 0, 0};
    if (fields.size() >= 4) {
        const auto slash = fields[3].find('/');
        if (slash != std::string_view::npos) {
            auto runnable = parse_uint(fields[3].substr(0, slash));
            auto tasks = parse_uint(fields[3].substr(slash + 1));
            // Counts that do not fit are not cut down to fit (found by fuzz/fuzz_loadavg:
            // 77777777770 tasks read as 468366442).
            constexpr std::uint64_t kMax = std::numeric_limits<unsigned>::max();
            if (runnable && tasks && *runnable <= kMax && *tasks <= kMax) {
                load.runnable = static_cast<unsigned>(*runnable);
                load.tasks = static_cast<unsigned>(*tasks);
            }
        }
    }
    return load;
}

std::optional<double> parse_uptime_seconds(std::string_view text) {
    const auto lines = split_lines(text);
    if (lines.empty()) {
        return std::nullopt;
    }
    const auto fields = split_fields(lines[0]);
    if (fields.empty()) {
        return std::nullopt;
    }
    auto seconds = parse_double(fields[0]);
    if (!seconds || *seconds < 0) {
        return std::nullopt;
    }
    return seconds;
}

}  // namespace diag::sys
