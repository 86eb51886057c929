// The in-process crash handler. Everything reached from on_fatal_signal must be
// async-signal-safe (signal-safety(7)): no heap, no stdio, no locks of our own. libunwind's
// local unwinding (unw_init_local2, unw_step, unw_get_reg, unw_get_proc_name) is documented
// signal-safe in libunwind(3), "THREAD- AND SIGNAL-SAFETY", and unw_get_proc_name(3).

#include "diag/crash/crash_handler.hpp"

#include "diag/crash/signal_names.hpp"

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define UNW_LOCAL_ONLY
#include <libunwind.h>

namespace diag::crash {

namespace {

constexpr int kMaxFrames = 64;
// libunwind needs a few KiB of stack for one step; SIGSTKSZ (8 KiB) is too tight with the
// line buffers and the /proc/self/maps scan on top.
constexpr std::size_t kAltStackBytes = std::size_t{128} * 1024;
// A handler that hangs (a lock held by the crashing thread) must not keep a dead server up:
// after this long SIGALRM's default action ends the process.
constexpr unsigned kWatchdogSeconds = 10;

// The fd the report goes to, and the tid of the thread reporting (0 while none is).
std::atomic<int> g_output_fd{STDERR_FILENO};  // NOLINT(*-avoid-non-const-global-variables)
std::atomic<long> g_reporting_tid{0};         // NOLINT(*-avoid-non-const-global-variables)

// One output line built in a fixed buffer and written with one write(2). Text past the buffer
// is dropped, never allocated.
class Line {
public:
    Line& text(std::string_view part) {
        for (const char c : part) {
            if (used_ < buffer_.size() - 1) {
                buffer_.at(used_++) = c;
            }
        }
        return *this;
    }

    Line& decimal(long long value) {
        std::array<char, 24> digits{};
        std::size_t count = 0;
        const bool negative = value < 0;
        auto magnitude = negative ? 0ULL - static_cast<unsigned long long>(value)
                                  : static_cast<unsigned long long>(value);
        do {
            digits.at(count++) = static_cast<char>('0' + magnitude % 10);
            magnitude /= 10;
        } while (magnitude != 0);
        if (negative) {
            text("-");
        }
        while (count > 0) {
            text(std::string_view(&digits.at(--count), 1));
        }
        return *this;
    }

    Line& hex(std::uint64_t value, std::size_t min_digits = 1) {
        constexpr std::string_view kDigits = "0123456789abcdef";
        std::array<char, 16> digits{};
        std::size_t count = 0;
        do {
            digits.at(count++) = kDigits[value & 0xfU];
            value >>= 4U;
        } while (value != 0);
        text("0x");
        for (std::size_t pad = count; pad < min_digits; ++pad) {
            text("0");
        }
        while (count > 0) {
            text(std::string_view(&digits.at(--count), 1));
        }
        return *this;
    }

