#pragma once

#include <cstdint>
#include <optional>

namespace diag::mem {

/// The physical address behind a virtual one, from its 64-bit /proc/self/pagemap entry:
/// bit 63 "page present", bits 0-54 the page frame number. Source:
/// Documentation/admin-guide/mm/pagemap.rst. Without CAP_SYS_ADMIN the kernel (4.0 on) reports
/// the frame number as 0, so a zero frame, a swapped or absent page give nullopt.
std::optional<std::uint64_t> physical_address(std::uint64_t pagemap_entry,
                                              std::uint64_t virtual_address,
                                              std::uint64_t page_size_bytes);

/// Byte offset of a virtual address's entry in /proc/self/pagemap.
std::uint64_t pagemap_offset(std::uint64_t virtual_address, std::uint64_t page_size_bytes);

}  // namespace diag::mem
