#include "diag/disk/scsi_sense.hpp"

#include <array>

#include <fmt/format.h>

namespace diag::disk {

namespace {

constexpr std::uint8_t kAtaReturnDescriptor = 0x09;
constexpr std::uint8_t kAtaReturnLength = 0x0C;

std::uint8_t at(PageBytes bytes, std::size_t offset) {
    return offset < bytes.size() ? bytes[offset] : std::uint8_t{0};
}

// Descriptor format (SPC-5 4.4.2): descriptors from byte 8, byte 7 their total length. The
// ATA Status Return descriptor (SAT-3 Table 176): 2 EXTEND, 3 ERROR, 5 COUNT(7:0), 7 LBA(7:0),
// 9 LBA(15:8), 11 LBA(23:16), 12 DEVICE, 13 STATUS.
std::optional<AtaOutput> ata_from_descriptors(PageBytes sense) {
    const std::size_t end = std::min<std::size_t>(sense.size(), 8U + at(sense, 7));
    std::size_t offset = 8;
    while (offset + 1 < end) {
        const std::uint8_t type = sense[offset];
        const std::size_t length = at(sense, offset + 1);
        if (type == kAtaReturnDescriptor && length >= kAtaReturnLength &&
            offset + 2 + kAtaReturnLength <= sense.size()) {
            AtaOutput out;
            out.error = sense[offset + 3];
            out.count = sense[offset + 5];
            out.lba_low = sense[offset + 7];
            out.lba_mid = sense[offset + 9];
            out.lba_high = sense[offset + 11];
            out.device = sense[offset + 12];
            out.status = sense[offset + 13];
            return out;
        }
        offset += 2 + length;
    }
    return std::nullopt;
}

// Fixed format with 00h/1Dh (SAT-3 Table 178): INFORMATION bytes 3 ERROR, 4 STATUS, 5 DEVICE,
// 6 COUNT(7:0); COMMAND-SPECIFIC INFORMATION bytes 9-11 LBA(7:0), (15:8), (23:16).
AtaOutput ata_from_fixed(PageBytes sense) {
    AtaOutput out;
    out.error = at(sense, 3);
    out.status = at(sense, 4);
    out.device = at(sense, 5);
    out.count = at(sense, 6);
    out.lba_low = at(sense, 9);
    out.lba_mid = at(sense, 10);
    out.lba_high = at(sense, 11);
    return out;
}

}  // namespace

std::optional<ScsiSense> decode_sense(PageBytes sense) {
    if (sense.empty()) {
        return std::nullopt;
    }
    ScsiSense out;
    out.response_code = static_cast<std::uint8_t>(sense[0] & 0x7FU);
    if (out.response_code == 0x72 || out.response_code == 0x73) {
        out.key = static_cast<std::uint8_t>(at(sense, 1) & 0x0FU);
        out.asc = at(sense, 2);
        out.ascq = at(sense, 3);
        out.ata = ata_from_descriptors(sense);
        return out;
    }
    if (out.response_code == 0x70 || out.response_code == 0x71) {
        out.key = static_cast<std::uint8_t>(at(sense, 2) & 0x0FU);
        out.asc = at(sense, 12);
        out.ascq = at(sense, 13);
        if (out.asc == 0x00 && out.ascq == 0x1D) {
            out.ata = ata_from_fixed(sense);
        }
        return out;
    }
    return std::nullopt;
}

std::string describe(const ScsiSense& sense) {
    // SPC-5 Table 52, sense key descriptions.
    static constexpr std::array<const char*, 16> kKeys{
        "NO SENSE",       "RECOVERED ERROR", "NOT READY",      "MEDIUM ERROR",
        "HARDWARE ERROR", "ILLEGAL REQUEST", "UNIT ATTENTION", "DATA PROTECT",
        "BLANK CHECK",    "VENDOR SPECIFIC", "COPY ABORTED",   "ABORTED COMMAND",
        "RESERVED",       "VOLUME OVERFLOW", "MISCOMPARE",     "COMPLETED"};
    return fmt::format("sense key {:X}h ({}), ASC/ASCQ {:02X}h/{:02X}h", sense.key,
                       kKeys[sense.key & 0x0FU], sense.asc, sense.ascq);
}

bool is_ata_information_only(const ScsiSense& sense) {
    return (sense.key == 0x01 || sense.key == 0x00) && sense.asc == 0x00 && sense.ascq == 0x1D;
}

}  // namespace diag::disk
