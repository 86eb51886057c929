#pragma once

#include <diag/core/severity.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace diag::tui {

/// How a piece of a line is drawn. The curses layer maps each to attributes (and colours when
/// they are on); every style stays distinguishable without colour through text or bold.
enum class Style {
    plain,
    bold,
    dim,
    /// The title bar and column headings.
    heading,
    /// The key-hint bar at the bottom.
    hint,
    /// The row the cursor is on.
    selected,
    ok,
    info,
    warning,
    critical,
    /// A domain whose collector is late or failed.
    stale,
    /// A search match.
    match,
};

/// The style a severity is drawn with.
Style style_for(Severity severity);

/// A run of text in one style. The text is already safe for the terminal.
struct Span {
    std::string text;
    Style style = Style::plain;
};

/// One screen line: spans drawn left to right, cut at the screen width by the terminal layer.
/// `fill` is the style of the rest of the line after the last span (a selected row is
/// highlighted across the whole width).
struct StyledLine {
    std::vector<Span> spans;
    Style fill = Style::plain;

    /// Appends a span; returns *this so lines can be built in one expression.
    StyledLine& add(std::string text, Style style = Style::plain);
    /// The text of every span, in order: what a test compares.
    [[nodiscard]] std::string text() const;
    /// Width in terminal columns (one per code point: diag's text is escaped and narrow).
    [[nodiscard]] std::size_t width() const;
};

/// Lines as plain text, one per line, trailing spaces removed: the form the view tests and the
/// golden screens compare.
std::string to_text(const std::vector<StyledLine>& lines);

/// How lines and text are drawn on this terminal.
struct Glyphs {
    /// True when the locale is UTF-8: box lines and arrows; otherwise ASCII only.
    bool utf8 = true;

    /// A horizontal rule character.
    [[nodiscard]] std::string_view rule() const { return utf8 ? "\u2500" : "-"; }
    /// The mark before the selected row.
    [[nodiscard]] std::string_view cursor() const { return utf8 ? "\u25b6" : ">"; }
    /// Ellipsis for text cut short.
    [[nodiscard]] std::string_view ellipsis() const { return utf8 ? "\u2026" : "~"; }
};

/// A list row with the cursor mark in front (a space when not selected); the selected row's
/// plain and bold spans and the rest of its line take the selected style.
StyledLine cursor_row(StyledLine line, bool selected, const Glyphs& glyphs);

/// Text from the machine made safe for the terminal: escape_for_terminal, and under ASCII
/// glyphs every non-ASCII character becomes '?'.
std::string safe_text(std::string_view text, const Glyphs& glyphs);

/// Number of code points in UTF-8 text.
std::size_t display_width(std::string_view text);

/// The text cut to at most `columns` code points, the last one an ellipsis when it was cut.
std::string fit(std::string_view text, std::size_t columns, const Glyphs& glyphs);

/// The text padded with spaces (or cut) to exactly `columns` code points.
std::string pad(std::string_view text, std::size_t columns, const Glyphs& glyphs);

/// A rule across `columns` columns.
std::string rule(std::size_t columns, const Glyphs& glyphs);

}  // namespace diag::tui
