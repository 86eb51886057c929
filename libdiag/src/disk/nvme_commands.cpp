#include "diag/disk/nvme_commands.hpp"

#include <fmt/format.h>

namespace diag::disk {

NvmeAdminCommand nvme_identify_controller() {
    constexpr std::uint8_t kIdentify = 0x06;
    constexpr std::uint32_t kCnsController = 0x01;
    constexpr std::size_t kIdentifyBytes = 4096;
    return {"nvme-identify-controller", kIdentify, 0, kCnsController, 0, kIdentifyBytes};
}

NvmeAdminCommand nvme_get_log_page(std::uint8_t lid, std::uint32_t bytes) {
    constexpr std::uint8_t kGetLogPage = 0x02;
    constexpr std::uint32_t kAllNamespaces = 0xFFFFFFFF;
    const std::uint32_t dwords = bytes / 4 - 1;  // 0-based
    return {fmt::format("nvme-get-log-{:02x}", lid), kGetLogPage,   kAllNamespaces,
            ((dwords & 0xFFFFU) << 16U) | lid,       dwords >> 16U, bytes};
}

}  // namespace diag::disk
