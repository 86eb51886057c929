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
#include <immintrin.h>
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

// The check kernels: OR of the differences over one block. GCC makes an AVX2 clone and a
// baseline one and picks at load time from the CPU (target_clones, an ifunc), so the release
// build stays runnable on any x86-64.
#if defined(__x86_64__) && defined(__GNUC__)
#define DIAG_VECTOR_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define DIAG_VECTOR_CLONES
#endif

DIAG_VECTOR_CLONES Word difference_of(const Word* __restrict a, const Word* __restrict b,
                                      std::size_t n) {
    Word diff = 0;
    for (std::size_t i = 0; i < n; ++i) {
        diff |= a[i] ^ b[i];
    }
    return diff;
}

DIAG_VECTOR_CLONES Word difference_from(const Word* __restrict p, std::size_t n, Word expect) {
    Word diff = 0;
    for (std::size_t i = 0; i < n; ++i) {
        diff |= p[i] ^ expect;
    }
    return diff;
}

#if defined(__SSE2__)
// Pattern fills with non-temporal stores: the halves are far larger than the caches, so
// writing around them saves the read-for-ownership of every line, a third of the traffic of a
// sweep. Word i gets `even` or `odd` by the parity of first_index + i. Both pointers share
// their alignment (the halves are a multiple of 64 bytes apart).
__attribute__((target("avx"))) void stream_pattern_avx(Word* __restrict a, Word* __restrict b,
                                                       std::size_t n, std::size_t first_index,
                                                       Word even, Word odd) {
    std::size_t i = 0;
    for (; i < n && reinterpret_cast<std::uintptr_t>(a + i) % 32 != 0; ++i) {
        a[i] = b[i] = ((first_index + i) % 2 == 0) ? even : odd;
    }
    const Word lane0 = ((first_index + i) % 2 == 0) ? even : odd;
    const Word lane1 = lane0 == even ? odd : even;
    const __m256i pattern =
        _mm256_set_epi64x(static_cast<long long>(lane1), static_cast<long long>(lane0),
                          static_cast<long long>(lane1), static_cast<long long>(lane0));
    for (; i + 4 <= n; i += 4) {
        _mm256_stream_si256(reinterpret_cast<__m256i*>(a + i), pattern);
        _mm256_stream_si256(reinterpret_cast<__m256i*>(b + i), pattern);
    }
    for (; i < n; ++i) {
        a[i] = b[i] = ((first_index + i) % 2 == 0) ? even : odd;
    }
    _mm_sfence();
}

void stream_pattern_sse2(Word* __restrict a, Word* __restrict b, std::size_t n,
                         std::size_t first_index, Word even, Word odd) {
    std::size_t i = 0;
    for (; i < n && reinterpret_cast<std::uintptr_t>(a + i) % 16 != 0; ++i) {
        a[i] = b[i] = ((first_index + i) % 2 == 0) ? even : odd;
    }
    const Word lane0 = ((first_index + i) % 2 == 0) ? even : odd;
    const Word lane1 = lane0 == even ? odd : even;
    const __m128i pattern =
        _mm_set_epi64x(static_cast<long long>(lane1), static_cast<long long>(lane0));
    for (; i + 2 <= n; i += 2) {
        _mm_stream_si128(reinterpret_cast<__m128i*>(a + i), pattern);
        _mm_stream_si128(reinterpret_cast<__m128i*>(b + i), pattern);
    }
    for (; i < n; ++i) {
        a[i] = b[i] = ((first_index + i) % 2 == 0) ? even : odd;
    }
    _mm_sfence();
}

