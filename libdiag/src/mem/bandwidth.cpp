// A bandwidth reference for the memory tester: memset, a sequential read and memcpy, each with
// one thread per CPU on its own slice, as the tester runs. Compiled at -O3 (the read loop
// vectorises).

#include "diag/mem/bandwidth.hpp"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <thread>
#include <vector>

namespace diag::mem {

namespace {

using Word = std::uint64_t;
using Clock = std::chrono::steady_clock;

// Slices start on 64-byte boundaries relative to the region, like the tester's.
constexpr std::size_t kAlignWords = 8;

struct Slice {
    Word* begin = nullptr;
    std::size_t words = 0;
};

std::vector<Slice> slices_of(std::span<Word> region, unsigned threads) {
    const std::size_t share = region.size() / threads / kAlignWords * kAlignWords;
    std::vector<Slice> slices;
    for (unsigned t = 0; t < threads; ++t) {
        const std::size_t first = t * share;
        const std::size_t words = t + 1 == threads ? region.size() - first : share;
        slices.push_back({region.data() + first, words});
    }
    return slices;
}

#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target_clones("avx2", "default")))
#endif
Word read_all(const Word* __restrict p, std::size_t n) {
    Word folded = 0;
    for (std::size_t i = 0; i < n; ++i) {
        folded ^= p[i];
    }
    return folded;
}

// Runs sweep(slice, round) on every slice in parallel, round after round, until per_measure
// has passed (at least three rounds); returns bytes_per_round over the fastest round's time,
// as STREAM reports its best time: load from elsewhere on the box only ever slows a round.
template <class Sweep>
double rate(const std::vector<Slice>& slices, std::uint64_t bytes_per_round,
            std::chrono::milliseconds per_measure, Sweep sweep) {
    const auto started = Clock::now();
    auto fastest = Clock::duration::max();
    for (std::uint64_t round = 0; round < 3 || Clock::now() - started < per_measure; ++round) {
        const auto round_start = Clock::now();
        {
            std::vector<std::jthread> running;
            for (std::size_t t = 1; t < slices.size(); ++t) {
                running.emplace_back([&, t] { sweep(slices[t], round); });
            }
            sweep(slices[0], round);
        }
        fastest = std::min(fastest, Clock::now() - round_start);
    }
    const double seconds = std::chrono::duration<double>(fastest).count();
    return seconds > 0 ? static_cast<double>(bytes_per_round) / seconds : 0.0;
}

}  // namespace

double BandwidthReference::write_then_read_bytes_per_second() const {
    if (write_bytes_per_second <= 0 || read_bytes_per_second <= 0) {
        return 0;
    }
    return 2.0 / (1.0 / write_bytes_per_second + 1.0 / read_bytes_per_second);
}

BandwidthReference measure_bandwidth(std::span<std::uint64_t> region, unsigned threads,
                                     std::chrono::milliseconds per_measure) {
    BandwidthReference reference;
    if (region.size() < 2 * kAlignWords) {
        return reference;
    }
    threads = threads != 0 ? threads : std::max(1U, std::thread::hardware_concurrency());
    threads = std::clamp<unsigned>(
        threads, 1, static_cast<unsigned>(std::max<std::size_t>(1, region.size() / 4096)));
    const auto slices = slices_of(region, threads);
    const std::uint64_t bytes = region.size_bytes();
    reference.write_bytes_per_second =
        rate(slices, bytes, per_measure, [](const Slice& slice, std::uint64_t round) {
            std::memset(slice.begin, static_cast<int>(round & 0xffU), slice.words * sizeof(Word));
        });
    std::atomic<Word> sink{0};
    reference.read_bytes_per_second =
        rate(slices, bytes, per_measure, [&sink](const Slice& slice, std::uint64_t) {
            sink.fetch_xor(read_all(slice.begin, slice.words), std::memory_order_relaxed);
        });
    reference.copy_bytes_per_second =
        rate(slices, bytes, per_measure, [](const Slice& slice, std::uint64_t) {
            const std::size_t half = slice.words / 2;
            std::memcpy(slice.begin + half, slice.begin, half * sizeof(Word));
        });
    return reference;
}

}  // namespace diag::mem
