#pragma once

#include <diag/disk/decoded.hpp>
#include <diag/disk/page_bytes.hpp>

#include <cstdint>
#include <vector>

namespace diag::disk {

/// One log the drive supports and its size.
struct AtaLogSize {
    std::uint8_t address = 0;
    std::uint16_t pages = 0;
};

/// The log directory (log address 00h, ACS-3 Table A.2): word 0 the logging version, word N
/// the number of 512-byte pages of log N. Only logs with pages are listed. The page has no
/// checksum.
struct AtaLogDirectory {
    std::uint16_t version = 0;
    std::vector<AtaLogSize> logs;

    /// Pages of log `address`; 0 when the drive does not have it.
    [[nodiscard]] std::uint16_t pages(std::uint8_t address) const;
};

/// Decodes a 512-byte log directory; a short page gives the words it holds, plus a problem.
Decoded<AtaLogDirectory> decode_ata_log_directory(PageBytes page);

}  // namespace diag::disk
