#include "diag/crash/lock_wait.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <map>
#include <set>

#include <fmt/format.h>

namespace diag::crash {

namespace {

// arch/x86/entry/syscalls/syscall_64.tbl.
constexpr long kSysFutex = 202;
// include/uapi/linux/futex.h.
constexpr std::uint64_t kFutexWait = 0;
constexpr std::uint64_t kFutexLockPi = 6;
constexpr std::uint64_t kFutexWaitBitset = 9;
constexpr std::uint64_t kFutexLockPi2 = 13;
constexpr std::uint64_t kFutexPrivateFlag = 128;
constexpr std::uint64_t kFutexClockRealtime = 256;
constexpr std::uint32_t kFutexTidMask = 0x3fffffff;
constexpr std::size_t kOwnerOffset = 8;

template <class T>
bool parse_number(std::string_view text, T& value, int base) {
    if (base == 16) {
        if (!text.starts_with("0x")) {
            return false;
        }
        text.remove_prefix(2);
    }
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value, base);
    return error == std::errc{} && end == text.data() + text.size();
}

std::vector<std::string_view> words(std::string_view text) {
    std::vector<std::string_view> found;
    while (!text.empty()) {
        const auto start = text.find_first_not_of(" \n");
        if (start == std::string_view::npos) {
            break;
        }
        text.remove_prefix(start);
        const auto end = std::min(text.find_first_of(" \n"), text.size());
        found.push_back(text.substr(0, end));
        text.remove_prefix(end);
    }
    return found;
}

std::uint32_t little_endian_u32(std::span<const std::byte> bytes, std::size_t offset) {
    std::uint32_t value = 0;
    for (std::size_t i = 0; i < 4; ++i) {
        value |= static_cast<std::uint32_t>(bytes[offset + i]) << (8U * i);
    }
    return value;
}

}  // namespace

std::optional<SyscallState> parse_syscall_line(std::string_view text) {
    const auto fields = words(text);
    // Number, six arguments, stack pointer, program counter (proc(5), /proc/PID/syscall).
    constexpr std::size_t kFields = 9;
    if (fields.size() != kFields) {
        return std::nullopt;
    }
    SyscallState state;
    if (!parse_number(fields[0], state.number, 10) || state.number < 0) {
        return std::nullopt;
    }
    for (std::size_t i = 0; i < state.arguments.size(); ++i) {
        if (!parse_number(fields[i + 1], state.arguments.at(i), 16)) {
            return std::nullopt;
        }
    }
    return state;
}

std::optional<FutexWait> futex_wait(const SyscallState& state) {
    if (state.number != kSysFutex) {
        return std::nullopt;
    }
    const auto operation = state.arguments[1] & ~(kFutexPrivateFlag | kFutexClockRealtime);
    if (operation == kFutexWait || operation == kFutexWaitBitset) {
        return FutexWait{state.arguments[0], false};
    }
    if (operation == kFutexLockPi || operation == kFutexLockPi2) {
        return FutexWait{state.arguments[0], true};
    }
    return std::nullopt;
}

bool waits_in_mutex_lock(std::span<const std::string> functions) {
    // glibc 2.36 nptl: pthread_mutex_lock.c, pthread_mutex_timedlock.c, lowlevellock.c. The
    // "_private" waits are glibc's internal locks, which have no owner field.
    constexpr std::size_t kInnermost = 8;
    for (std::size_t i = 0; i < functions.size() && i < kInnermost; ++i) {
        const std::string_view name = functions[i];
        if (name.find("lll_lock_wait_private") != std::string_view::npos) {
            return false;
        }
        if (name.find("pthread_mutex_lock") != std::string_view::npos ||
            name.find("pthread_mutex_timedlock") != std::string_view::npos ||
            name.find("pthread_mutex_clocklock") != std::string_view::npos) {
            return true;
        }
    }
    return false;
}

std::optional<int> mutex_owner(std::span<const std::byte> bytes, bool owner_in_word) {
    std::uint32_t owner = 0;
    if (owner_in_word) {
        if (bytes.size() < 4) {
            return std::nullopt;
        }
        owner = little_endian_u32(bytes, 0) & kFutexTidMask;
    } else {
        if (bytes.size() < kMutexBytes) {
            return std::nullopt;
        }
        owner = little_endian_u32(bytes, kOwnerOffset);
    }
    // glibc marks an unrecoverable robust mutex with owner 0x7fffffff
    // (PTHREAD_MUTEX_NOTRECOVERABLE).
    if (owner == 0 || owner > kFutexTidMask) {
        return std::nullopt;
    }
    return static_cast<int>(owner);
}

std::vector<std::vector<LockWait>> find_wait_cycles(const std::vector<LockWait>& waits) {
    std::map<int, const LockWait*> by_tid;
    for (const auto& wait : waits) {
        by_tid.emplace(wait.tid, &wait);
    }
    std::vector<std::vector<LockWait>> cycles;
    std::set<int> in_cycle;
    // Each thread waits for at most one owner, so following owners from a thread either ends or
    // enters a cycle; a cycle is taken when the walk comes back to where it started.
    for (const auto& [start, first] : by_tid) {
        if (in_cycle.contains(start)) {
            continue;
        }
        std::vector<LockWait> path;
        std::set<int> seen;
        const LockWait* at = first;
        while (at != nullptr && !seen.contains(at->tid)) {
            seen.insert(at->tid);
            path.push_back(*at);
            const auto next = at->owner_tid ? by_tid.find(*at->owner_tid) : by_tid.end();
            at = next == by_tid.end() ? nullptr : next->second;
        }
        if (at == nullptr || at->tid != start) {
            continue;
        }
        for (const auto& wait : path) {
            in_cycle.insert(wait.tid);
        }
        cycles.push_back(std::move(path));
    }
    return cycles;
}

std::string describe_wait_cycle(const std::vector<LockWait>& cycle) {
    std::string text;
    for (const auto& wait : cycle) {
        text +=
            fmt::format("{}{} waits for mutex {:#x} held by {}", text.empty() ? "thread " : ", ",
                        wait.tid, wait.mutex_address, wait.owner_tid.value_or(0));
    }
    return text;
}

}  // namespace diag::crash
