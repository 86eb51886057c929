// The memory tester on small regions: clean memory passes every test, and a bit flipped by the
// test hook is reported at its exact address, with its bit, test and pass, in every family.

#include <diag/mem/bandwidth.hpp>
#include <diag/mem/memory_region.hpp>
#include <diag/mem/pagemap.hpp>
#include <diag/mem/test_size.hpp>
#include <diag/mem/tester.hpp>

#include <bit>
#include <vector>

#include <catch2/catch.hpp>

namespace {

constexpr std::size_t kWords = 8192;  // 64 KiB

diag::mem::TesterOptions options(unsigned threads) {
    diag::mem::TesterOptions o;
    o.threads = threads;
    o.loops = 1;
    return o;
}

}  // namespace

TEST_CASE("tester: every test passes on good memory, with one thread and with four") {
    std::vector<std::uint64_t> region(kWords);
    for (const unsigned threads : {1U, 4U}) {
        for (const auto kind : diag::mem::all_tests()) {
            const auto result = diag::mem::run_memory_tests(region, {kind}, options(threads));
            INFO(diag::mem::test_name(kind) << " threads " << threads);
            CHECK(result.failures.empty());
            CHECK(result.passes_completed == 1);
            REQUIRE(result.tests.size() == 1);
            CHECK(result.tests[0].runs == 1);
            CHECK(result.tests[0].bytes_moved >= kWords * 8);
        }
    }
}

TEST_CASE("tester: a flipped bit is reported at its address and bit in every test") {
    std::vector<std::uint64_t> region(kWords);
    const auto threads = GENERATE(1U, 3U);
    for (const auto kind : diag::mem::all_tests()) {
        // In the first half (memtester's bufa), off a slice edge, in the second thread's share.
        const std::size_t word = kWords / 2 - 777;
        const unsigned bit = 41;
        auto o = options(threads);
        o.inject = diag::mem::FaultInjection{kind, word, bit};
        // Two passes: the fault is planted once, so a test that rewrites its data reports it
        // in pass 1 only. The compare tests keep the data (as memtester's do), so a second
        // pass would rightly report the word again; they get one pass.
        const bool keeps_data =
            kind >= diag::mem::TestKind::compare_xor && kind <= diag::mem::TestKind::compare_and;
        o.loops = keeps_data ? 1 : 2;
        const auto result = diag::mem::run_memory_tests(region, {kind}, o);
        INFO(diag::mem::test_name(kind) << " threads " << threads);
        REQUIRE(result.failures.size() == 1);
        const auto& failure = result.failures[0];
        CHECK(failure.test == kind);
        CHECK(failure.pass == 1);
        CHECK(failure.virtual_address == reinterpret_cast<std::uintptr_t>(&region[word]));
        CHECK(failure.differing_bits() == std::uint64_t{1} << bit);
        CHECK(failure.actual == (failure.expected ^ (std::uint64_t{1} << bit)));
        CHECK(result.tests[0].failures == 1);
    }
}

TEST_CASE("tester: the default plan reports a flipped bit in the random fill too") {
    std::vector<std::uint64_t> region(kWords);
    auto o = options(2);
    o.inject = diag::mem::FaultInjection{diag::mem::TestKind::random_fill, 5, 63};
    const auto result = diag::mem::run_memory_tests(region, diag::mem::default_plan(), o);
    REQUIRE(result.failures.size() == 1);
    CHECK(result.failures[0].test == diag::mem::TestKind::random_fill);
    CHECK(result.failures[0].virtual_address == reinterpret_cast<std::uintptr_t>(&region[5]));
    CHECK(result.failures[0].differing_bits() == std::uint64_t{1} << 63U);
}

TEST_CASE("tester: a stop request ends the run early and says so") {
    std::vector<std::uint64_t> region(kWords);
    std::atomic<bool> stop{true};
    auto o = options(2);
    o.stop = &stop;
    const auto result = diag::mem::run_memory_tests(region, diag::mem::memtester_plan(), o);
    CHECK(result.stopped_early);
    CHECK(result.passes_completed == 0);
}

