#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <vector>

namespace diag::crash {

/// One frame of a thread's stack. An inlined call is a frame of its own with the same pc.
struct Frame {
    /// Position in the thread's stack, 0 innermost; inlined frames get their own numbers.
    std::size_t number = 0;
    std::uint64_t pc = 0;
    /// Demangled function name; empty when no symbol covers pc.
    std::string function;
    /// The module's file name ("libc.so.6"); empty when pc is in no module.
    std::string module;
    /// pc relative to the module's load address.
    std::optional<std::uint64_t> module_offset;
    std::optional<std::string> file;
    std::optional<int> line;
    std::optional<int> column;
    /// True for a function inlined into the frame below it (its line is the call site for the
    /// frame above).
    bool inlined = false;
};

/// One thread's stack, with the reason unwinding stopped early if it did.
struct ThreadStack {
    int tid = 0;
    std::vector<Frame> frames;
    /// Why the unwinder stopped before the outermost frame ("no matching address range").
    std::optional<std::string> stop_reason;
    /// True when -n cut the stack.
    bool cut_by_limit = false;
    /// For a live process: /proc/PID/task/TID/comm, state letter and wchan.
    std::string name;
    std::optional<char> state;
    std::string wchan;
};

/// One module (executable or shared object) of the process.
struct ModuleInfo {
    std::string name;
    std::uint64_t start = 0;
    std::uint64_t end = 0;
    /// Hex build-id, empty when the module has none that could be read.
    std::string build_id;
    /// The ELF file found for it; empty when none (the module's frames have no symbols).
    std::string elf_path;
    /// The separate debuginfo file, or the ELF file itself when it has DWARF; empty if none.
    std::string debug_path;
};

/// Every thread's stack and the modules, from a core or a live process.
struct Backtrace {
    std::vector<ThreadStack> threads;
    std::vector<ModuleInfo> modules;
    /// Problems met (a module without ELF, an unwinding error); the stacks hold what was found.
    std::vector<std::string> problems;
    /// Address of glibc's __abort_msg variable, when libc's symbol table was found.
    std::optional<std::uint64_t> abort_msg_address;
};

/// What to unwind and how far.
struct BacktraceOptions {
    /// The executable, when the core's own path is wrong or gone; used only when its build-id
    /// matches the core's.
    std::optional<std::string> executable;
    /// Frames per thread at most (inlined frames count).
    std::size_t max_frames = 256;
    /// Where inflated copies of compressed debug files are kept (debuginfo_cache.hpp); empty
    /// keeps none.
    std::string debuginfo_cache;
};

/// Unwinds every thread of a core with libdwfl (elfutils). Debuginfo is found through
/// build-id paths under /usr/lib/debug, .gnu_debuglink, and debuginfod when DEBUGINFOD_URLS
/// is set. Fails only when the core cannot be opened at all; a missing module or a truncated
/// core gives partial stacks and problems.
std::expected<Backtrace, std::string> backtrace_core(const std::string& core_path,
                                                     const BacktraceOptions& options);

/// Unwinds every thread of a live process (ptrace attach through dwfl_linux_proc_attach; the
/// threads are stopped while they are read).
std::expected<Backtrace, std::string> backtrace_process(int pid, const BacktraceOptions& options);

/// The hex GNU build-id of an ELF file; nullopt when it has none or cannot be read.
std::optional<std::string> file_build_id(const std::string& path);

/// Threads with identical frame lists (by pc), in order of first appearance.
struct StackGroup {
    std::vector<int> tids;
    const ThreadStack* stack = nullptr;
};

/// Folds identical stacks so "63 threads" print once.
std::vector<StackGroup> fold_identical_stacks(const std::vector<ThreadStack>& threads);

}  // namespace diag::crash
