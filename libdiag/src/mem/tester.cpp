// The memory tests. The memtester ones follow memtester 4.6 (tests.c by Charles Cazabon) in what
// they write and compare, rewritten here as plain loops over 64-bit words that GCC vectorises
// at -O3 (this file's compile option). Checks run in blocks: a vectorised XOR-OR reduction
// over a block that stays in L1, and a scalar rescan only when the block holds a mismatch.

#include "diag/mem/tester.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <mutex>
#include <thread>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace diag::mem {

namespace {

using Word = std::uint64_t;
constexpr Word kOnes = ~Word{0};
constexpr Word kCheckerboard1 = 0x5555555555555555ULL;
constexpr Word kCheckerboard2 = 0xaaaaaaaaaaaaaaaaULL;
constexpr std::size_t kBlockWords = 512;  // 4 KiB: a check block stays in L1
constexpr std::size_t kSliceAlignWords = 8;

struct NamedTest {
    TestKind kind;
    std::string_view name;
};

constexpr std::array kTests{
    NamedTest{TestKind::stuck_address, "stuck-address"},
    NamedTest{TestKind::random_value, "random-value"},
    NamedTest{TestKind::compare_xor, "compare-xor"},
    NamedTest{TestKind::compare_sub, "compare-sub"},
    NamedTest{TestKind::compare_mul, "compare-mul"},
    NamedTest{TestKind::compare_div, "compare-div"},
    NamedTest{TestKind::compare_or, "compare-or"},
    NamedTest{TestKind::compare_and, "compare-and"},
    NamedTest{TestKind::sequential_increment, "sequential-increment"},
    NamedTest{TestKind::solid_bits, "solid-bits"},
    NamedTest{TestKind::block_sequential, "block-sequential"},
    NamedTest{TestKind::checkerboard, "checkerboard"},
    NamedTest{TestKind::bit_spread, "bit-spread"},
    NamedTest{TestKind::bit_flip, "bit-flip"},
    NamedTest{TestKind::walking_ones, "walking-ones"},
    NamedTest{TestKind::walking_zeros, "walking-zeros"},
    NamedTest{TestKind::bit_width_8, "8-bit-writes"},
    NamedTest{TestKind::bit_width_16, "16-bit-writes"},
    NamedTest{TestKind::march_c_minus, "march-c-minus"},
    NamedTest{TestKind::random_fill, "random-fill"},
};

constexpr std::array<TestKind, kTests.size()> kAllKinds = [] {
    std::array<TestKind, kTests.size()> kinds{};
    for (std::size_t i = 0; i < kTests.size(); ++i) {
        kinds[i] = kTests[i].kind;
    }
    return kinds;
}();

// Data backgrounds for March tests on 64-bit words: all-zero plus the six patterns whose bit
// j is bit k of j for k = 0..5. Between them every pair of bits in a word takes all four value
// combinations, so coupling faults between bits of one word are reached (van de Goor, "Testing
// Semiconductor Memories", 1991, ch. 9, data backgrounds for word-oriented memories).
constexpr std::array<Word, 7> kBackgrounds{
    0x0000000000000000ULL, 0xaaaaaaaaaaaaaaaaULL, 0xccccccccccccccccULL, 0xf0f0f0f0f0f0f0f0ULL,
    0xff00ff00ff00ff00ULL, 0xffff0000ffff0000ULL, 0xffffffff00000000ULL,
};

// Counter-based random words (SplitMix64's finaliser over seed + i * golden gamma): a pure
// function of the index, so each thread makes its slice's words and the loops vectorise.
inline Word random_word(Word seed, Word index) {
    Word z = seed + index * 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30U)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27U)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31U);
}

inline Word shifted(unsigned bit) {
    return bit < 64 ? Word{1} << bit : 0;
}
inline Word byte_repeated(unsigned byte) {
    return Word{byte} * 0x0101010101010101ULL;
}

