#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace diag::mem {

/// Where a memory test stands, for one line of a progress display.
struct ProgressState {
    /// Done so far, 0 to 1.
    double fraction = 0;
    std::string_view test;
    std::uint64_t pass = 0;
    /// Passes asked for; nullopt when they run until a time budget is spent.
    std::optional<std::uint64_t> passes;
    double bytes_per_second = 0;
    /// Time left; nullopt while it cannot be estimated yet.
    std::optional<double> eta_seconds;
};

/// One line such as "[#######.............]  35%  pass 1/2  bit-flip  9.4 GB/s  ETA 1:05",
/// at most width columns (the bar shrinks first), with no line ending.
std::string progress_line(const ProgressState& state, std::size_t width);

/// "0:07", "12:30", "1:02:03".
std::string format_eta(double seconds);

}  // namespace diag::mem
