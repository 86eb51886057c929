#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace diag::crash {

/// NT_SIGINFO of a core: the siginfo_t of the signal that killed the process
/// (include/uapi/asm-generic/siginfo.h; fs/binfmt_elf.c fill_siginfo_note).
struct SignalInfo {
    int signo = 0;
    int errno_value = 0;
    int code = 0;
    /// si_addr, for SIGSEGV, SIGBUS, SIGILL, SIGFPE and SIGTRAP only.
    std::optional<std::uint64_t> fault_address;
    /// si_pid and si_uid of the sender, for signals sent by a process (code <= 0).
    std::optional<int> sender_pid;
    std::optional<unsigned> sender_uid;
};

/// x86-64 general registers in user_regs_struct order (arch/x86/include/asm/user_64.h).
inline constexpr std::array<const char*, 27> kAmd64RegisterNames{
    "r15",    "r14", "r13", "r12",     "rbp",     "rbx", "r11",      "r10", "r9",
    "r8",     "rax", "rcx", "rdx",     "rsi",     "rdi", "orig_rax", "rip", "cs",
    "eflags", "rsp", "ss",  "fs_base", "gs_base", "ds",  "es",       "fs",  "gs"};

/// NT_PRSTATUS of one thread (struct elf_prstatus, include/linux/elfcore.h).
struct ThreadStatus {
    int tid = 0;
    /// pr_cursig: the signal being delivered to this thread; 0 for the other threads.
    int current_signal = 0;
    /// General registers, kAmd64RegisterNames order; empty for other machines.
    std::vector<std::uint64_t> registers;
    [[nodiscard]] std::optional<std::uint64_t> pc() const;
    [[nodiscard]] std::optional<std::uint64_t> sp() const;
};

/// NT_PRPSINFO (struct elf_prpsinfo): who the process was.
struct ProcessInfo {
    int pid = 0;
    int ppid = 0;
    unsigned uid = 0;
    unsigned gid = 0;
    /// pr_fname: the comm, at most 16 bytes.
    std::string name;
    /// pr_psargs: the first 80 bytes of the command line.
    std::string arguments;
};

/// One PT_LOAD segment: a mapping of the process and where its bytes are in the file.
struct CoreSegment {
    std::uint64_t vaddr = 0;
    std::uint64_t memory_bytes = 0;
    std::uint64_t file_offset = 0;
    std::uint64_t file_bytes = 0;
    bool readable = false;
    bool writable = false;
    bool executable = false;
};

/// One NT_FILE entry: a file mapped into the process.
struct MappedFile {
    std::uint64_t start = 0;
    std::uint64_t end = 0;
    /// In pages of NT_FILE's page size.
    std::uint64_t file_offset_pages = 0;
    std::string path;
};

/// What the program headers and notes of an ELF core say. Format: the System V gABI (ELF
/// header, program headers, notes) and fs/binfmt_elf.c, which writes Linux cores.
struct CoreLayout {
    /// e_machine (62 for x86-64).
    unsigned machine = 0;
    std::vector<CoreSegment> segments;
    std::optional<SignalInfo> signal;
    /// Threads in note order; the kernel writes the crashing thread first.
    std::vector<ThreadStatus> threads;
    std::optional<ProcessInfo> process;
    std::vector<MappedFile> files;
    /// Bytes the program headers say the file should hold; more than the file size when it
    /// was truncated (a full disk, RLIMIT_CORE, a killed writer).
    std::uint64_t expected_file_bytes = 0;
    std::uint64_t actual_file_bytes = 0;
    /// What could not be decoded; the rest is still filled.
    std::vector<std::string> problems;

    [[nodiscard]] bool truncated() const { return actual_file_bytes < expected_file_bytes; }
};

/// Decodes an ELF64 little-endian core from its bytes. Never throws; a short or damaged
/// file gives what could be read plus problems.
CoreLayout parse_core(std::span<const std::byte> bytes);

/// Reads process memory at vaddr from the core's segments; nullopt when any byte is not in
/// the file (not mapped, or cut off by truncation).
std::optional<std::vector<std::byte>> read_core_memory(const CoreLayout& layout,
                                                       std::span<const std::byte> bytes,
                                                       std::uint64_t vaddr, std::size_t size);

/// The segment holding vaddr, if any.
const CoreSegment* segment_at(const CoreLayout& layout, std::uint64_t vaddr);

/// glibc's abort message (__abort_msg, struct abort_msg_s {unsigned size; char msg[];} in
/// glibc's include/stdlib.h) given the address of the __abort_msg pointer variable.
std::optional<std::string> read_abort_message(const CoreLayout& layout,
                                              std::span<const std::byte> bytes,
                                              std::uint64_t abort_msg_variable);

}  // namespace diag::crash
