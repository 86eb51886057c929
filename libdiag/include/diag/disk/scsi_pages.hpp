#pragma once

#include <diag/disk/decoded.hpp>
#include <diag/disk/disk_record.hpp>
#include <diag/disk/page_bytes.hpp>
#include <diag/disk/scsi_health.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace diag::disk {

/// Standard INQUIRY data (SPC-5 6.7.2), the fields diag uses.
struct ScsiInquiry {
    /// Byte 0 bits 4:0: 00h a direct-access block device (a disk).
    std::uint8_t peripheral_type = 0;
    /// Bytes 8-15, 16-31, 32-35, ASCII, trimmed.
    std::string vendor;
    std::string product;
    std::string revision;
};

/// Decodes INQUIRY data; fewer than 36 bytes give the fields that fit, plus a problem.
Decoded<ScsiInquiry> decode_scsi_inquiry(PageBytes data);

/// The serial number from VPD page 80h (byte 3 the length, ASCII from byte 4), trimmed; a
/// page that is not 80h gives a problem and an empty serial.
Decoded<std::string> decode_scsi_unit_serial(PageBytes page);

/// One log parameter (SPC-5 7.3.1): code, and its value bytes.
struct ScsiLogParameter {
    std::uint16_t code = 0;
    std::vector<std::uint8_t> value;

    /// The value as a big-endian unsigned number (its first 8 bytes at most).
    [[nodiscard]] std::uint64_t number() const;
};

/// Splits a log page into its parameters. The header's page code must be `page_code`; a
/// parameter running past the page's end is dropped with a problem.
Decoded<std::vector<ScsiLogParameter>> decode_scsi_log_page(PageBytes page, std::uint8_t page_code);

/// Supported Log Pages (00h): the page codes listed.
Decoded<std::vector<std::uint8_t>> decode_scsi_supported_pages(PageBytes page);

/// Write (02h), read (03h) or verify (05h) error counter page into counters, parameters
/// 0000h-0006h (SPC-5 7.3.7); 0005h (bytes processed) in units of 10^9 bytes.
Decoded<ScsiErrorCounters> decode_scsi_error_counters(PageBytes page, std::uint8_t page_code);

/// Temperature log page (0Dh, SPC-5 7.3.21): parameter 0000h the temperature, 0001h the
/// reference (the drive's trip temperature), degrees Celsius; FFh means not available.
struct ScsiTemperature {
    std::optional<int> current_celsius;
    std::optional<int> reference_celsius;
};

Decoded<ScsiTemperature> decode_scsi_temperature(PageBytes page);

/// Informational Exceptions log page (2Fh, SPC-5 7.3.10) parameter 0000h: the additional
/// sense code and qualifier of a predicted failure (0/0 none) and the most recent temperature
/// (FFh not available).
struct ScsiInformationalExceptions {
    std::uint8_t asc = 0;
    std::uint8_t ascq = 0;
    std::optional<int> temperature_celsius;
};

Decoded<std::optional<ScsiInformationalExceptions>> decode_scsi_informational_exceptions(
    PageBytes page);

/// Solid State Media log page (11h, SBC-4 6.4.13) parameter 0001h byte 7: the percentage
/// used endurance indicator.
Decoded<std::optional<std::uint8_t>> decode_scsi_ssd_endurance(PageBytes page);

/// The grown defect count from a READ DEFECT DATA (10) header (SBC-4 5.11.2): byte 1 GLISTV
/// (bit 3) and the list format (bits 2:0), bytes 2-3 the list length in bytes, divided by the
/// descriptor size of the format (4 for short block, 8 for long block, bytes from index and
/// physical sector). Absent, with a problem, when the grown list is not valid or the format
/// is vendor specific.
Decoded<std::optional<std::uint64_t>> decode_scsi_grown_defects(PageBytes header);

/// The raw answers of one SCSI drive; pages that were not read are absent.
struct ScsiPages {
    std::optional<std::vector<std::uint8_t>> inquiry;
    std::optional<std::vector<std::uint8_t>> unit_serial;
    std::optional<std::vector<std::uint8_t>> supported_pages;
    std::optional<std::vector<std::uint8_t>> informational_exceptions;
    std::optional<std::vector<std::uint8_t>> temperature;
    std::optional<std::vector<std::uint8_t>> write_errors;
    std::optional<std::vector<std::uint8_t>> read_errors;
    std::optional<std::vector<std::uint8_t>> verify_errors;
    std::optional<std::vector<std::uint8_t>> ssd_media;
    std::optional<std::vector<std::uint8_t>> defect_header;
};

/// Decodes the pages into a record: identity from INQUIRY and VPD 80h, the SMART status from
/// Informational Exceptions (ASC 0 passes), temperature and the trip temperature as the
/// critical limit, error counters, endurance and grown defects. Problems become Issues.
DiskRecord build_scsi_record(const ScsiPages& pages, std::string device);

}  // namespace diag::disk
