#include "diag/mem/progress_line.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace diag::mem {

namespace {

constexpr std::size_t kBarMax = 30;
constexpr std::size_t kBarMin = 5;

}  // namespace

std::string format_eta(double seconds) {
    const auto total = static_cast<std::uint64_t>(std::max(0.0, std::round(seconds)));
    const auto hours = total / 3600;
    const auto minutes = total / 60 % 60;
    const auto rest = total % 60;
    if (hours > 0) {
        return fmt::format("{}:{:02}:{:02}", hours, minutes, rest);
    }
    return fmt::format("{}:{:02}", minutes, rest);
}

std::string progress_line(const ProgressState& state, std::size_t width) {
    const double fraction = std::clamp(state.fraction, 0.0, 1.0);
    std::string tail = fmt::format(" {:3}%  pass {}", static_cast<int>(fraction * 100), state.pass);
    if (state.passes) {
        tail += fmt::format("/{}", *state.passes);
    }
    tail += fmt::format("  {}  {:.1f} GB/s  ETA {}", state.test, state.bytes_per_second / 1e9,
                        state.eta_seconds ? format_eta(*state.eta_seconds) : "--:--");
    // "[" + bar + "]" + tail must fit.
    std::size_t bar = kBarMax;
    if (width < tail.size() + kBarMax + 2) {
        bar = width > tail.size() + kBarMin + 2 ? width - tail.size() - 2 : 0;
    }
    if (bar == 0) {
        return tail.substr(tail.find_first_not_of(' '), width);
    }
    const auto filled = static_cast<std::size_t>(fraction * static_cast<double>(bar));
    return "[" + std::string(filled, '#') + std::string(bar - filled, '.') + "]" + tail;
}

}  // namespace diag::mem