    void write_to(int fd) {
        buffer_.at(used_++) = '\n';
        std::size_t done = 0;
        while (done < used_) {
            const ssize_t wrote = ::write(fd, buffer_.data() + done, used_ - done);
            if (wrote < 0 && errno == EINTR) {
                continue;
            }
            if (wrote <= 0) {
                return;
            }
            done += static_cast<std::size_t>(wrote);
        }
    }

private:
    std::array<char, 512> buffer_{};
    std::size_t used_ = 0;
};

// Parses a hex number at the front of text and drops it; nullopt-free: 0 and text unchanged
// when there are no digits.
std::uint64_t take_hex(std::string_view& text) {
    std::uint64_t value = 0;
    std::size_t used = 0;
    for (; used < text.size(); ++used) {
        const char c = text[used];
        unsigned digit = 0;
        if (c >= '0' && c <= '9') {
            digit = static_cast<unsigned>(c - '0');
        } else if (c >= 'a' && c <= 'f') {
            digit = static_cast<unsigned>(c - 'a' + 10);
        } else {
            break;
        }
        value = (value << 4U) | digit;
    }
    text.remove_prefix(used);
    return value;
}

// One /proc/self/maps line ("start-end perms offset dev inode path", proc(5)) that covers
// address: the file's base name and address's offset in the file.
struct MappedFile {
    std::array<char, 128> name{};
    std::size_t name_bytes = 0;
    std::uint64_t file_offset = 0;
};

bool parse_maps_line(std::string_view line, std::uint64_t address, MappedFile& found) {
    const auto start = take_hex(line);
    if (line.empty() || line.front() != '-') {
        return false;
    }
    line.remove_prefix(1);
    const auto end = take_hex(line);
    if (address < start || address >= end) {
        return false;
    }
    // Skip " perms ", then the offset, then dev and inode.
    const auto offset_at = line.find(' ', 1);
    if (offset_at == std::string_view::npos) {
        return false;
    }
    line.remove_prefix(offset_at + 1);
    const auto offset = take_hex(line);
    for (int field = 0; field < 2; ++field) {
        const auto space = line.find(' ', 1);
        if (space == std::string_view::npos) {
            return false;
        }
        line.remove_prefix(space);
    }
    const auto path_at = line.find_first_not_of(' ');
    if (path_at == std::string_view::npos) {
        return false;
    }
    auto path = line.substr(path_at);
    if (const auto slash = path.rfind('/'); slash != std::string_view::npos) {
        path.remove_prefix(slash + 1);
    }
    found.name_bytes = 0;
    for (const char c : path) {
        if (found.name_bytes < found.name.size()) {
            found.name.at(found.name_bytes++) = c;
        }
    }
    found.file_offset = address - start + offset;
    return true;
}

// Scans /proc/self/maps with open/read (the loader's own lists need its lock, which the
// crashing thread may hold). This is the process reading itself while it dies, not a probe of
// the machine, so it does not go through diag::Root.
bool find_mapped_file(std::uint64_t address, MappedFile& found) {
    const int fd = ::open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return false;
    }
    std::array<char, 4096> chunk{};
    std::array<char, 512> line{};
    std::size_t line_bytes = 0;
    bool matched = false;
    while (!matched) {
        const ssize_t got = ::read(fd, chunk.data(), chunk.size());
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got <= 0) {
            break;
        }
        for (const char c : std::span(chunk.data(), static_cast<std::size_t>(got))) {
            if (c == '\n') {
                matched = parse_maps_line({line.data(), line_bytes}, address, found);
                line_bytes = 0;
                if (matched) {
                    break;
                }
            } else if (line_bytes < line.size()) {
                line.at(line_bytes++) = c;
            }
        }
    }
    ::close(fd);
    return matched;
}

long own_tid() {
    return ::syscall(SYS_gettid);
}

void write_header(int fd, int signo, const siginfo_t* info) {
    Line line;
    line.text("diag-crash-handler: fatal signal ")
        .text(signal_name(signo).value_or("?"))
        .text(" (")
        .decimal(signo)
        .text("), si_code ")
        .decimal(info->si_code)
        .text(" (")
        .text(si_code_name(signo, info->si_code).value_or("?"))
        .text(")");
    // si_addr is meaningful for faults the kernel raised (si_code > 0), sigaction(2).
    if (info->si_code > 0 && signo != SIGABRT) {
        line.text(", fault address ").hex(reinterpret_cast<std::uintptr_t>(info->si_addr));
    } else if (info->si_code <= 0) {
        line.text(", sent by pid ").decimal(info->si_pid);
    }
    line.text(", pid ").decimal(::getpid()).text(", tid ").decimal(own_tid());
    line.write_to(fd);
}

void write_frame(int fd, int number, unw_cursor_t& cursor) {
    unw_word_t pc = 0;
    unw_get_reg(&cursor, UNW_REG_IP, &pc);
    Line line;
    line.text("#").decimal(number).text(number < 10 ? "  " : " ").hex(pc, 16);
    std::array<char, 256> symbol{};
    unw_word_t symbol_offset = 0;
    if (unw_get_proc_name(&cursor, symbol.data(), symbol.size(), &symbol_offset) == 0) {
        line.text(" ").text(symbol.data()).text("+").hex(symbol_offset);
    } else {
        line.text(" ??");
    }
    MappedFile file;
    if (find_mapped_file(pc, file)) {
        line.text(" (")
            .text({file.name.data(), file.name_bytes})
            .text("+")
            .hex(file.file_offset)
            .text(")");
    }
    line.write_to(fd);
}

