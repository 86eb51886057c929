#pragma once

#include <diag/mem/edac.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace diag::mem {

/// Error counts of one counted place ("mc0", "mc0/dimm3", "mc0/csrow1/ch0") at one time.
struct CountPair {
    std::optional<std::uint64_t> ce_count;
    std::optional<std::uint64_t> ue_count;
};

/// What diag-mem remembers between runs under --state-dir, to see errors grow.
struct MemState {
    std::chrono::system_clock::time_point time;
    /// Keyed by place: "mc0" for controller totals, "mc0/dimm3" for modules.
    std::map<std::string, CountPair, std::less<>> counts;
    std::optional<std::uint64_t> hardware_corrupted_bytes;
};

/// The state for the controllers and meminfo value read now.
MemState make_state(const std::vector<EdacController>& controllers,
                    std::optional<std::uint64_t> hardware_corrupted_bytes,
                    std::chrono::system_clock::time_point now);

/// JSON text of a state, schema version 1.
std::string encode_state(const MemState& state);

/// Reads a state back; nullopt for text that is not a version 1 state (a damaged file is
/// treated as no history, never as zero counts).
std::optional<MemState> decode_state(std::string_view text);

/// The file name under --state-dir.
inline constexpr std::string_view kEdacStateFile = "mem-edac.json";

}  // namespace diag::mem