TEST_CASE("tester: loops 0 with a time budget runs whole passes until the budget is spent") {
    std::vector<std::uint64_t> region(kWords);
    auto o = options(1);
    o.loops = 0;
    o.time_budget = std::chrono::milliseconds(50);
    const auto result = diag::mem::run_memory_tests(region, {diag::mem::TestKind::random_value}, o);
    CHECK(result.passes_completed >= 2);
    CHECK(result.elapsed >= std::chrono::milliseconds(50));
}

TEST_CASE("test lists: names, memtester and default expand, unknown names are refused") {
    const auto memtester = diag::mem::parse_test_list("memtester");
    REQUIRE(memtester.has_value());
    CHECK(memtester->size() == 18);
    CHECK(memtester->front() == diag::mem::TestKind::stuck_address);
    CHECK(memtester->back() == diag::mem::TestKind::bit_width_16);
    const auto two = diag::mem::parse_test_list("bit-flip,march-c-minus");
    REQUIRE(two.has_value());
    CHECK(*two == std::vector{diag::mem::TestKind::bit_flip, diag::mem::TestKind::march_c_minus});
    CHECK(diag::mem::parse_test_list("default") == diag::mem::default_plan());
    CHECK_FALSE(diag::mem::parse_test_list("bitflip").has_value());
    CHECK_FALSE(diag::mem::parse_test_list("").has_value());
}

TEST_CASE("test size: suffixes are binary multiples and percentages are of MemAvailable") {
    CHECK(diag::mem::parse_test_size("4096")->bytes == 4096U);
    CHECK(diag::mem::parse_test_size("512K")->bytes == 512U << 10U);
    CHECK(diag::mem::parse_test_size("256M")->bytes == 256U << 20U);
    CHECK(diag::mem::parse_test_size("2GiB")->bytes == std::uint64_t{2} << 30U);
    CHECK(diag::mem::parse_test_size("1.5G")->bytes == std::uint64_t{3} << 29U);
    CHECK(diag::mem::parse_test_size("25%")->percent_of_available == 25.0);
    CHECK_FALSE(diag::mem::parse_test_size("12X"));
    CHECK_FALSE(diag::mem::parse_test_size("150%"));
    CHECK_FALSE(diag::mem::parse_test_size("-1M"));
    CHECK_FALSE(diag::mem::parse_test_size("M"));
}

TEST_CASE("test size: a size that leaves too little MemAvailable is refused with the reason") {
    const std::uint64_t gib = std::uint64_t{1} << 30U;
    const auto ok = diag::mem::resolve_test_size({gib, std::nullopt}, 4 * gib, 8 * gib, 4096);
    CHECK(ok == gib);
    const auto too_big =
        diag::mem::resolve_test_size({4 * gib - 100, std::nullopt}, 4 * gib, 8 * gib, 4096);
    REQUIRE_FALSE(too_big.has_value());
    CHECK(too_big.error().find("OOM") != std::string::npos);
    // 5% of 8 GiB is above the 256 MiB floor: 410 MiB must stay.
    CHECK(diag::mem::oom_headroom_bytes(8 * gib) == 8 * gib / 20);
    CHECK(diag::mem::resolve_test_size({std::nullopt, 50.0}, 4 * gib, 8 * gib, 4096) == 2 * gib);
    CHECK_FALSE(
        diag::mem::resolve_test_size({std::nullopt, 50.0}, std::nullopt, std::nullopt, 4096));
    CHECK(diag::mem::resolve_test_size({5000, std::nullopt}, 4 * gib, 8 * gib, 4096) == 4096U);
    CHECK_FALSE(diag::mem::resolve_test_size({100, std::nullopt}, 4 * gib, 8 * gib, 4096));
}

TEST_CASE("pagemap: a present page gives frame times page size plus offset") {
    const std::uint64_t present = std::uint64_t{1} << 63U;
    CHECK(diag::mem::physical_address(present | 0x1234, 0x7f00'0000'0abc, 4096) ==
          0x1234ULL * 4096 + 0xabc);
    CHECK_FALSE(diag::mem::physical_address(0x1234, 0x1000, 4096));   // not present
    CHECK_FALSE(diag::mem::physical_address(present, 0x1000, 4096));  // frame hidden (no root)
    CHECK(diag::mem::pagemap_offset(0x3000, 4096) == 24);
}

