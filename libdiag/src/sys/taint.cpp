#include "diag/sys/taint.hpp"

#include <array>

namespace diag::sys {

namespace {

struct KnownFlag {
    char letter;
    std::string_view meaning;
    Severity severity;
};

// Index is the bit number; the table of Documentation/admin-guide/tainted-kernels.rst.
constexpr std::array<KnownFlag, 20> kFlags{{
    {'P', "proprietary module was loaded", Severity::info},
    {'F', "module was force loaded", Severity::info},
    {'S', "kernel running on an out of specification system", Severity::warning},
    {'R', "module was force unloaded", Severity::info},
    {'M', "processor reported a machine check exception", Severity::critical},
    {'B', "bad page referenced or unexpected page flags", Severity::critical},
    {'U', "taint requested by a userspace application", Severity::info},
    {'D', "kernel died recently (oops or BUG)", Severity::critical},
    {'A', "ACPI table overridden by user", Severity::info},
    {'W', "kernel issued a warning", Severity::warning},
    {'C', "staging driver was loaded", Severity::info},
    {'I', "workaround for a platform firmware bug applied", Severity::info},
    {'O', "externally-built (out-of-tree) module was loaded", Severity::info},
    {'E', "unsigned module was loaded", Severity::info},
    {'L', "soft lockup occurred", Severity::warning},
    {'K', "kernel has been live patched", Severity::info},
    {'X', "auxiliary taint defined by the distribution", Severity::info},
    {'T', "kernel built with the struct randomization plugin", Severity::info},
    {'N', "an in-kernel test has been run", Severity::info},
    {'J', "userspace used a mutating debug operation in fwctl", Severity::info},
}};

}  // namespace

std::vector<TaintFlag> decode_taint(std::uint64_t mask) {
    std::vector<TaintFlag> flags;
    for (unsigned bit = 0; bit < 64; ++bit) {
        if ((mask & (std::uint64_t{1} << bit)) == 0) {
            continue;
        }
        if (bit < kFlags.size()) {
            const auto& known = kFlags.at(bit);
            flags.push_back({bit, known.letter, known.meaning, known.severity});
        } else {
            flags.push_back({bit, '?', "unknown taint bit (newer kernel)", Severity::info});
        }
    }
    return flags;
}

}  // namespace diag::sys
