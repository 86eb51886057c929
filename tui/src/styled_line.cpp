#include "diag/tui/styled_line.hpp"

#include <diag/render/escape.hpp>

#include <cstdint>

namespace diag::tui {

namespace {

bool is_continuation(char byte) {
    return (static_cast<std::uint8_t>(byte) & 0xC0U) == 0x80U;
}

// Byte offset just past the first `columns` code points of text.
std::size_t prefix_bytes(std::string_view text, std::size_t columns) {
    std::size_t i = 0;
    std::size_t seen = 0;
    while (i < text.size()) {
        if (!is_continuation(text[i])) {
            if (seen == columns) {
                break;
            }
            ++seen;
        }
        ++i;
    }
    return i;
}

}  // namespace

Style style_for(Severity severity) {
    switch (severity) {
        case Severity::ok:
            return Style::ok;
        case Severity::info:
            return Style::info;
        case Severity::warning:
            return Style::warning;
        case Severity::critical:
            return Style::critical;
    }
    return Style::plain;
}

StyledLine& StyledLine::add(std::string text, Style style) {
    spans.push_back({std::move(text), style});
    return *this;
}

std::string StyledLine::text() const {
    std::string all;
    for (const auto& span : spans) {
        all += span.text;
    }
    return all;
}

std::size_t StyledLine::width() const {
    std::size_t total = 0;
    for (const auto& span : spans) {
        total += display_width(span.text);
    }
    return total;
}

std::string to_text(const std::vector<StyledLine>& lines) {
    std::string out;
    for (const auto& line : lines) {
        auto text = line.text();
        while (!text.empty() && text.back() == ' ') {
            text.pop_back();
        }
        out += text;
        out += '\n';
    }
    return out;
}

StyledLine cursor_row(StyledLine line, bool selected, const Glyphs& glyphs) {
    line.spans.insert(line.spans.begin(), Span{selected ? std::string(glyphs.cursor()) : " ",
                                               selected ? Style::selected : Style::plain});
    if (selected) {
        for (auto& span : line.spans) {
            if (span.style == Style::plain || span.style == Style::bold) {
                span.style = Style::selected;
            }
        }
        line.fill = Style::selected;
    }
    return line;
}

std::string safe_text(std::string_view text, const Glyphs& glyphs) {
    auto escaped = escape_for_terminal(text);
    if (glyphs.utf8) {
        return escaped;
    }
    // escape_for_terminal leaves only valid UTF-8: one '?' per code point outside ASCII.
    std::string ascii;
    ascii.reserve(escaped.size());
    for (const char byte : escaped) {
        if (static_cast<std::uint8_t>(byte) < 0x80U) {
            ascii += byte;
        } else if (!is_continuation(byte)) {
            ascii += '?';
        }
    }
    return ascii;
}

std::size_t display_width(std::string_view text) {
    std::size_t count = 0;
    for (const char byte : text) {
        if (!is_continuation(byte)) {
            ++count;
        }
    }
    return count;
}

std::string fit(std::string_view text, std::size_t columns, const Glyphs& glyphs) {
    if (display_width(text) <= columns) {
        return std::string(text);
    }
    if (columns == 0) {
        return {};
    }
    std::string cut(text.substr(0, prefix_bytes(text, columns - 1)));
    cut += glyphs.ellipsis();
    return cut;
}

std::string pad(std::string_view text, std::size_t columns, const Glyphs& glyphs) {
    auto fitted = fit(text, columns, glyphs);
    const auto width = display_width(fitted);
    fitted.append(columns - width, ' ');
    return fitted;
}

std::string rule(std::size_t columns, const Glyphs& glyphs) {
    std::string line;
    for (std::size_t i = 0; i < columns; ++i) {
        line += glyphs.rule();
    }
    return line;
}

}  // namespace diag::tui
