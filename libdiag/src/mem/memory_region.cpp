#include "diag/mem/memory_region.hpp"

#include "diag/core/error.hpp"
#include "diag/mem/pagemap.hpp"

#include <cerrno>
#include <cstring>
#include <utility>

#include <fmt/format.h>

#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

namespace diag::mem {

namespace {

// Transparent huge pages are 2 MiB on x86-64 (Documentation/admin-guide/mm/transhuge.rst).
constexpr std::size_t kHugePageBytes = std::size_t{2} << 20U;

// Maps size_bytes at a 2 MiB boundary, so the whole region can be backed by huge pages;
// nullptr when mmap fails (errno set).
void* map_aligned(std::size_t size_bytes) {
    const std::size_t mapped = size_bytes + kHugePageBytes;
    void* raw = ::mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) {
        return nullptr;
    }
    auto* start = static_cast<char*>(raw);
    const auto misalignment = reinterpret_cast<std::uintptr_t>(start) % kHugePageBytes;
    const std::size_t head = misalignment == 0 ? 0 : kHugePageBytes - misalignment;
    char* aligned = start + head;
    if (head > 0) {
        ::munmap(start, head);
    }
    const std::size_t tail = mapped - head - size_bytes;
    if (tail > 0) {
        ::munmap(aligned + size_bytes, tail);
    }
    return aligned;
}

}  // namespace

Collected<MemoryRegion> MemoryRegion::allocate(std::size_t size_bytes) {
    Collected<MemoryRegion> out;
    void* data = map_aligned(size_bytes);
    if (data == nullptr) {
        out.add_issue(system_error("mmap", fmt::format("{} bytes", size_bytes), errno));
        return out;
    }
    // Huge pages where the kernel has them (THP in "madvise" or "always" mode): a test sweep
    // over 4 KiB pages misses the TLB every page, and in a virtual machine each miss is a
    // two-level page walk. When the kernel declines, the region keeps small pages.
    out.data.huge_pages_ = ::madvise(data, size_bytes, MADV_HUGEPAGE) == 0;
    // Fault every page in now, so the first test does not pay for it.
    std::memset(data, 0, size_bytes);
    out.data.data_ = static_cast<std::uint64_t*>(data);
    out.data.size_bytes_ = size_bytes;
    if (::mlock(data, size_bytes) == 0) {
        out.data.locked_ = true;
    } else {
        const int error = errno;
        rlimit limit{};
        ::getrlimit(RLIMIT_MEMLOCK, &limit);
        const std::string limit_text =
            limit.rlim_cur == RLIM_INFINITY ? "unlimited" : fmt::format("{} bytes", limit.rlim_cur);
        out.add_issue(Issue{IssueLevel::error, "mlock", fmt::format("{} bytes", size_bytes),
                            fmt::format("{} (RLIMIT_MEMLOCK {}); testing unlocked memory, whose "
                                        "pages the kernel may swap or move during the test",
                                        std::strerror(error), limit_text),
                            "run as root, or raise the limit (ulimit -l, LimitMEMLOCK= in a "
                            "systemd unit, memlock in /etc/security/limits.conf)"});
    }
    return out;
}

MemoryRegion::MemoryRegion(MemoryRegion&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)),
      size_bytes_(std::exchange(other.size_bytes_, 0)),
      locked_(std::exchange(other.locked_, false)),
      huge_pages_(std::exchange(other.huge_pages_, false)) {}

MemoryRegion& MemoryRegion::operator=(MemoryRegion&& other) noexcept {
    if (this != &other) {
        if (data_ != nullptr) {
            ::munmap(data_, size_bytes_);
        }
        data_ = std::exchange(other.data_, nullptr);
        size_bytes_ = std::exchange(other.size_bytes_, 0);
        locked_ = std::exchange(other.locked_, false);
        huge_pages_ = std::exchange(other.huge_pages_, false);
    }
    return *this;
}

MemoryRegion::~MemoryRegion() {
    if (data_ != nullptr) {
        ::munmap(data_, size_bytes_);
    }
}

std::vector<Issue> resolve_physical_addresses(const Root& root, std::vector<MemFailure>& failures) {
    std::vector<Issue> issues;
    if (failures.empty() || !root.is_live()) {
        return issues;
    }
    const auto page = static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
    bool unresolved = false;
    for (auto& failure : failures) {
        auto entry =
            root.read_range("/proc/self/pagemap", pagemap_offset(failure.virtual_address, page), 8);
        if (!entry) {
            issues.push_back(to_issue(entry.error(), IssueLevel::info));
            return issues;
        }
        if (entry->size() != 8) {
            unresolved = true;
            continue;
        }
        std::uint64_t value = 0;
        std::memcpy(&value, entry->data(), 8);
        failure.physical_address = physical_address(value, failure.virtual_address, page);
        unresolved = unresolved || !failure.physical_address;
    }
    if (unresolved) {
        issues.push_back(Issue{IssueLevel::info, "read", "/proc/self/pagemap",
                               "page frame numbers hidden; physical addresses not known",
                               "run as root (CAP_SYS_ADMIN) to see them"});
    }
    return issues;
}

}  // namespace diag::mem
