#pragma once

#include <diag/core/severity.hpp>

#include <cstdint>
#include <string_view>
#include <vector>

namespace diag::sys {

/// One set bit of the kernel's taint mask.
struct TaintFlag {
    unsigned bit = 0;
    /// The letter the kernel prints in oops headers ("M", "D", ...).
    char letter = '?';
    std::string_view meaning;
    /// How much it matters on a failing box: a machine check, a bad page or a recent oops is
    /// critical, a warning or soft lockup is a warning, the rest (modules, live patches) info.
    Severity severity = Severity::info;
};

/// Decodes /proc/sys/kernel/tainted flag by flag. Unknown bits (from newer kernels) are kept
/// with letter '?'. Source: Documentation/admin-guide/tainted-kernels.rst (Linux 6.12).
std::vector<TaintFlag> decode_taint(std::uint64_t mask);

}  // namespace diag::sys