void write_backtrace(int fd, void* context) {
    unw_cursor_t cursor;
    // The signal's own context: frame 0 is the faulting instruction, not this handler.
    if (unw_init_local2(&cursor, static_cast<unw_context_t*>(context), UNW_INIT_SIGNAL_FRAME) !=
        0) {
        Line()
            .text("diag-crash-handler: libunwind could not start from the signal context")
            .write_to(fd);
        return;
    }
    for (int number = 0; number < kMaxFrames; ++number) {
        write_frame(fd, number, cursor);
        if (unw_step(&cursor) <= 0) {
            return;
        }
    }
    Line().text("... (more frames)").write_to(fd);
}

void restore_default(int signo) {
    struct sigaction action {};
    action.sa_handler = SIG_DFL;
    sigemptyset(&action.sa_mask);
    ::sigaction(signo, &action, nullptr);
}

// Sends the same signal with the same siginfo to this thread. It stays pending while the
// handler runs (the signal is blocked) and is delivered with the default action on return, so
// the core's NT_SIGINFO and registers are the original fault's. Queueing a siginfo with
// si_code >= 0 is allowed to the calling thread only (kernel/signal.c,
// do_rt_tgsigqueueinfo).
void resend(int signo, siginfo_t* info) {
    if (::syscall(SYS_rt_tgsigqueueinfo, ::getpid(), own_tid(), signo, info) == 0) {
        return;
    }
    // A fault the kernel raised comes back when the instruction runs again; a sent signal must
    // be sent again.
    if (info->si_code <= 0) {
        ::syscall(SYS_tgkill, ::getpid(), own_tid(), signo);
    }
}

void on_fatal_signal(int signo, siginfo_t* info, void* context) {
    const int saved_errno = errno;
    const long tid = own_tid();
    long idle = 0;
    if (!g_reporting_tid.compare_exchange_strong(idle, tid)) {
        if (idle == tid) {
            // A second fatal signal in this thread while reporting: die of it at once.
            restore_default(signo);
            errno = saved_errno;
            return;
        }
        // Another thread is reporting and will end the process; wait for that.
        while (true) {
            ::pause();
        }
    }
    restore_default(SIGALRM);
    ::alarm(kWatchdogSeconds);
    const int fd = g_output_fd.load();
    write_header(fd, signo, info);
    write_backtrace(fd, context);
    Line().text(kCrashHandlerEndMarker).write_to(fd);
    restore_default(signo);
    resend(signo, info);
    errno = saved_errno;
}

std::expected<void, int> ensure_alternate_stack() {
    stack_t current{};
    if (::sigaltstack(nullptr, &current) != 0) {
        return std::unexpected(errno);
    }
    if ((static_cast<unsigned>(current.ss_flags) & SS_DISABLE) == 0U) {
        return {};
    }
    void* memory = ::mmap(nullptr, kAltStackBytes, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (memory == MAP_FAILED) {
        return std::unexpected(errno);
    }
    stack_t stack{};
    stack.ss_sp = memory;
    stack.ss_size = kAltStackBytes;
    if (::sigaltstack(&stack, nullptr) != 0) {
        const int error = errno;
        ::munmap(memory, kAltStackBytes);
        return std::unexpected(error);
    }
    return {};
}

// libunwind initialises itself on first use (under its own lock); doing that here keeps the
// first unwind inside the handler from being the one that initialises.
void warm_up_unwinder() {
    unw_context_t context;
    unw_cursor_t cursor;
    if (unw_getcontext(&context) == 0 && unw_init_local(&cursor, &context) == 0) {
        unw_step(&cursor);
    }
}

}  // namespace

std::expected<void, int> install_crash_handler(int fd) {
    g_output_fd.store(fd);
    if (auto stack = ensure_alternate_stack(); !stack) {
        return stack;
    }
    warm_up_unwinder();
    struct sigaction action {};
    action.sa_sigaction = on_fatal_signal;
    action.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    // Every crash signal is blocked while one is handled: a fault inside the handler then
    // ends the process with the default action instead of nesting.
    for (const int signo : kCrashSignals) {
        sigaddset(&action.sa_mask, signo);
    }
    for (const int signo : kCrashSignals) {
        if (::sigaction(signo, &action, nullptr) != 0) {
            return std::unexpected(errno);
        }
    }
    return {};
}

}  // namespace diag::crash