// Everything one worker needs: its slices, the shared options, and its own findings.
struct Worker {
    const TesterOptions* options = nullptr;
    TestKind test{};
    std::uint64_t pass = 0;
    Word* region = nullptr;
    // Whole-region slice (stuck address, March, random fill).
    Word* whole = nullptr;
    std::size_t whole_words = 0;
    std::size_t whole_first = 0;  // index of whole[0] in the region
    // memtester halves: a = bufa + first, b = bufb + first.
    Word* a = nullptr;
    Word* b = nullptr;
    std::size_t half_words = 0;
    std::size_t half_first = 0;
    std::atomic<bool>* injected = nullptr;
    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
    std::vector<MemFailure> failures;
    std::uint64_t failure_count = 0;
    std::uint64_t dropped = 0;
    std::uint64_t bytes_moved = 0;
    bool stopped = false;

    bool should_stop() {
        if (stopped) {
            return true;
        }
        if ((options->stop != nullptr && options->stop->load(std::memory_order_relaxed)) ||
            std::chrono::steady_clock::now() >= deadline) {
            stopped = true;
        }
        return stopped;
    }

    void fail(const volatile Word* where, Word expected, Word actual) {
        ++failure_count;
        if (failures.size() >= options->max_failures) {
            ++dropped;
            return;
        }
        failures.push_back(MemFailure{test, pass, reinterpret_cast<std::uintptr_t>(where),
                                      std::nullopt, expected, actual});
    }

    // The test hook: flips the planted bit once, after a write sweep over [begin, begin + n).
    void after_write(Word* begin, std::size_t n) {
        const auto& inject = options->inject;
        if (!inject || inject->test != test || injected->load(std::memory_order_relaxed)) {
            return;
        }
        Word* target = region + inject->word_index;
        if (target >= begin && target < begin + n && !injected->exchange(true)) {
            volatile Word* cell = target;
            *cell = *cell ^ shifted(inject->bit);
        }
    }

    // memtester's compare_regions: a and b must be equal word for word. bufa's word is the
    // one reported, bufb's value is taken as the expected one.
    void compare_halves() {
        for (std::size_t start = 0; start < half_words; start += kBlockWords) {
            const std::size_t n = std::min(kBlockWords, half_words - start);
            const Word* __restrict pa = a + start;
            const Word* __restrict pb = b + start;
            Word diff = 0;
            for (std::size_t i = 0; i < n; ++i) {
                diff |= pa[i] ^ pb[i];
            }
            if (diff != 0) {
                for (std::size_t i = 0; i < n; ++i) {
                    if (pa[i] != pb[i]) {
                        fail(pa + i, pb[i], pa[i]);
                    }
                }
            }
        }
        bytes_moved += 2 * half_words * sizeof(Word);
    }

    template <class Make>
    void fill_halves(Make make) {
        Word* __restrict pa = a;
        Word* __restrict pb = b;
#if defined(__SSE2__)
        // Non-temporal stores: the halves are far larger than the caches, so writing around
        // them saves the read-for-ownership of every line, a third of the traffic of a sweep.
        // Slices start on 64-byte boundaries (kSliceAlignWords), so 16-byte stores align.
        std::size_t i = 0;
        for (; i + 1 < half_words; i += 2) {
            const Word v0 = make(half_first + i);
            const Word v1 = make(half_first + i + 1);
            const __m128i pair =
                _mm_set_epi64x(static_cast<long long>(v1), static_cast<long long>(v0));
            _mm_stream_si128(reinterpret_cast<__m128i*>(pa + i), pair);
            _mm_stream_si128(reinterpret_cast<__m128i*>(pb + i), pair);
        }
        for (; i < half_words; ++i) {
            pa[i] = pb[i] = make(half_first + i);
        }
        _mm_sfence();
#else
        for (std::size_t i = 0; i < half_words; ++i) {
            const Word value = make(half_first + i);
            pa[i] = value;
            pb[i] = value;
        }
#endif
        bytes_moved += 2 * half_words * sizeof(Word);
        after_write(a, half_words);
    }

    template <class Op>
    void apply_halves(Op op) {
        Word* __restrict pa = a;
        Word* __restrict pb = b;
        for (std::size_t i = 0; i < half_words; ++i) {
            pa[i] = op(pa[i]);
            pb[i] = op(pb[i]);
        }
        bytes_moved += 4 * half_words * sizeof(Word);
        after_write(a, half_words);
    }

