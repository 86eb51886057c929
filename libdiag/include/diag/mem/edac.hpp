#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace diag::mem {

/// Which sysfs layout an EDAC memory controller used.
/// Source: Documentation/admin-guide/ras.rst ("EDAC - Error Detection And Correction") and
/// Documentation/ABI/testing/sysfs-devices-edac in the kernel tree.
enum class EdacLayout { unknown, csrow, dimm };

/// One memory module as EDAC counts it: a dimmN/ or rankN/ directory (new layout) or one
/// channel of a csrowN/ directory (old layout, "csrow0/ch1").
struct EdacDimm {
    /// "dimm3", "rank0" or "csrow0/ch1".
    std::string name;
    /// dimm_label or chM_dimm_label: the silkscreen name the firmware gave, such as "CPU0_DIMM_A1".
    std::optional<std::string> label;
    /// dimm_location: "channel 0 slot 1" and the like (new layout only).
    std::optional<std::string> location;
    std::optional<std::uint64_t> ce_count;
    std::optional<std::uint64_t> ue_count;
    /// size in the new layout, size_mb of the csrow in the old one, in MiB.
    std::optional<std::uint64_t> size_mib;
};

/// A csrowN/ directory's own totals (old layout).
struct EdacCsrow {
    std::string name;
    std::optional<std::uint64_t> ce_count;
    std::optional<std::uint64_t> ue_count;
};

/// One /sys/devices/system/edac/mc/mcN directory.
struct EdacController {
    /// "mc0".
    std::string name;
    EdacLayout layout = EdacLayout::unknown;
    /// Corrected and uncorrected errors of the whole controller.
    std::optional<std::uint64_t> ce_count;
    std::optional<std::uint64_t> ue_count;
    /// Errors the driver could not attribute to a module.
    std::optional<std::uint64_t> ce_noinfo_count;
    std::optional<std::uint64_t> ue_noinfo_count;
    std::vector<EdacDimm> dimms;
    std::vector<EdacCsrow> csrows;
    /// Files that were there but did not hold what the kernel writes ("csrow0/ce_count").
    std::vector<std::string> unreadable;
};

/// The files of one mcN directory: path relative to it ("ce_count", "dimm0/dimm_label",
/// "csrow1/ch0_ce_count") to contents.
using EdacFiles = std::map<std::string, std::string, std::less<>>;

/// A counter file: a decimal number and an optional newline; nullopt for anything else.
std::optional<std::uint64_t> parse_edac_count(std::string_view text);

/// A label or location file with its trailing newline and blanks removed; nullopt when empty.
std::optional<std::string> parse_edac_text(std::string_view text);

/// Decodes one controller from its files. Both layouts are read; a file that is missing
/// leaves its value absent, one that does not parse is also listed in `unreadable`.
EdacController decode_edac_controller(std::string name, const EdacFiles& files);

/// Total corrected and uncorrected errors of a controller: the mc-level counters where the
/// driver has them, else the sum over modules plus the noinfo counters.
std::optional<std::uint64_t> total_ce(const EdacController& controller);
std::optional<std::uint64_t> total_ue(const EdacController& controller);

}  // namespace diag::mem
