#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace diag::disk {

/// A page of bytes as the decoders take it: a SMART page, a log page, an IDENTIFY block.
using PageBytes = std::span<const std::uint8_t>;

/// Views bytes held in a string (as read from a file) as a page, without copying.
inline PageBytes page_bytes(std::string_view data) {
    return {reinterpret_cast<const std::uint8_t*>(data.data()), data.size()};
}

/// Views owned bytes as a page.
inline PageBytes page_bytes(const std::vector<std::uint8_t>& data) {
    return {data.data(), data.size()};
}

}  // namespace diag::disk
