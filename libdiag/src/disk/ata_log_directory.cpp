#include "diag/disk/ata_log_directory.hpp"

#include "disk/page_reader.hpp"

#include <fmt/format.h>

namespace diag::disk {

namespace {

constexpr std::size_t kPageBytes = 512;
constexpr std::size_t kLogs = 256;

}  // namespace

std::uint16_t AtaLogDirectory::pages(std::uint8_t address) const {
    for (const auto& log : logs) {
        if (log.address == address) {
            return log.pages;
        }
    }
    return 0;
}

Decoded<AtaLogDirectory> decode_ata_log_directory(PageBytes page) {
    Decoded<AtaLogDirectory> out;
    if (page.size() < kPageBytes) {
        out.add_problem(
            fmt::format("log directory: {} bytes, expected {}", page.size(), kPageBytes));
    }
    out.value.version = detail::le16(page, 0);
    for (std::size_t address = 1; address < kLogs && address * 2 + 1 < page.size(); ++address) {
        const std::uint16_t pages = detail::le16(page, address * 2);
        if (pages != 0) {
            out.value.logs.push_back({static_cast<std::uint8_t>(address), pages});
        }
    }
    return out;
}

}  // namespace diag::disk
