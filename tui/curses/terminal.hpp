#pragma once

// The only code of diag that includes curses: a terminal session, drawing styled lines and
// reading keys.

#include <diag/tui/keys.hpp>
#include <diag/tui/overview_view.hpp>
#include <diag/tui/styled_line.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <vector>

// curses' SCREEN, kept opaque here.
struct screen;

namespace diag::tui {

/// What came from the keyboard within one wait.
struct Input {
    /// A key, when one was pressed.
    std::optional<Key> key;
    /// True when the terminal was resized.
    bool resized = false;
};

/// The terminal in curses mode from construction to destruction (endwin even on an exception).
/// Draws into one window and sends only what changed with a single doupdate.
class Terminal {
public:
    /// Starts curses on stdin and stdout. `color` is asked for; it is used only when the
    /// terminal has colours. Throws std::runtime_error naming TERM when curses cannot drive it.
    explicit Terminal(bool color);
    ~Terminal();
    Terminal(const Terminal&) = delete;
    Terminal& operator=(const Terminal&) = delete;

    /// The terminal's size now.
    [[nodiscard]] Area area() const;
    /// True when the locale's character set is UTF-8.
    [[nodiscard]] bool utf8() const { return utf8_; }

    /// Draws the lines, one per row, and updates the screen with what changed.
    void draw(const std::vector<StyledLine>& lines);
    /// Makes the next draw repaint every character (Ctrl-L).
    void repaint_all();
    /// Follows a resize: the window takes the new size.
    void resize();

    /// Waits at most `wait` for a key.
    Input read(std::chrono::milliseconds wait);

private:
    struct Window;
    int attributes(Style style) const;

    bool utf8_ = false;
    bool color_ = false;
    // SCREEN from newterm, freed after endwin.
    ::screen* screen_ = nullptr;
    std::unique_ptr<Window> window_;
};

}  // namespace diag::tui
