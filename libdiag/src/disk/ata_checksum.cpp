#include "diag/disk/ata_checksum.hpp"

#include <fmt/format.h>

namespace diag::disk {

namespace {

constexpr std::size_t kAtaPageBytes = 512;

unsigned byte_sum(PageBytes page) {
    unsigned sum = 0;
    for (const std::uint8_t byte : page) {
        sum = (sum + byte) & 0xFFU;
    }
    return sum;
}

}  // namespace

bool ata_checksum_valid(PageBytes page) {
    return page.size() == kAtaPageBytes && byte_sum(page) == 0;
}

std::string describe_ata_checksum_failure(PageBytes page) {
    if (page.size() != kAtaPageBytes) {
        return fmt::format("cannot be checked: {} bytes, not {}", page.size(), kAtaPageBytes);
    }
    return fmt::format(
        "checksum byte {:#04x} does not make the {} bytes sum to 0 mod 256 "
        "(they sum to {:#04x})",
        page.back(), kAtaPageBytes, byte_sum(page));
}

}  // namespace diag::disk
