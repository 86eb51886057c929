#include "diag/disk/ata_identify.hpp"

#include "diag/disk/ata_checksum.hpp"
#include "disk/page_reader.hpp"

#include <bit>

#include <fmt/format.h>

namespace diag::disk {

namespace {

constexpr std::size_t kIdentifyBytes = 512;
constexpr std::uint16_t kIntegritySignature = 0xA5;

std::uint16_t word(PageBytes page, std::size_t index) {
    return detail::le16(page, index * 2);
}

bool bit(std::uint16_t value, unsigned position) {
    return ((static_cast<unsigned>(value) >> position) & 1U) != 0;
}

// Words 83, 84, 86 and 87 are valid only when bits 15:14 read 01b (ACS-3, 7.12.7.39 ff.).
bool valid_feature_word(std::uint16_t value) {
    return (static_cast<unsigned>(value) >> 14U) == 1U;
}

// Words 80 to 82 are "not reported" when 0000h or FFFFh.
bool reported(std::uint16_t value) {
    return value != 0x0000 && value != 0xFFFF;
}

void read_capacity(PageBytes page, AtaIdentify& id) {
    const std::uint64_t sectors48 = detail::read_le(page, std::size_t{100} * 2, 8);
    const std::uint64_t sectors28 = detail::le32(page, std::size_t{60} * 2);
    if (id.lba48_supported && sectors48 != 0) {
        id.sectors = sectors48;
    } else if (sectors28 != 0) {
        id.sectors = sectors28;
    }
    const std::uint16_t sector_info = word(page, 106);
    if (valid_feature_word(sector_info) && bit(sector_info, 12)) {
        const std::uint32_t words = detail::le32(page, std::size_t{117} * 2);
        if (words >= 256) {
            id.logical_sector_bytes = words * 2;
        }
    }
    if (id.sectors) {
        id.capacity_bytes = *id.sectors * id.logical_sector_bytes;
    }
}

void read_features(PageBytes page, AtaIdentify& id) {
    const std::uint16_t w82 = word(page, 82);
    const std::uint16_t w83 = word(page, 83);
    const std::uint16_t w84 = word(page, 84);
    const std::uint16_t w85 = word(page, 85);
    const std::uint16_t w87 = word(page, 87);
    if (reported(w82)) {
        id.smart_supported = bit(w82, 0);
        id.smart_enabled = id.smart_supported && bit(w85, 0);
    }
    id.lba48_supported = valid_feature_word(w83) && bit(w83, 10);
    if (valid_feature_word(w84)) {
        id.smart_error_log_supported = bit(w84, 0);
        id.smart_self_test_supported = bit(w84, 1);
        id.gp_logging_supported = bit(w84, 5);
    }
    if (!id.gp_logging_supported && valid_feature_word(w87)) {
        id.gp_logging_supported = bit(w87, 5);
    }
}

void read_version_and_medium(PageBytes page, AtaIdentify& id) {
    const std::uint16_t w80 = word(page, 80);
    if (reported(w80)) {
        id.major_version_word = w80;
        id.major_version = static_cast<unsigned>(std::bit_width(w80)) - 1U;
    }
    // Word 217 (ACS-3, 7.12.7.84): 0 not reported, 1 non-rotating, 0401h-FFFEh rpm.
    const std::uint16_t rate = word(page, 217);
    if (rate == 1) {
        id.solid_state = true;
    } else if (rate >= 0x0401 && rate <= 0xFFFE) {
        id.solid_state = false;
        id.rotation_rate_rpm = rate;
    }
}

}  // namespace

Decoded<AtaIdentify> decode_ata_identify(PageBytes page) {
    Decoded<AtaIdentify> out;
    auto& id = out.value;
    if (page.size() < kIdentifyBytes) {
        out.add_problem(
            fmt::format("IDENTIFY DEVICE: {} bytes, expected {}; words past the end "
                        "read as absent",
                        page.size(), kIdentifyBytes));
    }
    id.serial = detail::ata_string(page, 10, 10);
    id.firmware = detail::ata_string(page, 23, 4);
    id.model = detail::ata_string(page, 27, 20);
    read_features(page, id);
    read_capacity(page, id);
    read_version_and_medium(page, id);

    // Word 255 (ACS-3, 7.12.7.91): when its low byte is A5h, the high byte makes the
    // 512 bytes sum to 0 mod 256.
    if (page.size() >= kIdentifyBytes &&
        (static_cast<unsigned>(word(page, 255)) & 0xFFU) == kIntegritySignature) {
        id.checksum_valid = ata_checksum_valid(page.first(kIdentifyBytes));
        if (!*id.checksum_valid) {
            out.add_problem("IDENTIFY DEVICE: integrity word 255 " +
                            describe_ata_checksum_failure(page.first(kIdentifyBytes)));
        }
    }
    return out;
}

std::string ata_major_version_name(unsigned major_version) {
    if (major_version <= 7) {
        return major_version >= 4 ? fmt::format("ATA/ATAPI-{}", major_version)
                                  : fmt::format("ATA-{}", major_version);
    }
    if (major_version == 8) {
        return "ATA8-ACS";
    }
    return fmt::format("ACS-{}", major_version - 7);
}

}  // namespace diag::disk