    // March element: read and check `expect` at every word of the slice, then write `next`,
    // in ascending or descending address order, block by block.
    void march_element(Word expect, Word next, bool descending) {
        const std::size_t blocks = (whole_words + kBlockWords - 1) / kBlockWords;
        for (std::size_t k = 0; k < blocks; ++k) {
            const std::size_t block = descending ? blocks - 1 - k : k;
            const std::size_t start = block * kBlockWords;
            const std::size_t n = std::min(kBlockWords, whole_words - start);
            Word* __restrict p = whole + start;
            Word diff = 0;
            for (std::size_t i = 0; i < n; ++i) {
                diff |= p[i] ^ expect;
            }
            if (diff != 0) {
                for (std::size_t i = 0; i < n; ++i) {
                    if (p[i] != expect) {
                        fail(p + i, expect, p[i]);
                    }
                }
            }
            if (descending) {
                for (std::size_t i = n; i-- > 0;) {
                    p[i] = next;
                }
            } else {
                for (std::size_t i = 0; i < n; ++i) {
                    p[i] = next;
                }
            }
        }
        bytes_moved += 2 * whole_words * sizeof(Word);
        after_write(whole, whole_words);
    }

    void fill_whole(Word value) {
        Word* __restrict p = whole;
        for (std::size_t i = 0; i < whole_words; ++i) {
            p[i] = value;
        }
        bytes_moved += whole_words * sizeof(Word);
        after_write(whole, whole_words);
    }

    void check_whole(Word expect) {
        for (std::size_t start = 0; start < whole_words; start += kBlockWords) {
            const std::size_t n = std::min(kBlockWords, whole_words - start);
            const Word* __restrict p = whole + start;
            Word diff = 0;
            for (std::size_t i = 0; i < n; ++i) {
                diff |= p[i] ^ expect;
            }
            if (diff != 0) {
                for (std::size_t i = 0; i < n; ++i) {
                    if (p[i] != expect) {
                        fail(p + i, expect, p[i]);
                    }
                }
            }
        }
        bytes_moved += whole_words * sizeof(Word);
    }

    // March C- (van de Goor 1991): {⇕(w0); ⇑(r0,w1); ⇑(r1,w0); ⇓(r0,w1); ⇓(r1,w0); ⇕(r0)},
    // 10 operations per word, once per data background.
    void march_c_minus() {
        for (const Word zero : kBackgrounds) {
            const Word one = ~zero;
            if (should_stop())
                return;
            fill_whole(zero);
            march_element(zero, one, false);
            if (should_stop())
                return;
            march_element(one, zero, false);
            if (should_stop())
                return;
            march_element(zero, one, true);
            if (should_stop())
                return;
            march_element(one, zero, true);
            if (should_stop())
                return;
            check_whole(zero);
        }
    }

    void random_fill() {
        const Word seed = random_word(options->seed, pass * 0x100 + 0x55);
        Word* __restrict p = whole;
        for (std::size_t i = 0; i < whole_words; ++i) {
            p[i] = random_word(seed, whole_first + i);
        }
        bytes_moved += whole_words * sizeof(Word);
        after_write(whole, whole_words);
        for (std::size_t start = 0; start < whole_words; start += kBlockWords) {
            const std::size_t n = std::min(kBlockWords, whole_words - start);
            const Word* __restrict q = whole + start;
            Word diff = 0;
            for (std::size_t i = 0; i < n; ++i) {
                diff |= q[i] ^ random_word(seed, whole_first + start + i);
            }
            if (diff != 0) {
                for (std::size_t i = 0; i < n; ++i) {
                    const Word expect = random_word(seed, whole_first + start + i);
                    if (q[i] != expect) {
                        fail(q + i, expect, q[i]);
                    }
                }
            }
        }
        bytes_moved += whole_words * sizeof(Word);
    }

