#pragma once

#include <diag/core/collected.hpp>
#include <diag/core/root.hpp>
#include <diag/mem/tester.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace diag::mem {

/// Anonymous memory for a test: mapped at a 2 MiB boundary with transparent huge pages
/// requested, touched and, where RLIMIT_MEMLOCK allows, locked so it
/// cannot be swapped out under the test. Unmapped when destroyed.
class MemoryRegion {
public:
    /// Maps size_bytes (a multiple of the page size). When mlock fails, the region is still
    /// usable and the Issue says why and what to change; when mmap fails, the span is empty.
    static Collected<MemoryRegion> allocate(std::size_t size_bytes);

    MemoryRegion() = default;
    MemoryRegion(MemoryRegion&& other) noexcept;
    MemoryRegion& operator=(MemoryRegion&& other) noexcept;
    MemoryRegion(const MemoryRegion&) = delete;
    MemoryRegion& operator=(const MemoryRegion&) = delete;
    ~MemoryRegion();

    [[nodiscard]] std::span<std::uint64_t> words() const { return {data_, size_bytes_ / 8}; }
    [[nodiscard]] bool locked() const { return locked_; }
    [[nodiscard]] std::size_t size_bytes() const { return size_bytes_; }
    /// True when the kernel accepted the advice to back the region with transparent huge pages
    /// (madvise MADV_HUGEPAGE); how many it gives depends on free contiguous memory.
    [[nodiscard]] bool huge_pages() const { return huge_pages_; }

private:
    std::uint64_t* data_ = nullptr;
    std::size_t size_bytes_ = 0;
    bool locked_ = false;
    bool huge_pages_ = false;
};

/// Fills in physical addresses of failures from /proc/self/pagemap, read through the root
/// (live only). Without CAP_SYS_ADMIN the frames read as 0 and addresses stay absent; one
/// info Issue then says so.
std::vector<Issue> resolve_physical_addresses(const Root& root, std::vector<MemFailure>& failures);

}  // namespace diag::mem
