#pragma once

#include <optional>
#include <string_view>

namespace diag::crash {

/// "SIGSEGV" for 11 (Linux x86-64 and arm64 numbering, signal(7)); nullopt when unknown.
std::optional<std::string_view> signal_name(int signo);

/// The si_code name for a signal, such as "SEGV_MAPERR" or "FPE_INTDIV", from
/// include/uapi/asm-generic/siginfo.h; codes shared by every signal ("SI_USER", "SI_TKILL")
/// come first. nullopt when unknown.
std::optional<std::string_view> si_code_name(int signo, int code);

/// True for the signals whose default action writes a core (signal(7), "Core").
bool dumps_core(int signo);

}  // namespace diag::crash