void stream_pattern(Word* a, Word* b, std::size_t n, std::size_t first_index, Word even, Word odd) {
    static const bool kHasAvx = __builtin_cpu_supports("avx") != 0;
    if (kHasAvx) {
        stream_pattern_avx(a, b, n, first_index, even, odd);
    } else {
        stream_pattern_sse2(a, b, n, first_index, even, odd);
    }
}
#else
void stream_pattern(Word* __restrict a, Word* __restrict b, std::size_t n, std::size_t first_index,
                    Word even, Word odd) {
    for (std::size_t i = 0; i < n; ++i) {
        a[i] = b[i] = ((first_index + i) % 2 == 0) ? even : odd;
    }
}
#endif

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

    // Counts a sweep's bytes here and, for a progress display, in the shared counter.
    void moved(std::uint64_t bytes) {
        bytes_moved += bytes;
        if (options->progress != nullptr) {
            options->progress->bytes_moved.fetch_add(bytes, std::memory_order_relaxed);
        }
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
        // Indices, not pointers: a planted word past the region must not form a pointer.
        const auto first = static_cast<std::size_t>(begin - region);
        if (inject->word_index >= first && inject->word_index - first < n &&
            !injected->exchange(true)) {
            volatile Word* cell = region + inject->word_index;
            *cell = *cell ^ shifted(inject->bit);
        }
    }

    // Scalar rescan of a block the vector check found a difference in.
    void report_block(const Word* p, std::size_t n, Word expect) {
        for (std::size_t i = 0; i < n; ++i) {
            if (p[i] != expect) {
                fail(p + i, expect, p[i]);
            }
        }
    }

    // memtester's compare_regions: a and b must be equal word for word. bufa's word is the
    // one reported, bufb's value is taken as the expected one.
    void compare_halves() {
        for (std::size_t start = 0; start < half_words; start += kBlockWords) {
            const std::size_t n = std::min(kBlockWords, half_words - start);
            const Word* pa = a + start;
            const Word* pb = b + start;
            if (difference_of(pa, pb, n) != 0) {
                for (std::size_t i = 0; i < n; ++i) {
                    if (pa[i] != pb[i]) {
                        fail(pa + i, pb[i], pa[i]);
                    }
                }
            }
        }
        moved(2 * half_words * sizeof(Word));
    }

    // Both halves get word i = make(half_first + i).
    template <class Make>
    void fill_halves(Make make) {
        Word* __restrict pa = a;
        Word* __restrict pb = b;
        for (std::size_t i = 0; i < half_words; ++i) {
            const Word value = make(half_first + i);
            pa[i] = value;
            pb[i] = value;
        }
        moved(2 * half_words * sizeof(Word));
        after_write(a, half_words);
    }

    // Both halves get `even` at even word indices and `odd` at odd ones.
    void fill_pattern(Word even, Word odd) {
        stream_pattern(a, b, half_words, half_first, even, odd);
        moved(2 * half_words * sizeof(Word));
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
        moved(4 * half_words * sizeof(Word));
        after_write(a, half_words);
    }

    // One memtester round: a pattern written to both halves, then the halves compared.
    // False when the run is to stop.
    bool pattern_round(Word even, Word odd) {
        if (should_stop()) {
            return false;
        }
        fill_pattern(even, odd);
        compare_halves();
        return true;
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
            if (difference_from(p, n, expect) != 0) {
                report_block(p, n, expect);
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
        moved(2 * whole_words * sizeof(Word));
        after_write(whole, whole_words);
    }

    void fill_whole(Word value) {
        Word* __restrict p = whole;
        for (std::size_t i = 0; i < whole_words; ++i) {
            p[i] = value;
        }
        moved(whole_words * sizeof(Word));
        after_write(whole, whole_words);
    }

    void check_whole(Word expect) {
        for (std::size_t start = 0; start < whole_words; start += kBlockWords) {
            const std::size_t n = std::min(kBlockWords, whole_words - start);
            const Word* p = whole + start;
            if (difference_from(p, n, expect) != 0) {
                report_block(p, n, expect);
            }
        }
        moved(whole_words * sizeof(Word));
    }

    // March C- (van de Goor 1991): {⇕(w0); ⇑(r0,w1); ⇑(r1,w0); ⇓(r0,w1); ⇓(r1,w0); ⇕(r0)},
    // 10 operations per word, once per data background.
    void march_c_minus() {
        for (const Word zero : kBackgrounds) {
            const Word one = ~zero;
            if (should_stop()) {
                return;
            }
            fill_whole(zero);
            march_element(zero, one, false);
            if (should_stop()) {
                return;
            }
            march_element(one, zero, false);
            if (should_stop()) {
                return;
            }
            march_element(zero, one, true);
            if (should_stop()) {
                return;
            }
            march_element(one, zero, true);
            check_whole(zero);
        }
    }

    void random_fill() {
        const Word seed = random_word(options->seed, pass * 0x100 + 0x55);
        Word* __restrict p = whole;
        for (std::size_t i = 0; i < whole_words; ++i) {
            p[i] = random_word(seed, whole_first + i);
        }
        moved(whole_words * sizeof(Word));
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
        moved(whole_words * sizeof(Word));
    }

    // memtester test_stuck_address: 16 rounds of each word holding its own address or its
    // complement, alternating by (round + index) parity. The index counts from bufa's start.
    void stuck_address() {
        for (unsigned j = 0; j < 16; ++j) {
            if (should_stop()) {
                return;
            }
            Word* __restrict p = whole;
            for (std::size_t i = 0; i < whole_words; ++i) {
                const auto address = reinterpret_cast<Word>(p + i);
                p[i] = ((j + whole_first + i) % 2 == 0) ? address : ~address;
            }
            moved(whole_words * sizeof(Word));
            after_write(whole, whole_words);
            for (std::size_t i = 0; i < whole_words; ++i) {
                const auto address = reinterpret_cast<Word>(p + i);
                const Word expect = ((j + whole_first + i) % 2 == 0) ? address : ~address;
                if (p[i] != expect) {
                    fail(p + i, expect, p[i]);
                }
            }
            moved(whole_words * sizeof(Word));
        }
    }

    // memtester's 8- and 16-bit tests: one half written a narrow store at a time through a
    // volatile pointer (so the stores are not merged), the other a word at a time, twice with
    // the roles swapped, then compared.
    template <class Narrow>
    void narrow_writes(unsigned round_base) {
        for (unsigned attempt = 0; attempt < 2; ++attempt) {
            if (should_stop()) {
                return;
            }
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
            moved(2 * half_words * sizeof(Word));
            after_write(a, half_words);
            compare_halves();
        }
    }

    // The compare tests apply one random operand to both halves and compare. memtester draws
    // q once per test; so do they (the same q in every thread).
    void compare_test(Word seed) {
        const Word q = random_word(
            seed ^ 0xa5a5, static_cast<Word>(test) - static_cast<Word>(TestKind::compare_xor) + 1);
        switch (test) {
            case TestKind::compare_xor:
                apply_halves([q](Word v) { return v ^ q; });
                break;
            case TestKind::compare_sub:
                apply_halves([q](Word v) { return v - q; });
                break;
            case TestKind::compare_mul:
                apply_halves([q](Word v) { return v * q; });
                break;
            case TestKind::compare_div: {
                const Word divisor = std::max<Word>(q, 1);
                apply_halves([divisor](Word v) { return v / divisor; });
                break;
            }
            case TestKind::compare_or:
                apply_halves([q](Word v) { return v | q; });
                break;
            default:
                apply_halves([q](Word v) { return v & q; });
                break;
        }
        compare_halves();
    }

    // memtester's pattern tests, round by round.
    void pattern_test() {
        switch (test) {
            case TestKind::solid_bits:
                for (unsigned j = 0; j < 64; ++j) {
                    const Word q = (j % 2 == 0) ? kOnes : 0;
                    if (!pattern_round(q, ~q)) {
                        return;
                    }
                }
                return;
            case TestKind::checkerboard:
                for (unsigned j = 0; j < 64; ++j) {
                    const Word q = (j % 2 == 0) ? kCheckerboard1 : kCheckerboard2;
                    if (!pattern_round(q, ~q)) {
                        return;
                    }
                }
                return;
            case TestKind::block_sequential:
                for (unsigned j = 0; j < 256; ++j) {
                    if (!pattern_round(byte_repeated(j), byte_repeated(j))) {
                        return;
                    }
                }
                return;
            case TestKind::walking_zeros:
            case TestKind::walking_ones:
                for (unsigned j = 0; j < 128; ++j) {
                    const Word bit = j < 64 ? shifted(j) : shifted(127 - j);
                    const Word q = test == TestKind::walking_zeros ? bit : kOnes ^ bit;
                    if (!pattern_round(q, q)) {
                        return;
                    }
                }
                return;
            case TestKind::bit_spread:
                // memtester shifts past bit 63 for j = 62, 63; here those bits are dropped.
                for (unsigned j = 0; j < 128; ++j) {
                    const Word q = j < 64 ? (shifted(j) | shifted(j + 2))
                                          : (shifted(127 - j) | shifted(129 - j));
                    if (!pattern_round(q, kOnes ^ q)) {
                        return;
                    }
                }
                return;
            default:  // bit_flip
                for (unsigned j = 0; j < 64; ++j) {
                    Word q = shifted(j);
                    for (unsigned k = 0; k < 8; ++k) {
                        q = ~q;
                        if (!pattern_round(q, ~q)) {
                            return;
                        }
                    }
                }
                return;
        }
    }

    void run() {
        const Word seed = random_word(options->seed, pass * 0x100 + static_cast<Word>(test));
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
        if (should_stop()) {
            return;
        }
        if (test == TestKind::random_value) {
            fill_halves([&](std::size_t i) { return random_word(seed, i); });
            compare_halves();
        } else if (test >= TestKind::compare_xor && test <= TestKind::compare_and) {
            compare_test(seed);
        } else if (test == TestKind::sequential_increment) {
            const Word q = random_word(seed ^ 0xa5a5, 7);
            fill_halves([q](std::size_t i) { return Word{i} + q; });
            compare_halves();
        } else {
            pattern_test();
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

std::uint64_t planned_bytes(TestKind test, std::size_t words) {
    // Sweeps in units of the region's size; see each test in Worker.
    // March C-: a fill, four read-and-write elements and a check, per background.
    constexpr std::uint64_t kMarchSweeps = std::uint64_t{kBackgrounds.size()} * 10;
    std::uint64_t sweeps = 0;
    switch (test) {
        case TestKind::stuck_address:
            sweeps = 32;  // 16 rounds of write and check
            break;
        case TestKind::random_value:
        case TestKind::sequential_increment:
        case TestKind::random_fill:
            sweeps = 2;
            break;
        case TestKind::compare_xor:
        case TestKind::compare_sub:
        case TestKind::compare_mul:
        case TestKind::compare_div:
        case TestKind::compare_or:
        case TestKind::compare_and:
            sweeps = 3;
            break;
        case TestKind::solid_bits:
        case TestKind::checkerboard:
            sweeps = 128;  // 64 rounds of fill and compare
            break;
        case TestKind::block_sequential:
            sweeps = 512;  // 256 rounds
            break;
        case TestKind::walking_ones:
        case TestKind::walking_zeros:
        case TestKind::bit_spread:
            sweeps = 256;  // 128 rounds
            break;
        case TestKind::bit_flip:
            sweeps = 1024;  // 64 bits, 8 rounds each
            break;
        case TestKind::bit_width_8:
        case TestKind::bit_width_16:
            sweeps = 4;  // two rounds of narrow writes and compare
            break;
        case TestKind::march_c_minus:
            sweeps = kMarchSweeps;
            break;
    }
    const std::size_t tested = words - words % (2 * kSliceAlignWords);
    return sweeps * tested * sizeof(Word);
}

std::uint64_t TestRunResult::bytes_moved() const {
    std::uint64_t total = 0;
    for (const auto& test : tests) {
        total += test.bytes_moved;
    }
    return total;
}

namespace {

// How the region is shared out: memtester's halves, each thread a slice of both.
struct Layout {
    Word* region = nullptr;
    std::size_t words = 0;
    std::size_t half = 0;
    unsigned threads = 1;
};

// One worker per thread for one test in one pass. Slices are equal shares, each a multiple of
// kSliceAlignWords so index parity holds and vector stores align.
std::vector<Worker> make_workers(const Layout& layout, TestKind kind, std::uint64_t pass,
                                 const TesterOptions& options, std::atomic<bool>& injected,
                                 std::chrono::steady_clock::time_point deadline) {
    std::vector<Worker> workers(layout.threads);
    const std::size_t half_share =
        layout.half / layout.threads / kSliceAlignWords * kSliceAlignWords;
    for (unsigned t = 0; t < layout.threads; ++t) {
        auto& w = workers[t];
        const bool last = t + 1 == layout.threads;
        w.options = &options;
        w.test = kind;
        w.pass = pass;
        w.region = layout.region;
        w.injected = &injected;
        w.deadline = deadline;
        w.half_first = t * half_share;
        w.half_words = last ? layout.half - w.half_first : half_share;
        w.a = layout.region + w.half_first;
        w.b = layout.region + layout.half + w.half_first;
        w.whole_first = 2 * w.half_first;
        w.whole_words = last ? layout.words - w.whole_first : 2 * half_share;
        w.whole = layout.region + w.whole_first;
    }
    return workers;
}

// memtester runs its compare tests on whatever equal data the test before left; when nothing
// did, both halves get the same random words first (not counted).
void make_halves_equal(std::vector<Worker>& workers, Word seed) {
    for (auto& w : workers) {
        Word* __restrict pa = w.a;
        Word* __restrict pb = w.b;
        for (std::size_t i = 0; i < w.half_words; ++i) {
            pa[i] = pb[i] = random_word(seed, w.half_first + i);
        }
    }
}

// Runs every worker, one on this thread; returns when all are done.
void run_workers(std::vector<Worker>& workers) {
    std::vector<std::jthread> running;
    for (std::size_t t = 1; t < workers.size(); ++t) {
        running.emplace_back([&w = workers[t]] { w.run(); });
    }
    workers[0].run();
}

// Adds the workers' counts and failures to the record and the result; true when one stopped.
bool gather(std::vector<Worker>& workers, TestRecord& record, TestRunResult& result) {
    bool stopped = false;
    for (auto& w : workers) {
        record.bytes_moved += w.bytes_moved;
        record.failures += w.failure_count;
        result.dropped_failures += w.dropped;
        std::ranges::move(w.failures, std::back_inserter(result.failures));
        stopped = stopped || w.stopped;
    }
    return stopped;
}

}  // namespace

TestRunResult run_memory_tests(std::span<std::uint64_t> region, const std::vector<TestKind>& plan,
                               const TesterOptions& options) {
    TestRunResult result;
    const auto started = std::chrono::steady_clock::now();
    const auto deadline = options.time_budget ? started + *options.time_budget
                                              : std::chrono::steady_clock::time_point::max();
    Layout layout{region.data(), region.size() - region.size() % (2 * kSliceAlignWords)};
    layout.half = layout.words / 2;
    if (layout.half < kSliceAlignWords || plan.empty()) {
        return result;
    }
    const unsigned threads =
        options.threads != 0 ? options.threads : std::thread::hardware_concurrency();
    layout.threads = std::clamp<unsigned>(
        threads, 1,
        static_cast<unsigned>(std::max<std::size_t>(1, layout.half / (kSliceAlignWords * 64))));
    std::atomic<bool> injected{false};
    for (const auto kind : plan) {
        if (std::ranges::find(result.tests, kind, &TestRecord::test) == result.tests.end()) {
            result.tests.push_back(TestRecord{kind});
        }
    }
    bool halves_equal = false;
    for (std::uint64_t pass = 1; options.loops == 0 || pass <= options.loops; ++pass) {
        for (std::size_t index = 0; index < plan.size() && !result.stopped_early; ++index) {
            const auto kind = plan[index];
            if (options.progress != nullptr) {
                options.progress->pass.store(pass, std::memory_order_relaxed);
                options.progress->plan_index.store(index, std::memory_order_relaxed);
            }
            auto workers = make_workers(layout, kind, pass, options, injected, deadline);
            if (compare_family(kind) && !halves_equal) {
                make_halves_equal(workers, random_word(options.seed, pass));
            }
            const auto test_start = std::chrono::steady_clock::now();
            run_workers(workers);
            auto& record = *std::ranges::find(result.tests, kind, &TestRecord::test);
            record.elapsed += std::chrono::steady_clock::now() - test_start;
            if (gather(workers, record, result)) {
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
