#include "diag/crash/signal_names.hpp"

#include <array>
#include <utility>

namespace diag::crash {

namespace {

// signal(7), "Standard signals", x86-64/arm64 numbering.
constexpr std::array<std::string_view, 32> kSignalNames{
    "",          "SIGHUP",  "SIGINT",    "SIGQUIT", "SIGILL",   "SIGTRAP", "SIGABRT", "SIGBUS",
    "SIGFPE",    "SIGKILL", "SIGUSR1",   "SIGSEGV", "SIGUSR2",  "SIGPIPE", "SIGALRM", "SIGTERM",
    "SIGSTKFLT", "SIGCHLD", "SIGCONT",   "SIGSTOP", "SIGTSTP",  "SIGTTIN", "SIGTTOU", "SIGURG",
    "SIGXCPU",   "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO",   "SIGPWR",  "SIGSYS"};

struct CodeName {
    int signo;
    int code;
    std::string_view name;
};

// include/uapi/asm-generic/siginfo.h.
constexpr std::array<CodeName, 45> kCodeNames{{
    {4, 1, "ILL_ILLOPC"},    {4, 2, "ILL_ILLOPN"},    {4, 3, "ILL_ILLADR"},
    {4, 4, "ILL_ILLTRP"},    {4, 5, "ILL_PRVOPC"},    {4, 6, "ILL_PRVREG"},
    {4, 7, "ILL_COPROC"},    {4, 8, "ILL_BADSTK"},    {4, 9, "ILL_BADIADDR"},
    {8, 1, "FPE_INTDIV"},    {8, 2, "FPE_INTOVF"},    {8, 3, "FPE_FLTDIV"},
    {8, 4, "FPE_FLTOVF"},    {8, 5, "FPE_FLTUND"},    {8, 6, "FPE_FLTRES"},
    {8, 7, "FPE_FLTINV"},    {8, 8, "FPE_FLTSUB"},    {8, 14, "FPE_FLTUNK"},
    {8, 15, "FPE_CONDTRAP"}, {11, 1, "SEGV_MAPERR"},  {11, 2, "SEGV_ACCERR"},
    {11, 3, "SEGV_BNDERR"},  {11, 4, "SEGV_PKUERR"},  {11, 5, "SEGV_ACCADI"},
    {11, 6, "SEGV_ADIDERR"}, {11, 7, "SEGV_ADIPERR"}, {11, 8, "SEGV_MTEAERR"},
    {11, 9, "SEGV_MTESERR"}, {11, 10, "SEGV_CPERR"},  {7, 1, "BUS_ADRALN"},
    {7, 2, "BUS_ADRERR"},    {7, 3, "BUS_OBJERR"},    {7, 4, "BUS_MCEERR_AR"},
    {7, 5, "BUS_MCEERR_AO"}, {5, 1, "TRAP_BRKPT"},    {5, 2, "TRAP_TRACE"},
    {5, 3, "TRAP_BRANCH"},   {5, 4, "TRAP_HWBKPT"},   {5, 5, "TRAP_UNK"},
    {17, 1, "CLD_EXITED"},   {17, 2, "CLD_KILLED"},   {17, 3, "CLD_DUMPED"},
    {31, 1, "SYS_SECCOMP"},  {17, 4, "CLD_TRAPPED"},  {17, 5, "CLD_STOPPED"},
}};

// Codes any signal can carry (si_code <= 0: sent by a process or the kernel on its behalf).
constexpr std::array<std::pair<int, std::string_view>, 8> kGenericCodes{{
    {0, "SI_USER"},
    {0x80, "SI_KERNEL"},
    {-1, "SI_QUEUE"},
    {-2, "SI_TIMER"},
    {-3, "SI_MESGQ"},
    {-4, "SI_ASYNCIO"},
    {-5, "SI_SIGIO"},
    {-6, "SI_TKILL"},
}};

}  // namespace

std::optional<std::string_view> signal_name(int signo) {
    if (signo <= 0 || signo >= static_cast<int>(kSignalNames.size())) {
        return std::nullopt;
    }
    return kSignalNames.at(static_cast<std::size_t>(signo));
}

std::optional<std::string_view> si_code_name(int signo, int code) {
    for (const auto& [value, name] : kGenericCodes) {
        if (value == code) {
            return name;
        }
    }
    for (const auto& entry : kCodeNames) {
        if (entry.signo == signo && entry.code == code) {
            return entry.name;
        }
    }
    return std::nullopt;
}

bool dumps_core(int signo) {
    switch (signo) {
        case 3:
        case 4:
        case 5:
        case 6:
        case 7:
        case 8:
        case 11:
        case 24:
        case 25:
        case 31:
            return true;
        default:
            return false;
    }
}

}  // namespace diag::crash
