#include "diag/disk/nvme_identify.hpp"

#include "disk/page_reader.hpp"

#include <fmt/format.h>

namespace diag::disk {

namespace {

constexpr std::size_t kPageBytes = 4096;

std::optional<std::uint16_t> kelvin(PageBytes page, std::size_t offset) {
    const std::uint16_t value = detail::le16(page, offset);
    return value == 0 ? std::nullopt : std::optional<std::uint16_t>(value);
}

}  // namespace

Decoded<NvmeIdentify> decode_nvme_identify(PageBytes page) {
    Decoded<NvmeIdentify> out;
    auto& id = out.value;
    if (page.size() < kPageBytes) {
        out.add_problem(
            fmt::format("NVMe Identify Controller: {} bytes, expected {}; fields "
                        "past the end read as absent",
                        page.size(), kPageBytes));
    }
    id.vendor_id = detail::le16(page, 0);
    id.subsystem_vendor_id = detail::le16(page, 2);
    id.serial = detail::ascii_field(page, 4, 20);
    id.model = detail::ascii_field(page, 24, 40);
    id.firmware = detail::ascii_field(page, 64, 8);
    id.self_test_supported = (static_cast<unsigned>(detail::le16(page, 256)) & 0x10U) != 0;
    id.error_log_entries_minus_one = detail::u8(page, 262);
    id.warning_temperature_kelvin = kelvin(page, 266);
    id.critical_temperature_kelvin = kelvin(page, 268);
    const Counter128 capacity{detail::le64(page, 280), detail::le64(page, 288)};
    if (capacity.low != 0 || capacity.high != 0) {
        id.total_capacity_bytes = capacity;
    }
    id.namespace_count = detail::le32(page, 516);
    return out;
}

}  // namespace diag::disk