    // memtester test_stuck_address: 16 rounds of each word holding its own address or its
    // complement, alternating by (round + index) parity. The index counts from bufa's start.
    void stuck_address() {
        for (unsigned j = 0; j < 16; ++j) {
            if (should_stop())
                return;
            Word* __restrict p = whole;
            for (std::size_t i = 0; i < whole_words; ++i) {
                const auto address = reinterpret_cast<Word>(p + i);
                p[i] = ((j + whole_first + i) % 2 == 0) ? address : ~address;
            }
            bytes_moved += whole_words * sizeof(Word);
            after_write(whole, whole_words);
            for (std::size_t i = 0; i < whole_words; ++i) {
                const auto address = reinterpret_cast<Word>(p + i);
                const Word expect = ((j + whole_first + i) % 2 == 0) ? address : ~address;
                if (p[i] != expect) {
                    fail(p + i, expect, p[i]);
                }
            }
            bytes_moved += whole_words * sizeof(Word);
        }
    }

    // memtester's 8- and 16-bit tests: one half written a narrow store at a time through a
    // volatile pointer (so the stores are not merged), the other a word at a time, twice with
    // the roles swapped, then compared.
    template <class Narrow>
    void narrow_writes(unsigned round_base) {
        for (unsigned attempt = 0; attempt < 2; ++attempt) {
            if (should_stop())
                return;
            Word* wide = (attempt & 1U) != 0 ? b : a;
            Word* narrow_words = (attempt & 1U) != 0 ? a : b;
            auto* narrow = reinterpret_cast<volatile Narrow*>(narrow_words);
            const Word seed = random_word(options->seed, pass * 0x100 + round_base + attempt);
            for (std::size_t i = 0; i < half_words; ++i) {
                const Word value = random_word(seed, half_first + i);
                std::array<Narrow, sizeof(Word) / sizeof(Narrow)> parts{};
                std::memcpy(parts.data(), &value, sizeof value);
                for (std::size_t k = 0; k < parts.size(); ++k) {
                    narrow[i * parts.size() + k] = parts[k];
                }
                wide[i] = value;
            }
            bytes_moved += 2 * half_words * sizeof(Word);
            after_write(a, half_words);
            compare_halves();
        }
    }

    void run() {
        const Word seed = random_word(options->seed, pass * 0x100 + static_cast<Word>(test));
        auto rand_q = [&](Word k) { return random_word(seed ^ 0xa5a5, k); };
        switch (test) {
            case TestKind::stuck_address:
                stuck_address();
                return;
            case TestKind::march_c_minus:
                march_c_minus();
                return;
            case TestKind::random_fill:
                random_fill();
                return;
            case TestKind::bit_width_8:
                narrow_writes<std::uint8_t>(0x10);
                return;
            case TestKind::bit_width_16:
                narrow_writes<std::uint16_t>(0x20);
                return;
            default:
                break;
        }
        if (should_stop())
            return;
        switch (test) {
            case TestKind::random_value:
                fill_halves([&](std::size_t i) { return random_word(seed, i); });
                compare_halves();
                return;
            // The compare tests apply one random operand to both halves and compare. memtester
            // draws q once per test; so do they (the same q in every thread).
            case TestKind::compare_xor: {
                const Word q = rand_q(1);
                apply_halves([q](Word v) { return v ^ q; });
                compare_halves();
                return;
            }
            case TestKind::compare_sub: {
                const Word q = rand_q(2);
                apply_halves([q](Word v) { return v - q; });
                compare_halves();
                return;
            }
            case TestKind::compare_mul: {
                const Word q = rand_q(3);
                apply_halves([q](Word v) { return v * q; });
                compare_halves();
                return;
            }
            case TestKind::compare_div: {
                const Word q = std::max<Word>(rand_q(4), 1);
                apply_halves([q](Word v) { return v / q; });
                compare_halves();
                return;
            }
            case TestKind::compare_or: {
                const Word q = rand_q(5);
                apply_halves([q](Word v) { return v | q; });
                compare_halves();
                return;
            }
            case TestKind::compare_and: {
                const Word q = rand_q(6);
                apply_halves([q](Word v) { return v & q; });
                compare_halves();
                return;
            }
            case TestKind::sequential_increment: {
                const Word q = rand_q(7);
                fill_halves([q](std::size_t i) { return Word{i} + q; });
                compare_halves();
                return;
            }
            case TestKind::solid_bits:
                for (unsigned j = 0; j < 64; ++j) {
                    if (should_stop())
                        return;
                    const Word q = (j % 2 == 0) ? kOnes : 0;
                    fill_halves([q](std::size_t i) { return (i % 2 == 0) ? q : ~q; });
                    compare_halves();
                }
                return;
            case TestKind::checkerboard:
                for (unsigned j = 0; j < 64; ++j) {
                    if (should_stop())
                        return;
                    const Word q = (j % 2 == 0) ? kCheckerboard1 : kCheckerboard2;
                    fill_halves([q](std::size_t i) { return (i % 2 == 0) ? q : ~q; });
                    compare_halves();
                }
                return;
            case TestKind::block_sequential:
                for (unsigned j = 0; j < 256; ++j) {
                    if (should_stop())
                        return;
                    const Word q = byte_repeated(j);
                    fill_halves([q](std::size_t) { return q; });
                    compare_halves();
                }
                return;
            case TestKind::walking_zeros:
            case TestKind::walking_ones:
                for (unsigned j = 0; j < 128; ++j) {
                    if (should_stop())
                        return;
                    const Word bit = j < 64 ? shifted(j) : shifted(127 - j);
                    const Word q = test == TestKind::walking_zeros ? bit : kOnes ^ bit;
                    fill_halves([q](std::size_t) { return q; });
                    compare_halves();
                }
                return;
            case TestKind::bit_spread:
                // memtester shifts past bit 63 for j = 62, 63; here those bits are dropped.
                for (unsigned j = 0; j < 128; ++j) {
                    if (should_stop())
                        return;
                    const Word q = j < 64 ? (shifted(j) | shifted(j + 2))
                                          : (shifted(127 - j) | shifted(129 - j));
                    fill_halves([q](std::size_t i) { return (i % 2 == 0) ? q : kOnes ^ q; });
                    compare_halves();
                }
                return;
            case TestKind::bit_flip:
                for (unsigned j = 0; j < 64; ++j) {
                    Word q = shifted(j);
                    for (unsigned k = 0; k < 8; ++k) {
                        if (should_stop())
                            return;
                        q = ~q;
                        fill_halves([q](std::size_t i) { return (i % 2 == 0) ? q : ~q; });
                        compare_halves();
                    }
                }
                return;
            default:
                return;
        }
    }
};

