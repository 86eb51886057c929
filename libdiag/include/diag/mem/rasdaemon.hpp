#pragma once

#include <diag/core/collected.hpp>
#include <diag/core/report.hpp>
#include <diag/core/root.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace diag::mem {

/// rasdaemon's database (RASSTATEDIR "/" RAS_DB_FNAME in rasdaemon's build, Debian's path).
inline constexpr std::string_view kRasdaemonDatabase = "/var/lib/rasdaemon/ras-mc_event.db";

/// The memory controller errors rasdaemon recorded at one place with one type: rows of its
/// mc_event table (rasdaemon ras-record.c) grouped by type, label, controller and layers.
struct RasMcGroup {
    /// err_type as rasdaemon writes it: "Corrected", "Uncorrected", "Fatal" or "Info".
    std::string type;
    /// The DIMM label the EDAC driver gave; may be empty.
    std::string label;
    std::optional<std::int64_t> mc;
    /// top_layer.middle_layer.lower_layer, the EDAC layers (channel, slot, ...).
    std::string layers;
    /// Sum of err_count over the rows.
    std::uint64_t error_count = 0;
    /// Rows (events) in the group.
    std::uint64_t event_count = 0;
    /// Timestamps as rasdaemon wrote them ("2024-03-01 10:22:33 +0000").
    std::string first_seen;
    std::string last_seen;
};

/// Reads and groups rasdaemon's mc_event table, read-only, through the root (opened with
/// Root::open_file, so a captured root's copy is read). No database is no data and an info
/// Issue; a database that cannot be read is an error Issue. Memory is bounded by the number of
/// groups, not of events.
Collected<std::optional<std::vector<RasMcGroup>>> read_rasdaemon(const Root& root);

/// One finding per place with errors (mem.rasdaemon.errors): critical for uncorrected or fatal
/// errors, warning for corrected ones; none when rasdaemon recorded nothing, beyond one ok.
Report assess_rasdaemon(const std::vector<RasMcGroup>& groups);

}  // namespace diag::mem
