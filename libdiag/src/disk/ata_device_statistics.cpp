#include "diag/disk/ata_device_statistics.hpp"

#include "disk/page_reader.hpp"

#include <fmt/format.h>

namespace diag::disk {

namespace {

constexpr std::size_t kPageBytes = 512;
constexpr std::uint64_t kSupported = std::uint64_t{1} << 63U;
constexpr std::uint64_t kValid = std::uint64_t{1} << 62U;

// The statistic at offset when it is supported and valid, masked to its width.
std::optional<std::uint64_t> statistic(PageBytes page, std::size_t offset, unsigned bits) {
    const std::uint64_t word = detail::le64(page, offset);
    if ((word & kSupported) == 0 || (word & kValid) == 0) {
        return std::nullopt;
    }
    return word & ((std::uint64_t{1} << bits) - 1U);
}

}  // namespace

Decoded<AtaDeviceStatistics> decode_ata_device_statistics(PageBytes log) {
    Decoded<AtaDeviceStatistics> out;
    if (log.size() % kPageBytes != 0) {
        out.add_problem(
            fmt::format("device statistics log: {} bytes, not whole 512-byte pages", log.size()));
    }
    auto& stats = out.value;
    for (std::size_t start = 0; start + kPageBytes <= log.size(); start += kPageBytes) {
        const PageBytes page = log.subspan(start, kPageBytes);
        // Header word: bits 15:0 revision, bits 23:16 the page number (ACS-3 Table 93).
        switch (page[2]) {
            case 0x01:
                stats.power_cycles = statistic(page, 8, 32);
                stats.power_on_hours = statistic(page, 16, 32);
                break;
            case 0x05:
                if (const auto value = statistic(page, 8, 8)) {
                    stats.temperature_celsius = static_cast<std::int8_t>(*value);
                }
                break;
            case 0x07:
                if (const auto value = statistic(page, 8, 8)) {
                    stats.endurance_used_pct = static_cast<std::uint8_t>(*value);
                }
                break;
            default:
                break;
        }
    }
    return out;
}

}  // namespace diag::disk
