#include "terminal.hpp"

#include <algorithm>
#include <clocale>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include <curses.h>
#include <fmt/format.h>

#include <langinfo.h>

namespace diag::tui {

namespace {

// Colour pairs, one per coloured style.
enum Pair : short { pair_ok = 1, pair_info, pair_warning, pair_critical, pair_stale, pair_match };

// Escape alone should go back at once, not after curses' default second.
constexpr int kEscapeDelayMs = 25;

std::optional<Key> translate(int code) {
    switch (code) {
        case KEY_UP:
            return Key{Key::kUp};
        case KEY_DOWN:
            return Key{Key::kDown};
        case KEY_PPAGE:
            return Key{Key::kPageUp};
        case KEY_NPAGE:
            return Key{Key::kPageDown};
        case KEY_HOME:
            return Key{Key::kHome};
        case KEY_END:
            return Key{Key::kEnd};
        case KEY_ENTER:
        case '\n':
        case '\r':
            return Key{Key::kEnter};
        case 27:
            return Key{Key::kEscape};
        case KEY_BACKSPACE:
        case 127:
        case '\b':
            return Key{Key::kBackspace};
        case '\t':
            return Key{Key::kTab};
        case 12:  // Ctrl-L
            return Key{Key::kCtrlL};
        default:
            break;
    }
    if (code >= KEY_F(1) && code <= KEY_F(12)) {
        return Key{Key::kF1 + (code - KEY_F(1))};
    }
    if (code >= ' ' && code < 0x7f) {
        return Key{code};
    }
    return std::nullopt;
}

}  // namespace

// Owns the window everything is drawn into.
struct Terminal::Window {
    WINDOW* handle = nullptr;

    explicit Window(WINDOW* window) : handle(window) {}
    ~Window() {
        if (handle != nullptr) {
            ::delwin(handle);
        }
    }
    Window(const Window&) = delete;
    Window& operator=(const Window&) = delete;
};

Terminal::Terminal(bool color) {
    std::setlocale(LC_ALL, "");
    utf8_ = std::strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
    ::set_escdelay(kEscapeDelayMs);
    // newterm, unlike initscr, returns instead of exiting on a terminal type it does not know.
    screen_ = ::newterm(nullptr, stdout, stdin);
    if (screen_ == nullptr) {
        const char* term = std::getenv("TERM");
        throw std::runtime_error(fmt::format("cannot drive terminal type '{}': {}",
                                             term == nullptr ? "" : term,
                                             "no terminfo entry for it"));
    }
    ::cbreak();
    ::noecho();
    ::nonl();
    ::curs_set(0);
    color_ = color && ::has_colors();
    if (color_) {
        ::start_color();
        ::use_default_colors();
        ::init_pair(pair_ok, COLOR_GREEN, -1);
        ::init_pair(pair_info, COLOR_CYAN, -1);
        ::init_pair(pair_warning, COLOR_YELLOW, -1);
        ::init_pair(pair_critical, COLOR_RED, -1);
        ::init_pair(pair_stale, COLOR_MAGENTA, -1);
        ::init_pair(pair_match, COLOR_BLACK, COLOR_YELLOW);
    }
    window_ = std::make_unique<Window>(::newwin(LINES, COLS, 0, 0));
    ::keypad(window_->handle, TRUE);
    ::leaveok(window_->handle, TRUE);
}

Terminal::~Terminal() {
    window_.reset();
    ::endwin();
    ::delscreen(screen_);
}

Area Terminal::area() const {
    return Area{static_cast<std::size_t>(std::max(COLS, 0)),
                static_cast<std::size_t>(std::max(LINES, 0))};
}

int Terminal::attributes(Style style) const {
    const auto colored = [&](Pair pair, attr_t plain) {
        return static_cast<int>(color_ ? (COLOR_PAIR(pair) | plain) : plain);
    };
    switch (style) {
        case Style::plain:
            return static_cast<int>(A_NORMAL);
        case Style::bold:
            return static_cast<int>(A_BOLD);
        case Style::dim:
            return static_cast<int>(A_DIM);
        case Style::heading:
        case Style::hint:
        case Style::selected:
            return static_cast<int>(A_REVERSE);
        case Style::ok:
            return colored(pair_ok, A_NORMAL);
        case Style::info:
            return colored(pair_info, A_NORMAL);
        case Style::warning:
            return colored(pair_warning, A_BOLD);
        case Style::critical:
            return colored(pair_critical, A_BOLD);
        case Style::stale:
            return colored(pair_stale, A_BOLD);
        case Style::match:
            return colored(pair_match, A_UNDERLINE);
    }
    return static_cast<int>(A_NORMAL);
}

void Terminal::draw(const std::vector<StyledLine>& lines) {
    WINDOW* win = window_->handle;
    const Area size = area();
    for (std::size_t row = 0; row < size.rows; ++row) {
        ::wmove(win, static_cast<int>(row), 0);
        std::size_t used = 0;
        if (row < lines.size()) {
            for (const auto& span : lines[row].spans) {
                ::wattrset(win, attributes(span.style));
                ::waddnstr(win, span.text.c_str(), static_cast<int>(span.text.size()));
                used += display_width(span.text);
            }
        }
        const Style fill = row < lines.size() ? lines[row].fill : Style::plain;
        ::wattrset(win, attributes(fill));
        if (used < size.columns) {
            // Writing the last column of the last row would scroll; clear to the end instead
            // where the fill is plain.
            if (fill == Style::plain) {
                ::wclrtoeol(win);
            } else {
                const std::size_t last_row_margin = row + 1 == size.rows ? 1 : 0;
                for (std::size_t c = used; c + last_row_margin < size.columns; ++c) {
                    ::waddch(win, ' ');
                }
            }
        }
    }
    ::wattrset(win, static_cast<int>(A_NORMAL));
    ::wnoutrefresh(win);
    ::doupdate();
}

void Terminal::repaint_all() {
    ::clearok(curscr, TRUE);
}

void Terminal::resize() {
    // ncurses has already updated LINES and COLS for KEY_RESIZE.
    ::wresize(window_->handle, LINES, COLS);
    ::clearok(curscr, TRUE);
}

Input Terminal::read(std::chrono::milliseconds wait) {
    ::wtimeout(window_->handle, static_cast<int>(wait.count()));
    const int code = ::wgetch(window_->handle);
    Input input;
    if (code == KEY_RESIZE) {
        input.resized = true;
    } else if (code != ERR) {
        input.key = translate(code);
    }
    return input;
}

}  // namespace diag::tui
