#include "diag/crash/likely_cause.hpp"

#include "diag/crash/signal_names.hpp"

#include <fmt/format.h>

namespace diag::crash {

namespace {

constexpr int kSigill = 4;
constexpr int kSigtrap = 5;
constexpr int kSigabrt = 6;
constexpr int kSigbus = 7;
constexpr int kSigfpe = 8;
constexpr int kSigsegv = 11;
// si_code values, include/uapi/asm-generic/siginfo.h.
constexpr int kSegvAccerr = 2;
constexpr int kFpeIntdiv = 1;
constexpr int kFpeIntovf = 2;
constexpr int kBusAdraln = 1;
constexpr int kBusAdrerr = 2;
constexpr int kBusMceerrAr = 4;

std::string hex(std::uint64_t value) {
    return fmt::format("{:#x}", value);
}

std::optional<LikelyCause> segv_cause(const CrashEvidence& e) {
    if (e.signo != kSigsegv && e.signo != kSigbus) {
        return std::nullopt;
    }
    // A push or call faults just below sp, a store into a new frame just above it; either
    // way in an unmapped page (the guard gap below the stack).
    if (e.fault_address && e.sp && e.fault_unmapped != false &&
        (*e.fault_address <= *e.sp ? *e.sp - *e.fault_address : *e.fault_address - *e.sp) <=
            kStackFaultReachBytes) {
        return LikelyCause{CauseKind::stack_overflow,
                           fmt::format("stack overflow: fault at {} next to the stack pointer {} "
                                       "(deep or infinite recursion, or a huge local)",
                                       hex(*e.fault_address), hex(*e.sp))};
    }
    if (e.fault_address && e.pc && *e.fault_address == *e.pc && e.pc_executable == false) {
        return LikelyCause{CauseKind::execute_non_executable,
                           fmt::format("jump to non-executable memory at {} (a corrupted "
                                       "function pointer or return address)",
                                       hex(*e.pc))};
    }
    if (e.signo == kSigsegv && e.fault_address && *e.fault_address < kNullPageLimitBytes) {
        return LikelyCause{
            CauseKind::null_dereference,
            fmt::format("NULL pointer dereference (fault address {}{})", hex(*e.fault_address),
                        *e.fault_address == 0 ? "" : ", a member of a NULL object")};
    }
    if (e.signo == kSigsegv && e.code == kSegvAccerr && e.fault_address) {
        return LikelyCause{CauseKind::write_to_read_only,
                           fmt::format("access denied at {}: a write to read-only memory "
                                       "(a string literal, .rodata) or a guard page",
                                       hex(*e.fault_address))};
    }
    if (e.signo == kSigsegv && e.fault_address) {
        return LikelyCause{CauseKind::bad_address,
                           fmt::format("access to unmapped address {} (a wild or dangling "
                                       "pointer, use after free)",
                                       hex(*e.fault_address))};
    }
    return std::nullopt;
}

LikelyCause bus_cause(const CrashEvidence& e) {
    const auto at = e.fault_address ? " at " + hex(*e.fault_address) : std::string{};
    if (e.code == kBusAdrerr) {
        return {CauseKind::bus_error,
                "bus error" + at + ": access beyond the end of a mapped file (the file shrank)"};
    }
    if (e.code == kBusAdraln) {
        return {CauseKind::bus_error, "bus error" + at + ": misaligned access"};
    }
    if (e.code == kBusMceerrAr) {
        return {CauseKind::bus_error, "bus error" + at + ": uncorrected memory error (MCE)"};
    }
    return {CauseKind::bus_error, "bus error" + at};
}

LikelyCause fpe_cause(const CrashEvidence& e) {
    if (e.code == kFpeIntdiv) {
        return {CauseKind::integer_divide_by_zero, "integer divide by zero"};
    }
    if (e.code == kFpeIntovf) {
        return {CauseKind::integer_overflow, "integer overflow in division (INT_MIN / -1)"};
    }
    const auto name = si_code_name(e.signo, e.code).value_or("unknown code");
    return {CauseKind::float_error,
            fmt::format("floating-point exception ({}) with traps enabled", name)};
}

}  // namespace

LikelyCause likely_cause(const CrashEvidence& e) {
    if (e.signo == kSigabrt && e.abort_message) {
        return {CauseKind::abort_with_message, "abort: " + *e.abort_message};
    }
    if (auto cause = segv_cause(e)) {
        return *cause;
    }
    switch (e.signo) {
        case kSigabrt:
            return {CauseKind::abort, e.abort_in_frames
                                          ? "abort() called by the program (no glibc message)"
                                          : "SIGABRT without a glibc abort message"};
        case kSigfpe:
            return fpe_cause(e);
        case kSigbus:
            return bus_cause(e);
        case kSigill:
            return {
                CauseKind::illegal_instruction,
                e.pc ? fmt::format("illegal instruction at {} (__builtin_trap, ud2, or code built "
                                   "for a newer CPU)",
                                   hex(*e.pc))
                     : std::string("illegal instruction")};
        case kSigtrap:
            return {CauseKind::breakpoint, "breakpoint or trace trap outside a debugger"};
        default:
            break;
    }
    if (auto name = signal_name(e.signo)) {
        return {CauseKind::killed_by_signal,
                fmt::format("killed by {} ({})", *name,
                            si_code_name(e.signo, e.code).value_or("unknown si_code"))};
    }
    return {CauseKind::unknown, "no signal information"};
}

}  // namespace diag::crash
