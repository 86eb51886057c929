#include "diag/disk/ata_self_test_log.hpp"

#include "diag/disk/ata_checksum.hpp"
#include "disk/page_reader.hpp"

#include <fmt/format.h>

namespace diag::disk {

namespace {

constexpr std::size_t kPageBytes = 512;
constexpr std::size_t kDescriptors = 21;
constexpr std::size_t kDescriptorBytes = 24;
constexpr std::size_t kFirstDescriptor = 2;
constexpr std::size_t kIndexByte = 508;
constexpr std::uint64_t kHourWrap = 0x10000;
constexpr std::uint32_t kNoLba = 0x0FFFFFFF;

bool all_zero(PageBytes bytes) {
    for (const std::uint8_t byte : bytes) {
        if (byte != 0) {
            return false;
        }
    }
    return true;
}

AtaSelfTestEntry read_descriptor(PageBytes d) {
    AtaSelfTestEntry entry;
    entry.test_type = d[0];
    entry.status_byte = d[1];
    entry.hours_logged = detail::le16(d, 2);
    entry.checkpoint = d[4];
    const std::uint32_t lba = detail::le32(d, 5) & 0x0FFFFFFFU;
    if (entry.failed() && lba != kNoLba) {
        entry.failing_lba = lba;
    }
    return entry;
}

}  // namespace

std::string_view self_test_kind_name(unsigned kind) {
    switch (kind) {
        case 0:
            return "offline";
        case 1:
            return "short";
        case 2:
            return "extended";
        case 3:
            return "conveyance";
        case 4:
            return "selective";
        default:
            return "vendor";
    }
}

Decoded<AtaSelfTestLog> decode_ata_self_test_log(PageBytes page) {
    Decoded<AtaSelfTestLog> out;
    if (page.size() < kPageBytes) {
        out.add_problem(fmt::format("SMART self-test log: {} bytes, expected {}; not decoded",
                                    page.size(), kPageBytes));
        out.value.checksum_valid = false;
        return out;
    }
    out.value.revision = detail::le16(page, 0);
    // Byte 508 names the newest descriptor (1-21); walk back from it around the ring. An
    // index of 0 or out of range: take the page order.
    const std::size_t index = page[kIndexByte];
    const std::size_t newest = index >= 1 && index <= kDescriptors ? index - 1 : kDescriptors - 1;
    for (std::size_t step = 0; step < kDescriptors; ++step) {
        const std::size_t slot = (newest + kDescriptors - step) % kDescriptors;
        const auto descriptor =
            page.subspan(kFirstDescriptor + slot * kDescriptorBytes, kDescriptorBytes);
        if (!all_zero(descriptor)) {
            out.value.entries.push_back(read_descriptor(descriptor));
        }
    }
    out.value.checksum_valid = ata_checksum_valid(page.first(kPageBytes));
    if (!out.value.checksum_valid) {
        out.add_problem(
            "SMART self-test log: " + describe_ata_checksum_failure(page.first(kPageBytes)) +
            "; entries are shown but not trusted");
    }
    return out;
}

void unwrap_self_test_hours(std::vector<AtaSelfTestEntry>& entries, std::uint64_t power_on_hours) {
    const std::uint64_t now_low = power_on_hours % kHourWrap;
    for (auto& entry : entries) {
        const std::uint64_t back = (now_low + kHourWrap - entry.hours_logged) % kHourWrap;
        entry.lifetime_hours =
            back <= power_on_hours ? power_on_hours - back : std::uint64_t{entry.hours_logged};
    }
}

}  // namespace diag::disk
