#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace diag::crash {

/// What /proc/PID/task/TID/syscall says about a blocked thread (proc(5)): the system call
/// number and its six argument registers.
struct SyscallState {
    long number = 0;
    std::array<std::uint64_t, 6> arguments{};
};

/// Decodes a syscall line ("202 0x7f.. 0x80 0x2 0x0 0x0 0x0 0xSP 0xPC"). nullopt for "running",
/// for "-1 ..." (blocked outside a system call) and for anything malformed.
std::optional<SyscallState> parse_syscall_line(std::string_view text);

/// A thread sleeping in futex(2) on a lock word.
struct FutexWait {
    std::uint64_t address = 0;
    /// True for priority-inheritance locks (FUTEX_LOCK_PI, FUTEX_LOCK_PI2), whose word holds the
    /// owner's TID (linux/futex.h, FUTEX_TID_MASK).
    bool owner_in_word = false;
};

/// The futex wait of an x86-64 thread (SYS_futex is 202 in arch/x86/entry/syscalls/
/// syscall_64.tbl): FUTEX_WAIT, FUTEX_WAIT_BITSET, FUTEX_LOCK_PI or FUTEX_LOCK_PI2, with or
/// without FUTEX_PRIVATE_FLAG and FUTEX_CLOCK_REALTIME. nullopt for any other call or operation.
std::optional<FutexWait> futex_wait(const SyscallState& state);

/// True when a thread's innermost function names (innermost first) show it waiting to lock a
/// pthread mutex (glibc's __lll_lock_wait under pthread_mutex_lock, or the PI and timed
/// variants), not a condition variable, a join or glibc's internal locks.
bool waits_in_mutex_lock(std::span<const std::string> functions);

/// The bytes of a glibc pthread_mutex_t read at a mutex's futex word. glibc keeps __lock at
/// offset 0 and __owner (the owner's TID) at offset 8 on x86-64 (sysdeps/nptl/bits/
/// struct_mutex.h). Needs 4 bytes with owner_in_word, else 12.
inline constexpr std::size_t kMutexBytes = 12;

/// The owner TID of a mutex from its bytes; nullopt when too few bytes or when no thread owns it
/// (owner 0).
std::optional<int> mutex_owner(std::span<const std::byte> bytes, bool owner_in_word);

/// One thread waiting for a mutex and, when known, the thread holding it.
struct LockWait {
    int tid = 0;
    std::uint64_t mutex_address = 0;
    std::optional<int> owner_tid;
};

/// The wait-for cycles among the waits: each is the waits in order, each one's owner being the
/// next one's thread and the last one's owner the first one's thread. Every cycle is reported
/// once, starting from its lowest TID.
std::vector<std::vector<LockWait>> find_wait_cycles(const std::vector<LockWait>& waits);

/// "thread 11 waits for mutex 0x601040 held by 12, 12 waits for mutex 0x601080 held by 11".
std::string describe_wait_cycle(const std::vector<LockWait>& cycle);

}  // namespace diag::crash