bool compare_family(TestKind kind) {
    return kind >= TestKind::compare_xor && kind <= TestKind::compare_and;
}

// After which tests bufa and bufb hold equal words (so a compare test may follow).
bool leaves_halves_equal(TestKind kind) {
    return kind != TestKind::stuck_address && kind != TestKind::march_c_minus &&
           kind != TestKind::random_fill;
}

}  // namespace

std::string_view test_name(TestKind kind) {
    for (const auto& test : kTests) {
        if (test.kind == kind) {
            return test.name;
        }
    }
    return "unknown";
}

std::span<const TestKind> all_tests() {
    return kAllKinds;
}

std::vector<TestKind> memtester_plan() {
    return {kAllKinds.begin(), kAllKinds.begin() + static_cast<long>(kAllKinds.size() - 2)};
}

std::vector<TestKind> default_plan() {
    return {TestKind::march_c_minus, TestKind::random_fill};
}

std::expected<std::vector<TestKind>, std::string> parse_test_list(std::string_view list) {
    std::vector<TestKind> plan;
    while (!list.empty()) {
        const auto comma = list.find(',');
        const std::string_view name = list.substr(0, comma);
        list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
        if (name == "memtester") {
            const auto more = memtester_plan();
            plan.insert(plan.end(), more.begin(), more.end());
        } else if (name == "default") {
            const auto more = default_plan();
            plan.insert(plan.end(), more.begin(), more.end());
        } else if (name == "all") {
            plan.insert(plan.end(), kAllKinds.begin(), kAllKinds.end());
        } else {
            const auto it = std::ranges::find(kTests, name, &NamedTest::name);
            if (it == kTests.end()) {
                return std::unexpected("--tests: unknown test '" + std::string(name) +
                                       "' (diag-mem(1) lists them)");
            }
            plan.push_back(it->kind);
        }
    }
    if (plan.empty()) {
        return std::unexpected("--tests names no test");
    }
    return plan;
}

