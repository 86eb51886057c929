#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace diag::crash {

/// What the likely-cause rules look at, from the core (or a live process's last signal).
struct CrashEvidence {
    int signo = 0;
    int code = 0;
    std::optional<std::uint64_t> fault_address;
    std::optional<std::uint64_t> pc;
    std::optional<std::uint64_t> sp;
    /// Whether pc lies in a mapping that is executable; nullopt when the mappings are unknown.
    std::optional<bool> pc_executable;
    /// Whether the fault address lies in no mapping of the core.
    std::optional<bool> fault_unmapped;
    /// glibc's __abort_msg text, when the process aborted through glibc.
    std::optional<std::string> abort_message;
    /// The innermost function names of the crashing thread are glibc's abort path.
    bool abort_in_frames = false;
};

/// The kind of crash the rules decided on.
enum class CauseKind {
    null_dereference,
    stack_overflow,
    bad_address,
    write_to_read_only,
    execute_non_executable,
    abort_with_message,
    abort,
    integer_divide_by_zero,
    integer_overflow,
    float_error,
    bus_error,
    illegal_instruction,
    breakpoint,
    killed_by_signal,
    unknown,
};

/// One line for a person, and the kind behind it.
struct LikelyCause {
    CauseKind kind = CauseKind::unknown;
    std::string summary;
};

/// Stack overflow: the kernel reports a fault below the stack pointer; the fault lies within
/// this many bytes of sp. 64 KiB is the largest single stack probe GCC's
/// -fstack-clash-protection leaves unprobed (GCC docs, "stack-clash-protection-guard-size").
inline constexpr std::uint64_t kStackFaultReachBytes = 65536;
/// NULL dereference: Linux never maps below vm.mmap_min_addr (default 65536,
/// Documentation/admin-guide/sysctl/vm.rst); a fault in that range is a NULL pointer plus a
/// member offset.
inline constexpr std::uint64_t kNullPageLimitBytes = 65536;

/// Applies the rules in order: abort message, stack overflow, NULL page, exec of
/// non-executable memory, then by signal and si_code.
LikelyCause likely_cause(const CrashEvidence& evidence);

}  // namespace diag::crash
