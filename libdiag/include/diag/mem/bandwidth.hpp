#pragma once

#include <chrono>
#include <cstdint>
#include <span>

namespace diag::mem {

/// The memory bandwidth of this box as plain streaming code reaches it on a test region, in
/// bytes per second: the reference a test's own rate is measured against.
struct BandwidthReference {
    /// memset (glibc's, non-temporal stores for large blocks): bytes written.
    double write_bytes_per_second = 0;
    /// A sequential read of every word: bytes read.
    double read_bytes_per_second = 0;
    /// memcpy from the first half of each slice to the second: bytes read plus written.
    double copy_bytes_per_second = 0;
    /// What a sweep that writes the region and then reads it all back can reach, counting bytes
    /// read plus written: the harmonic mean of the write and read rates. memtester's rounds
    /// (fill, then compare) are such sweeps.
    [[nodiscard]] double write_then_read_bytes_per_second() const;
};

/// Measures each rate with `threads` threads (0: one per CPU) on their own slices of region,
/// repeating sweeps for at least `per_measure` (and at least three) and keeping the fastest,
/// as STREAM does. The region's contents are overwritten.
BandwidthReference measure_bandwidth(std::span<std::uint64_t> region, unsigned threads,
                                     std::chrono::milliseconds per_measure);

}  // namespace diag::mem