std::uint64_t TestRunResult::bytes_moved() const {
    std::uint64_t total = 0;
    for (const auto& test : tests) {
        total += test.bytes_moved;
    }
    return total;
}

TestRunResult run_memory_tests(std::span<std::uint64_t> region, const std::vector<TestKind>& plan,
                               const TesterOptions& options) {
    TestRunResult result;
    const auto started = std::chrono::steady_clock::now();
    const auto deadline = options.time_budget ? started + *options.time_budget
                                              : std::chrono::steady_clock::time_point::max();
    const std::size_t words = region.size() - region.size() % (2 * kSliceAlignWords);
    const std::size_t half = words / 2;
    if (half < kSliceAlignWords || plan.empty()) {
        return result;
    }
    unsigned threads = options.threads != 0 ? options.threads : std::thread::hardware_concurrency();
    threads = std::clamp<unsigned>(
        threads, 1,
        static_cast<unsigned>(std::max<std::size_t>(1, half / (kSliceAlignWords * 64))));
    std::atomic<bool> injected{false};
    for (const auto kind : plan) {
        if (std::ranges::find(result.tests, kind, &TestRecord::test) == result.tests.end()) {
            result.tests.push_back(TestRecord{kind});
        }
    }
    bool halves_equal = false;
    for (std::uint64_t pass = 1; options.loops == 0 || pass <= options.loops; ++pass) {
        for (const auto kind : plan) {
            if (result.stopped_early) {
                break;
            }
            std::vector<Worker> workers(threads);
            // Slices: equal shares, each a multiple of kSliceAlignWords so index parity holds.
            const std::size_t half_share = half / threads / kSliceAlignWords * kSliceAlignWords;
            for (unsigned t = 0; t < threads; ++t) {
                auto& w = workers[t];
                w.options = &options;
                w.test = kind;
                w.pass = pass;
                w.region = region.data();
                w.injected = &injected;
                w.deadline = deadline;
                w.half_first = t * half_share;
                w.half_words = t + 1 == threads ? half - w.half_first : half_share;
                w.a = region.data() + w.half_first;
                w.b = region.data() + half + w.half_first;
                w.whole_first = 2 * w.half_first;
                w.whole_words = t + 1 == threads ? words - w.whole_first : 2 * half_share;
                w.whole = region.data() + w.whole_first;
            }
            // memtester runs its compare tests on whatever equal data the test before left;
            // when nothing did, both halves get the same random words first (not counted).
            if (compare_family(kind) && !halves_equal) {
                for (auto& w : workers) {
                    const Word seed = random_word(options.seed, pass);
                    Word* __restrict pa = w.a;
                    Word* __restrict pb = w.b;
                    for (std::size_t i = 0; i < w.half_words; ++i) {
                        pa[i] = pb[i] = random_word(seed, w.half_first + i);
                    }
                }
            }
            const auto test_start = std::chrono::steady_clock::now();
            {
                std::vector<std::jthread> running;
                for (unsigned t = 1; t < threads; ++t) {
                    running.emplace_back([&w = workers[t]] { w.run(); });
                }
                workers[0].run();
            }
            auto& record = *std::ranges::find(result.tests, kind, &TestRecord::test);
            record.elapsed += std::chrono::steady_clock::now() - test_start;
            bool stopped = false;
            for (auto& w : workers) {
                record.bytes_moved += w.bytes_moved;
                record.failures += w.failure_count;
                result.dropped_failures += w.dropped;
                std::ranges::move(w.failures, std::back_inserter(result.failures));
                stopped = stopped || w.stopped;
            }
            if (stopped) {
                result.stopped_early = true;
            } else {
                ++record.runs;
            }
            halves_equal = leaves_halves_equal(kind);
        }
        if (result.stopped_early) {
            break;
        }
        ++result.passes_completed;
        if (std::chrono::steady_clock::now() >= deadline ||
            (options.stop != nullptr && options.stop->load())) {
            result.stopped_early = options.loops == 0 || pass < options.loops;
            break;
        }
    }
    result.elapsed = std::chrono::steady_clock::now() - started;
    return result;
}

}  // namespace diag::mem
