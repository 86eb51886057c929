#include "diag/render/escape.hpp"

#include <algorithm>
#include <cstdint>

#include <fmt/format.h>

namespace diag {

namespace {

// Length of the valid UTF-8 sequence starting at text[i], or 0 when it is not one.
// Follows the well-formed byte sequences of Unicode 15, table 3-7 (no overlongs, no surrogates).
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<std::uint8_t>(text[i + k]); };
    const auto lead = byte(0);
    const auto in = [](std::uint8_t v, std::uint8_t lo, std::uint8_t hi) {
        return v >= lo && v <= hi;
    };
    const std::size_t left = text.size() - i;
    if (lead < 0x80) {
        return 1;
    }
    if (in(lead, 0xC2, 0xDF)) {
        return left >= 2 && in(byte(1), 0x80, 0xBF) ? 2 : 0;
    }
    if (in(lead, 0xE0, 0xEF)) {
        if (left < 3) {
            return 0;
        }
        const std::uint8_t lo = lead == 0xE0 ? 0xA0 : 0x80;
        const std::uint8_t hi = lead == 0xED ? 0x9F : 0xBF;
        return in(byte(1), lo, hi) && in(byte(2), 0x80, 0xBF) ? 3 : 0;
    }
    if (in(lead, 0xF0, 0xF4)) {
        if (left < 4) {
            return 0;
        }
        const std::uint8_t lo = lead == 0xF0 ? 0x90 : 0x80;
        const std::uint8_t hi = lead == 0xF4 ? 0x8F : 0xBF;
        return in(byte(1), lo, hi) && in(byte(2), 0x80, 0xBF) && in(byte(3), 0x80, 0xBF) ? 4 : 0;
    }
    return 0;
}

}  // namespace

std::string escape_for_terminal(std::string_view text) {
    // Most text is printable ASCII without a backslash, which comes out as it went in; a table
    // of hundreds of interfaces is mostly such text.
    if (std::all_of(text.begin(), text.end(), [](char c) {
            const auto byte = static_cast<std::uint8_t>(c);
            return byte >= 0x20 && byte < 0x7F && c != '\\';
        })) {
        return std::string(text);
    }
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        const auto byte = static_cast<std::uint8_t>(text[i]);
        const std::size_t length = utf8_sequence_length(text, i);
        if (length == 0) {
            out += fmt::format("\\x{:02x}", byte);
            ++i;
            continue;
        }
        if (length == 2 && byte == 0xC2 && static_cast<std::uint8_t>(text[i + 1]) < 0xA0) {
            // U+0080..U+009F are the C1 controls; some terminals act on them (CSI is U+009B).
            out += fmt::format("\\u{:04x}", static_cast<std::uint8_t>(text[i + 1]));
            i += 2;
            continue;
        }
        if (length == 1 && (byte < 0x20 || byte == 0x7F || byte == '\\')) {
            switch (byte) {
                case '\n':
                    out += "\\n";
                    break;
                case '\t':
                    out += "\\t";
                    break;
                case '\r':
                    out += "\\r";
                    break;
                case '\\':
                    out += "\\\\";
                    break;
                default:
                    out += fmt::format("\\x{:02x}", byte);
            }
            ++i;
            continue;
        }
        out.append(text.substr(i, length));
        i += length;
    }
    return out;
}

std::string sanitize_utf8(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t length = utf8_sequence_length(text, i);
        if (length == 0) {
            out += '?';
            ++i;
            continue;
        }
        out.append(text.substr(i, length));
        i += length;
    }
    return out;
}

}  // namespace diag
