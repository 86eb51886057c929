// Fuzzes the renderers' escape_for_terminal and sanitize_utf8.
// Invariants for escape_for_terminal: the output is valid UTF-8 with no C0 control, DEL or C1
// control in it, clean text passes unchanged, and the escapes can be undone to the exact input
// bytes (so no two inputs look the same). For sanitize_utf8: valid UTF-8 of the same length,
// differing from the input only where '?' replaced a byte, and unchanged when already valid.

#include "fuzz_check.hpp"

#include <diag/render/escape.hpp>

#include <array>
#include <string>

namespace {

using diag::fuzz::require;

// Code points of well-formed UTF-8 (RFC 3629 section 4), decoded here without the library's
// own validator; nullopt at the first ill-formed sequence.
std::optional<std::u32string> decode_utf8(std::string_view text) {
    std::u32string out;
    std::size_t i = 0;
    while (i < text.size()) {
        const auto lead = static_cast<unsigned char>(text[i]);
        std::size_t length = 0;
        char32_t code = 0;
        if (lead < 0x80) {
            length = 1;
            code = lead;
        } else if ((lead & 0xE0U) == 0xC0) {
            length = 2;
            code = lead & 0x1FU;
        } else if ((lead & 0xF0U) == 0xE0) {
            length = 3;
            code = lead & 0x0FU;
        } else if ((lead & 0xF8U) == 0xF0) {
            length = 4;
            code = lead & 0x07U;
        } else {
            return std::nullopt;
        }
        if (i + length > text.size()) {
            return std::nullopt;
        }
        for (std::size_t k = 1; k < length; ++k) {
            const auto next = static_cast<unsigned char>(text[i + k]);
            if ((next & 0xC0U) != 0x80) {
                return std::nullopt;
            }
            code = (code << 6U) | (next & 0x3FU);
        }
        constexpr std::array<char32_t, 5> kSmallest{0, 0, 0x80, 0x800, 0x10000};
        const bool overlong = code < kSmallest.at(length);
        const bool surrogate = code >= 0xD800 && code <= 0xDFFF;
        if (overlong || surrogate || code > 0x10FFFF) {
            return std::nullopt;
        }
        out += code;
        i += length;
    }
    return out;
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    return -1;
}

// Reads `count` lower-case hex digits at text[at]; -1 when they are not there.
int hex_value(std::string_view text, std::size_t at, std::size_t count) {
    if (at + count > text.size()) {
        return -1;
    }
    int value = 0;
    for (std::size_t k = 0; k < count; ++k) {
        const int digit = hex_digit(text[at + k]);
        if (digit < 0) {
            return -1;
        }
        value = value * 16 + digit;
    }
    return value;
}

// Undoes escape_for_terminal's escapes: \\ \n \t \r \xHH and \u00HH (a C1 control, written
// back as its two UTF-8 bytes). nullopt when the text holds anything else after a backslash.
std::optional<std::string> unescape(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '\\') {
            out += text[i];
            continue;
        }
        if (i + 1 >= text.size()) {
            return std::nullopt;
        }
        const char kind = text[i + 1];
        if (kind == '\\' || kind == 'n' || kind == 't' || kind == 'r') {
            out += kind == '\\' ? '\\' : kind == 'n' ? '\n' : kind == 't' ? '\t' : '\r';
            i += 1;
        } else if (kind == 'x' && hex_value(text, i + 2, 2) >= 0) {
            out += static_cast<char>(hex_value(text, i + 2, 2));
            i += 3;
        } else if (kind == 'u' && hex_value(text, i + 2, 4) >= 0x80 &&
                   hex_value(text, i + 2, 4) <= 0x9F) {
            out += static_cast<char>(0xC2);
            out += static_cast<char>(hex_value(text, i + 2, 4));
            i += 5;
        } else {
            return std::nullopt;
        }
    }
    return out;
}

bool is_clean(const std::u32string& code_points) {
    for (char32_t c : code_points) {
        if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || c == '\\') {
            return false;
        }
    }
    return true;
}

void check_escape(std::string_view text) {
    const auto escaped = diag::escape_for_terminal(text);
    const auto code_points = decode_utf8(escaped);
    require(code_points.has_value(), "escaped text is valid UTF-8");
    for (char32_t c : *code_points) {
        require(c >= 0x20 && c != 0x7F && !(c >= 0x80 && c <= 0x9F),
                "escaped text holds no C0 control, DEL or C1 control");
    }
    const auto restored = unescape(escaped);
    require(restored.has_value() && *restored == text, "the escapes undo to the exact input");
    if (const auto input = decode_utf8(text); input && is_clean(*input)) {
        require(escaped == text, "clean UTF-8 passes unchanged");
    }
}

void check_sanitize(std::string_view text) {
    const auto sanitized = diag::sanitize_utf8(text);
    require(decode_utf8(sanitized).has_value(), "sanitized text is valid UTF-8");
    require(sanitized.size() == text.size(), "each bad byte becomes one '?'");
    for (std::size_t i = 0; i < text.size(); ++i) {
        require(sanitized[i] == text[i] || sanitized[i] == '?', "only bad bytes are replaced");
    }
    if (decode_utf8(text)) {
        require(sanitized == text, "valid UTF-8 passes unchanged");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto text = diag::fuzz::as_text(data, size);
    check_escape(text);
    check_sanitize(text);
    return 0;
}
