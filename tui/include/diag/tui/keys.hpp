#pragma once

#include <string>
#include <vector>

namespace diag::tui {

/// A key press, independent of curses: printable keys are their character, the others are
/// the named codes below (the curses layer translates KEY_* into them).
struct Key {
    static constexpr int kUp = 0x110000;
    static constexpr int kDown = kUp + 1;
    static constexpr int kPageUp = kUp + 2;
    static constexpr int kPageDown = kUp + 3;
    static constexpr int kHome = kUp + 4;
    static constexpr int kEnd = kUp + 5;
    static constexpr int kEnter = kUp + 6;
    static constexpr int kEscape = kUp + 7;
    static constexpr int kBackspace = kUp + 8;
    static constexpr int kTab = kUp + 9;
    static constexpr int kCtrlL = kUp + 10;
    /// F1 is kF1, F10 is kF1 + 9.
    static constexpr int kF1 = kUp + 20;

    int code = 0;
};

/// What a key asks for.
enum class Action {
    none,
    help,
    enter,
    back,
    quit,
    up,
    down,
    top,
    bottom,
    page_up,
    page_down,
    next_pane,
    pause,
    faster,
    slower,
    redraw,
    timeline,
    incidents,
    search,
    /// Keep only the timeline lines that contain a text.
    filter,
    next_match,
    previous_match,
    next_error,
    previous_error,
    next_warning,
    previous_warning,
};

/// The action of a key on any screen; Action::none for keys diag-top does not use. No key
/// changes the machine.
Action action_for(Key key);

/// One line of the key map, for the help screen and the man page.
struct KeyBinding {
    /// "?, h, F1".
    std::string keys;
    /// "this help".
    std::string meaning;
};

/// Every key diag-top knows, in the order the help screen lists them.
const std::vector<KeyBinding>& key_map();

}  // namespace diag::tui