TEST_CASE("memory region: a small region is mapped, zeroed and usable by the tester") {
    auto region = diag::mem::MemoryRegion::allocate(1 << 16);
    REQUIRE(region.data.size_bytes() == 1U << 16U);
    CHECK(region.data.words().size() == 8192);
    CHECK(region.data.words()[100] == 0);
    // Locked, or an Issue saying why not.
    CHECK((region.data.locked() || !region.issues.empty()));
    const auto result =
        diag::mem::run_memory_tests(region.data.words(), diag::mem::default_plan(), options(2));
    CHECK(result.failures.empty());
}

TEST_CASE("tester: the planned bytes of every test are the bytes it moves") {
    std::vector<std::uint64_t> region(kWords + 5);  // not a multiple of the slice alignment
    for (const auto kind : diag::mem::all_tests()) {
        INFO(diag::mem::test_name(kind));
        const auto result = diag::mem::run_memory_tests(region, {kind}, options(2));
        REQUIRE(result.tests.size() == 1);
        CHECK(result.tests[0].bytes_moved == diag::mem::planned_bytes(kind, region.size()));
    }
    // memtester's list moves about 2,600 region sizes per pass, the default plan 72.
    std::uint64_t list = 0;
    for (const auto kind : diag::mem::memtester_plan()) {
        list += diag::mem::planned_bytes(kind, kWords);
    }
    CHECK(list == 2622 * kWords * 8);
    CHECK(diag::mem::planned_bytes(diag::mem::TestKind::march_c_minus, kWords) +
              diag::mem::planned_bytes(diag::mem::TestKind::random_fill, kWords) ==
          72 * kWords * 8);
}

TEST_CASE("tester: the progress counters follow the run and end at its bytes") {
    std::vector<std::uint64_t> region(kWords);
    diag::mem::TestProgress progress;
    auto o = options(2);
    o.progress = &progress;
    o.loops = 2;
    const std::vector plan{diag::mem::TestKind::random_value, diag::mem::TestKind::solid_bits};
    const auto result = diag::mem::run_memory_tests(region, plan, o);
    CHECK(progress.bytes_moved.load() == result.bytes_moved());
    CHECK(progress.pass.load() == 2);
    CHECK(progress.plan_index.load() == 1);
}

TEST_CASE(
    "tester: pattern fills on a region that is not 32-byte aligned still pass and "
    "report a planted fault") {
    // One word off a 32-byte boundary: the vector stores start after a scalar head.
    std::vector<std::uint64_t> storage(kWords + 4);
    auto* base = storage.data();
    while (reinterpret_cast<std::uintptr_t>(base) % 32 != 8) {
        ++base;
    }
    const std::span<std::uint64_t> region(base, kWords);
    auto o = options(1);
    CHECK(diag::mem::run_memory_tests(region, {diag::mem::TestKind::bit_flip}, o).failures.empty());
    o.inject = diag::mem::FaultInjection{diag::mem::TestKind::checkerboard, 1, 0};
    const auto result = diag::mem::run_memory_tests(region, {diag::mem::TestKind::checkerboard}, o);
    REQUIRE(result.failures.size() == 1);
    CHECK(result.failures[0].virtual_address == reinterpret_cast<std::uintptr_t>(base + 1));
}

TEST_CASE("bandwidth: every rate is measured, and write-then-read lies between write and read") {
    std::vector<std::uint64_t> region(std::size_t{1} << 17U);  // 1 MiB
    const auto reference = diag::mem::measure_bandwidth(region, 2, std::chrono::milliseconds(20));
    CHECK(reference.write_bytes_per_second > 0);
    CHECK(reference.read_bytes_per_second > 0);
    CHECK(reference.copy_bytes_per_second > 0);
    const double both = reference.write_then_read_bytes_per_second();
    CHECK(both >= std::min(reference.write_bytes_per_second, reference.read_bytes_per_second));
    CHECK(both <= std::max(reference.write_bytes_per_second, reference.read_bytes_per_second));
    // The harmonic mean: 2 / (1/w + 1/r), exactly.
    diag::mem::BandwidthReference fixed;
    fixed.write_bytes_per_second = 10e9;
    fixed.read_bytes_per_second = 40e9;
    CHECK(fixed.write_then_read_bytes_per_second() == Approx(16e9));
    CHECK(diag::mem::BandwidthReference{}.write_then_read_bytes_per_second() == 0);
}
