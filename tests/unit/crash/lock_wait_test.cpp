#include <diag/crash/lock_wait.hpp>

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

using diag::crash::LockWait;

namespace {

std::array<std::byte, diag::crash::kMutexBytes> mutex_bytes(std::uint32_t lock,
                                                            std::uint32_t owner) {
    std::array<std::byte, diag::crash::kMutexBytes> bytes{};
    for (std::size_t i = 0; i < 4; ++i) {
        bytes.at(i) = static_cast<std::byte>((lock >> (8U * i)) & 0xffU);
        bytes.at(8 + i) = static_cast<std::byte>((owner >> (8U * i)) & 0xffU);
    }
    return bytes;
}

}  // namespace

TEST_CASE(
    "lock wait: a futex wait line from /proc/PID/task/TID/syscall gives address and operation") {
    // Read from a thread blocked in pthread_mutex_lock on Debian 12 (glibc 2.36).
    const auto state = diag::crash::parse_syscall_line(
        "202 0x55d0c2a4e040 0x80 0x2 0x0 0x0 0x1 0x7f3b1c9fed28 "
        "0x7f3b1d0a2d36\n");
    REQUIRE(state.has_value());
    CHECK(state->number == 202);
    CHECK(state->arguments[0] == 0x55d0c2a4e040);
    const auto wait = diag::crash::futex_wait(*state);
    REQUIRE(wait.has_value());
    CHECK(wait->address == 0x55d0c2a4e040);
    CHECK_FALSE(wait->owner_in_word);
}

TEST_CASE(
    "lock wait: running threads, waits outside a system call and other calls are no futex "
    "wait") {
    CHECK_FALSE(diag::crash::parse_syscall_line("running\n").has_value());
    CHECK_FALSE(diag::crash::parse_syscall_line("-1 0x7ffd1c0 0x401136\n").has_value());
    CHECK_FALSE(diag::crash::parse_syscall_line("202 0x1 0x80").has_value());
    const auto sleeping = diag::crash::parse_syscall_line(
        "230 0x0 0x0 0x7ffd5d8 0x7ffd5d8 0x0 0x0 0x7ffd5c8 0x7f3b1d0e1a3a");
    REQUIRE(sleeping.has_value());
    CHECK_FALSE(diag::crash::futex_wait(*sleeping).has_value());
    // FUTEX_WAKE (1) is no wait.
    const auto wake = diag::crash::parse_syscall_line("202 0x1000 0x81 0x1 0x0 0x0 0x0 0x0 0x0");
    REQUIRE(wake.has_value());
    CHECK_FALSE(diag::crash::futex_wait(*wake).has_value());
}

TEST_CASE("lock wait: a priority-inheritance lock keeps the owner in the futex word") {
    const auto state =
        diag::crash::parse_syscall_line("202 0x4040 0x86 0x0 0x0 0x0 0x0 0x7ffd0 0x40100");
    REQUIRE(state.has_value());
    const auto wait = diag::crash::futex_wait(*state);
    REQUIRE(wait.has_value());
    CHECK(wait->owner_in_word);
    // FUTEX_WAITERS (0x80000000) set beside owner TID 4321.
    const auto bytes = mutex_bytes(0x80000000U | 4321U, 0);
    CHECK(diag::crash::mutex_owner(bytes, true) == 4321);
}

TEST_CASE("lock wait: a normal mutex's owner is glibc's __owner field, absent when unowned") {
    CHECK(diag::crash::mutex_owner(mutex_bytes(2, 5150), false) == 5150);
    CHECK_FALSE(diag::crash::mutex_owner(mutex_bytes(0, 0), false).has_value());
    const auto bytes = mutex_bytes(2, 5150);
    CHECK_FALSE(diag::crash::mutex_owner(std::span(bytes).first(8), false).has_value());
}

TEST_CASE("lock wait: mutex waits are told from condition variables and glibc's internal locks") {
    const std::vector<std::string> mutex{"__futex_abstimed_wait_common", "__lll_lock_wait",
                                         "___pthread_mutex_lock", "lock_both(int)"};
    CHECK(diag::crash::waits_in_mutex_lock(mutex));
    const std::vector<std::string> condition{"__futex_abstimed_wait_common", "___pthread_cond_wait",
                                             "consumer(void*)"};
    CHECK_FALSE(diag::crash::waits_in_mutex_lock(condition));
    const std::vector<std::string> internal{"__lll_lock_wait_private", "_int_free", "free"};
    CHECK_FALSE(diag::crash::waits_in_mutex_lock(internal));
}

TEST_CASE("lock wait: two threads holding each other's mutex form one cycle from the lowest TID") {
    const std::vector<LockWait> waits{
        {12, 0x601080, 11},
        {11, 0x601040, 12},
        {13, 0x601040, 12},  // waits on the cycle, is not in it
        {14, 0x6010c0, std::nullopt},
    };
    const auto cycles = diag::crash::find_wait_cycles(waits);
    REQUIRE(cycles.size() == 1);
    REQUIRE(cycles[0].size() == 2);
    CHECK(cycles[0][0].tid == 11);
    CHECK(cycles[0][1].tid == 12);
    CHECK(diag::crash::describe_wait_cycle(cycles[0]) ==
          "thread 11 waits for mutex 0x601040 held by 12, 12 waits for mutex 0x601080 held by 11");
}

TEST_CASE("lock wait: a chain that ends at a running owner is no cycle, a three-thread ring is") {
    const std::vector<LockWait> chain{{21, 0x10, 22}, {22, 0x20, 23}};
    CHECK(diag::crash::find_wait_cycles(chain).empty());
    const std::vector<LockWait> ring{{33, 0x30, 31}, {31, 0x10, 32}, {32, 0x20, 33}};
    const auto cycles = diag::crash::find_wait_cycles(ring);
    REQUIRE(cycles.size() == 1);
    CHECK(cycles[0].size() == 3);
    CHECK(cycles[0][0].tid == 31);
    CHECK(cycles[0][2].owner_tid == 31);
}
