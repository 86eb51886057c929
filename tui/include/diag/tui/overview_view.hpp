#pragma once

#include <diag/tui/snapshot.hpp>
#include <diag/tui/styled_line.hpp>

#include <chrono>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace diag::tui {

/// The size a view is drawn for.
struct Area {
    std::size_t columns = 80;
    std::size_t rows = 24;
};

/// The header every screen starts with: host, kernel, uptime, time, worst severity, then the
/// mode (live and its interval, paused, or the offline root). Two lines.
std::vector<StyledLine> header_lines(const Snapshot& snapshot, std::size_t columns,
                                     const Glyphs& glyphs);

/// Where the overview's cursor is: which pane has it, and its row in each.
struct OverviewCursor {
    /// 0 the domain list, 1 the worst findings.
    int pane = 0;
    std::size_t domain = 0;
    std::size_t finding = 0;
};

/// The overview body in `area` (its rows are the body's, without header and hint bar): one row
/// per domain with its state, counts and worst finding, then the warnings and criticals of the
/// whole box, worst first, as many as fit. `worst` is worst_findings() of the snapshot.
std::vector<StyledLine> overview_lines(
    const Snapshot& snapshot, const std::vector<std::pair<std::size_t, std::size_t>>& worst,
    const OverviewCursor& cursor, const Area& area, const Glyphs& glyphs);

/// "3d 04:12" for seconds since boot.
std::string format_uptime(double seconds);

/// "2026-12-04 08:10:22" in UTC.
std::string format_clock(std::chrono::system_clock::time_point time);

}  // namespace diag::tui
