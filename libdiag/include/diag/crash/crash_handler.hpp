#pragma once

#include <array>
#include <csignal>
#include <expected>

namespace diag::crash {

/// The fatal signals the crash handler catches: those whose default action writes a core and
/// that a program bug raises (signal(7), "Core").
inline constexpr std::array<int, 5> kCrashSignals{SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};

/// The line the handler writes after the last frame, so a reader (diag-repro, a test, a log
/// scanner) knows the backtrace is complete.
inline constexpr const char* kCrashHandlerEndMarker = "diag-crash-handler: end of backtrace";

/// Installs an in-process crash handler for kCrashSignals. On such a signal it writes one line
/// naming the signal, si_code, fault address, pid and tid, then up to 64 frames unwound with
/// libunwind from the interrupted context ("#N 0xPC symbol+0xOFF (module+0xOFF)"), then
/// kCrashHandlerEndMarker, each with write(2) to fd; it uses only async-signal-safe calls and no
/// heap. It then restores the default action and sends itself the same signal with the same
/// siginfo, so the process dies of the original signal and the kernel still writes a core.
/// Runs on an alternate stack (sigaltstack) for the calling thread, so a stack overflow in that
/// thread is reported too. Calling it again only changes fd. Returns the errno of the
/// sigaltstack, mmap or sigaction call that failed.
std::expected<void, int> install_crash_handler(int fd = 2);

}  // namespace diag::crash
