#pragma once

// Helpers of the disk fuzz targets: the fuzzer's bytes as a page, and checks that hold for
// every ATA and NVMe string a decoder returns.

#include "fuzz_check.hpp"

#include <diag/disk/page_bytes.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

namespace diag::fuzz {

/// The fuzzer's input as a page, bytes unchanged.
inline diag::disk::PageBytes as_page(const std::uint8_t* data, std::size_t size) {
    return {data, size};
}

/// True when a decoded string field is at most max_length characters of printable ASCII with
/// no space at either end (the decoders trim, and map other bytes to '?').
inline bool is_clean_field(const std::string& text, std::size_t max_length) {
    const bool printable = std::all_of(text.begin(), text.end(), [](char c) {
        return static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7F;
    });
    const bool trimmed = text.empty() || (text.front() != ' ' && text.back() != ' ');
    return printable && trimmed && text.size() <= max_length;
}

}  // namespace diag::fuzz
