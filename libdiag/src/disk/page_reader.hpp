#pragma once

// Little helpers shared by the page decoders: bounds-checked little-endian reads and the
// two string encodings of ATA and NVMe. Private to libdiag/src/disk.

#include "diag/disk/page_bytes.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

namespace diag::disk::detail {

/// Unsigned little-endian integer of `width` bytes (at most 8) at offset; 0 past the end.
inline std::uint64_t read_le(PageBytes page, std::size_t offset, std::size_t width) {
    std::uint64_t value = 0;
    for (std::size_t i = width; i > 0; --i) {
        const std::size_t at = offset + i - 1;
        value = (value << 8U) | (at < page.size() ? page[at] : 0U);
    }
    return value;
}

inline std::uint8_t u8(PageBytes page, std::size_t offset) {
    return offset < page.size() ? page[offset] : std::uint8_t{0};
}

inline std::uint16_t le16(PageBytes page, std::size_t offset) {
    return static_cast<std::uint16_t>(read_le(page, offset, 2));
}

inline std::uint32_t le32(PageBytes page, std::size_t offset) {
    return static_cast<std::uint32_t>(read_le(page, offset, 4));
}

inline std::uint64_t le64(PageBytes page, std::size_t offset) {
    return read_le(page, offset, 8);
}

/// Drops leading and trailing spaces.
std::string trim_field(std::string text);

/// An ATA string: `words` 16-bit words from word `first_word`, each word holding its first
/// character in the high byte (ACS-3, 3.4.9 "ATA string convention"), trimmed. NUL padding
/// reads as a space; other bytes outside printable ASCII read as '?'.
std::string ata_string(PageBytes page, std::size_t first_word, std::size_t words);

/// An ASCII field of `length` bytes in byte order, trimmed (NVMe Identify SN, MN, FR).
std::string ascii_field(PageBytes page, std::size_t offset, std::size_t length);

}  // namespace diag::disk::detail
