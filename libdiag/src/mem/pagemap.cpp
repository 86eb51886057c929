#include "diag/mem/pagemap.hpp"

namespace diag::mem {

std::optional<std::uint64_t> physical_address(std::uint64_t pagemap_entry,
                                              std::uint64_t virtual_address,
                                              std::uint64_t page_size_bytes) {
    constexpr std::uint64_t kPresent = std::uint64_t{1} << 63U;
    constexpr std::uint64_t kFrameMask = (std::uint64_t{1} << 55U) - 1;
    if ((pagemap_entry & kPresent) == 0 || page_size_bytes == 0) {
        return std::nullopt;
    }
    const std::uint64_t frame = pagemap_entry & kFrameMask;
    if (frame == 0) {
        return std::nullopt;
    }
    return frame * page_size_bytes + virtual_address % page_size_bytes;
}

std::uint64_t pagemap_offset(std::uint64_t virtual_address, std::uint64_t page_size_bytes) {
    return virtual_address / page_size_bytes * 8;
}

}  // namespace diag::mem
