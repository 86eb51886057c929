#include <diag/crash/backtrace.hpp>
#include <diag/crash/core_analysis.hpp>

#include <catch2/catch.hpp>

using namespace diag::crash;

namespace {
ThreadStack stack_of(int tid, std::vector<std::pair<std::uint64_t, std::string>> frames) {
    ThreadStack stack;
    stack.tid = tid;
    for (auto& [pc, function] : frames) {
        Frame frame;
        frame.number = stack.frames.size();
        frame.pc = pc;
        frame.function = function;
        frame.module = function == "main" || function == "check" ? "prog" : "libc.so.6";
        stack.frames.push_back(frame);
    }
    return stack;
}
}  // namespace

TEST_CASE("stack folding: threads with the same pcs fold, in order of first appearance") {
    const std::vector<ThreadStack> threads{
        stack_of(10, {{0x1, "raise"}, {0x2, "main"}}),
        stack_of(11, {{0x5, "futex_wait"}, {0x6, "start_thread"}}),
        stack_of(12, {{0x5, "futex_wait"}, {0x6, "start_thread"}}),
        stack_of(13, {{0x5, "futex_wait"}, {0x7, "start_thread"}}),
    };
    const auto groups = fold_identical_stacks(threads);
    REQUIRE(groups.size() == 3);
    CHECK(groups[0].tids == std::vector<int>{10});
    CHECK(groups[1].tids == std::vector<int>{11, 12});
    CHECK(groups[1].stack == &threads[1]);
    CHECK(groups[2].tids == std::vector<int>{13});
}

TEST_CASE("crash signature: abort and assert internals are skipped, clones normalised") {
    const auto stack = stack_of(1, {{0x1, "__pthread_kill_implementation"},
                                    {0x2, "raise"},
                                    {0x3, "abort"},
                                    {0x4, "__assert_fail_base.cold"},
                                    {0x5, "__assert_fail"},
                                    {0x6, "check"},
                                    {0x7, "main"},
                                    {0x8, "__libc_start_call_main"}});
    CHECK(crash_signature(stack) == "prog!check < prog!main < libc.so.6!__libc_start_call_main");
    auto rebuilt = stack;
    for (auto& frame : rebuilt.frames) {
        frame.pc += 0x1000;
    }
    CHECK(crash_signature(rebuilt) == crash_signature(stack));
    CHECK(is_abort_internal("malloc_printerr"));
    CHECK_FALSE(is_abort_internal("main"));
}
