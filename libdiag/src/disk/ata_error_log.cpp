#include "diag/disk/ata_error_log.hpp"

#include "diag/disk/ata_checksum.hpp"
#include "disk/page_reader.hpp"

#include <fmt/format.h>

namespace diag::disk {

namespace {

constexpr std::size_t kPageBytes = 512;
constexpr std::size_t kStructures = 5;
constexpr std::size_t kStructureBytes = 90;
constexpr std::size_t kCommandBytes = std::size_t{5} * 12;
constexpr std::size_t kFirstStructure = 2;
constexpr std::size_t kErrorCountOffset = 452;

constexpr std::uint8_t kIcrc = 0x80;
constexpr std::uint8_t kUnc = 0x40;
constexpr std::uint8_t kIdnf = 0x10;
constexpr std::uint8_t kAbrt = 0x04;

bool all_zero(PageBytes bytes) {
    for (const std::uint8_t byte : bytes) {
        if (byte != 0) {
            return false;
        }
    }
    return true;
}

AtaErrorEntry read_error(PageBytes error) {
    AtaErrorEntry entry;
    entry.error_register = error[1];
    entry.count = error[2];
    // LBA 27:24 sit in the device register's low nibble (28-bit addressing).
    entry.lba = detail::le32(error, 3) & 0x00FFFFFFU;
    entry.lba |= (static_cast<std::uint32_t>(error[6]) & 0x0FU) << 24U;
    entry.status_register = error[7];
    entry.state = error[27];
    entry.hours_logged = detail::le16(error, 28);
    return entry;
}

}  // namespace

std::string_view to_string(AtaErrorKind kind) {
    switch (kind) {
        case AtaErrorKind::interface_crc:
            return "interface_crc";
        case AtaErrorKind::media:
            return "media";
        case AtaErrorKind::aborted:
            return "aborted";
        case AtaErrorKind::other:
            break;
    }
    return "other";
}

AtaErrorKind classify_ata_error(std::uint8_t error_register) {
    if ((error_register & kIcrc) != 0) {
        return AtaErrorKind::interface_crc;
    }
    if ((error_register & (kUnc | kIdnf)) != 0) {
        return AtaErrorKind::media;
    }
    if ((error_register & kAbrt) != 0) {
        return AtaErrorKind::aborted;
    }
    return AtaErrorKind::other;
}

Decoded<AtaErrorLog> decode_ata_summary_error_log(PageBytes page) {
    Decoded<AtaErrorLog> out;
    if (page.size() < kPageBytes) {
        out.add_problem(fmt::format("SMART summary error log: {} bytes, expected {}; not decoded",
                                    page.size(), kPageBytes));
        out.value.checksum_valid = false;
        return out;
    }
    out.value.error_count = detail::le16(page, kErrorCountOffset);
    const std::size_t index = page[1];
    if (index >= 1 && index <= kStructures) {
        for (std::size_t step = 0; step < kStructures; ++step) {
            const std::size_t slot = (index - 1 + kStructures - step) % kStructures;
            const auto structure =
                page.subspan(kFirstStructure + slot * kStructureBytes, kStructureBytes);
            if (!all_zero(structure)) {
                out.value.entries.push_back(read_error(structure.subspan(kCommandBytes)));
            }
        }
    }
    out.value.checksum_valid = ata_checksum_valid(page.first(kPageBytes));
    if (!out.value.checksum_valid) {
        out.add_problem(
            "SMART summary error log: " + describe_ata_checksum_failure(page.first(kPageBytes)) +
            "; entries are shown but not trusted");
    }
    return out;
}

}  // namespace diag::disk
