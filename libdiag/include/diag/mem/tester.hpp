#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace diag::mem {

/// One memory test. The memtester ones keep memtester 4.6's semantics (tests.c), so results
/// compare one to one; march_c_minus and random_fill make up the default plan.
enum class TestKind {
    stuck_address,
    random_value,
    compare_xor,
    compare_sub,
    compare_mul,
    compare_div,
    compare_or,
    compare_and,
    sequential_increment,
    solid_bits,
    block_sequential,
    checkerboard,
    bit_spread,
    bit_flip,
    walking_ones,
    walking_zeros,
    bit_width_8,
    bit_width_16,
    march_c_minus,
    random_fill,
};

/// The name used by --tests and in reports ("bit-flip", "march-c-minus").
std::string_view test_name(TestKind kind);

/// Every test, in memtester's order, then the default plan's.
std::span<const TestKind> all_tests();

/// memtester's list, in its order.
std::vector<TestKind> memtester_plan();

/// March C- over seven data backgrounds, then a random fill.
std::vector<TestKind> default_plan();

/// Parses --tests: comma-separated names, "memtester", "default" or "all".
std::expected<std::vector<TestKind>, std::string> parse_test_list(std::string_view list);

/// A fault planted for tests: after the first write sweep of `test` in the first pass that runs
/// it, bit `bit` of the word at `word_index` (from the region start) is flipped once.
struct FaultInjection {
    TestKind test = TestKind::march_c_minus;
    std::size_t word_index = 0;
    unsigned bit = 0;
};

/// One word that read back wrong.
struct MemFailure {
    TestKind test = TestKind::march_c_minus;
    /// Loop number, from 1.
    std::uint64_t pass = 0;
    std::uintptr_t virtual_address = 0;
    /// Filled in afterwards from /proc/self/pagemap when that is readable (root).
    std::optional<std::uint64_t> physical_address;
    std::uint64_t expected = 0;
    std::uint64_t actual = 0;
    /// Bits that differ: expected XOR actual.
    [[nodiscard]] std::uint64_t differing_bits() const { return expected ^ actual; }
};

/// How one test fared over the whole run.
struct TestRecord {
    TestKind test = TestKind::march_c_minus;
    std::uint64_t runs = 0;
    std::uint64_t failures = 0;
    std::chrono::duration<double> elapsed{0};
    /// Bytes read plus bytes written by the test's sweeps.
    std::uint64_t bytes_moved = 0;
};

/// Live counters of a run, updated by the workers and read by a progress display on another
/// thread.
struct TestProgress {
    /// Bytes read plus written so far, over all passes.
    std::atomic<std::uint64_t> bytes_moved{0};
    /// The pass running, from 1.
    std::atomic<std::uint64_t> pass{0};
    /// The test running: its index in the plan.
    std::atomic<std::size_t> plan_index{0};
};

/// Bytes one run of `test` reads plus writes over a region of `words` 64-bit words, as
/// run_memory_tests counts them: the basis of a progress bar's ETA.
std::uint64_t planned_bytes(TestKind test, std::size_t words);

struct TesterOptions {
    /// Worker threads; each tests its own slice. 0: one per online CPU.
    unsigned threads = 0;
    /// Passes over the plan; 0 means until time_budget runs out.
    std::uint64_t loops = 1;
    std::optional<std::chrono::steady_clock::duration> time_budget;
    /// Set from outside (SIGINT) to stop after the current sweep.
    const std::atomic<bool>* stop = nullptr;
    /// Seed for random data; the same seed gives the same data.
    std::uint64_t seed = 0x5eed'd1a6'0000'0001ULL;
    /// Failures kept per thread and test; the rest are counted in dropped_failures.
    std::size_t max_failures = 1000;
    std::optional<FaultInjection> inject;
    /// Counters for a progress display; nullptr for none.
    TestProgress* progress = nullptr;
};

struct TestRunResult {
    std::vector<MemFailure> failures;
    std::uint64_t dropped_failures = 0;
    std::vector<TestRecord> tests;
    /// Whole passes over the plan that finished.
    std::uint64_t passes_completed = 0;
    /// True when the time budget or a stop request cut the run short.
    bool stopped_early = false;
    std::chrono::duration<double> elapsed{0};
    [[nodiscard]] std::uint64_t bytes_moved() const;
};

/// Runs the plan over region (its size a multiple of 64 bytes, at least 128). memtester's
/// tests use its two halves as bufa and bufb, as memtester does.
TestRunResult run_memory_tests(std::span<std::uint64_t> region, const std::vector<TestKind>& plan,
                               const TesterOptions& options);

}  // namespace diag::mem
