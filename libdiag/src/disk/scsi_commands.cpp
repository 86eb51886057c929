#include "diag/disk/scsi_commands.hpp"

#include <fmt/format.h>

namespace diag::disk {

namespace {

constexpr std::uint8_t kInquiry = 0x12;
constexpr std::uint8_t kLogSense = 0x4D;
constexpr std::uint8_t kReadDefectData10 = 0x37;
constexpr std::uint8_t kCumulativeValues = 0x40;  // PC = 01b in bits 7:6 of byte 2
constexpr std::uint8_t kInquiryBytes = 36;
constexpr std::uint8_t kVpdBytes = 252;

}  // namespace

ScsiCommand scsi_inquiry() {
    return {"scsi-inquiry", {kInquiry, 0x00, 0x00, 0x00, kInquiryBytes, 0x00}, kInquiryBytes};
}

ScsiCommand scsi_inquiry_serial() {
    return {"scsi-inquiry-vpd-80", {kInquiry, 0x01, 0x80, 0x00, kVpdBytes, 0x00}, kVpdBytes};
}

ScsiCommand scsi_log_sense(std::uint8_t page, std::uint16_t bytes) {
    return {fmt::format("scsi-log-sense-{:02x}", page),
            {kLogSense, 0x00, static_cast<std::uint8_t>(kCumulativeValues | (page & 0x3FU)), 0x00,
             0x00, 0x00, 0x00, static_cast<std::uint8_t>(bytes >> 8U),
             static_cast<std::uint8_t>(bytes & 0xFFU), 0x00},
            bytes};
}

ScsiCommand scsi_read_defect_data() {
    // Byte 2: REQ_GLIST (bit 3) and format 100b (bytes from index). Allocation length 4: the
    // header alone, whose length field still counts the whole list (SBC-4 5.11.2).
    constexpr std::uint8_t kGlistBytesFromIndex = 0x08 | 0x04;
    constexpr std::uint8_t kHeaderBytes = 4;
    return {"scsi-read-defect-data",
            {kReadDefectData10, 0x00, kGlistBytesFromIndex, 0x00, 0x00, 0x00, 0x00, 0x00,
             kHeaderBytes, 0x00},
            kHeaderBytes};
}

}  // namespace diag::disk
