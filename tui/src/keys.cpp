#include "diag/tui/keys.hpp"

namespace diag::tui {

Action action_for(Key key) {
    // F-keys first; each has a letter twin below (htop's F1 help, F3 search, F10 quit).
    switch (key.code) {
        case Key::kF1:
            return Action::help;
        case Key::kF1 + 1:
            return Action::timeline;
        case Key::kF1 + 2:
            return Action::search;
        case Key::kF1 + 3:
            return Action::incidents;
        case Key::kF1 + 4:
            return Action::pause;
        case Key::kF1 + 9:
            return Action::quit;
        case Key::kUp:
        case 'k':
            return Action::up;
        case Key::kDown:
        case 'j':
            return Action::down;
        case Key::kHome:
        case 'g':
            return Action::top;
        case Key::kEnd:
        case 'G':
            return Action::bottom;
        case Key::kPageUp:
            return Action::page_up;
        case Key::kPageDown:
        case ' ':
            return Action::page_down;
        case Key::kEnter:
            return Action::enter;
        case Key::kEscape:
        case Key::kBackspace:
        case 'q':
            return Action::back;
        case 'Q':
            return Action::quit;
        case '?':
        case 'h':
            return Action::help;
        case Key::kTab:
            return Action::next_pane;
        case 'z':
            return Action::pause;
        case '+':
            return Action::slower;
        case '-':
            return Action::faster;
        case Key::kCtrlL:
            return Action::redraw;
        case 't':
            return Action::timeline;
        case 'i':
            return Action::incidents;
        case '/':
        case 's':
            return Action::search;
        case 'f':
            return Action::filter;
        case 'n':
            return Action::next_match;
        case 'N':
            return Action::previous_match;
        case 'e':
            return Action::next_error;
        case 'E':
            return Action::previous_error;
        case 'w':
            return Action::next_warning;
        case 'W':
            return Action::previous_warning;
        default:
            return Action::none;
    }
}

const std::vector<KeyBinding>& key_map() {
    static const std::vector<KeyBinding> kMap = {
        {"?, h, F1", "this help"},
        {"Enter", "open the row under the cursor"},
        {"Esc, Backspace, q", "back to the previous screen"},
        {"Q, F10", "quit"},
        {"Up, Down, k, j", "move the cursor"},
        {"g, G, Home, End", "first and last row"},
        {"PgUp, PgDn, Space", "a page up or down"},
        {"Tab", "switch between the overview's panes"},
        {"t, F2", "timeline: the merged logs"},
        {"i, F4", "incidents: classified events grouped in time"},
        {"/, s, F3", "search the timeline (Enter runs it, Esc gives up)"},
        {"n, N", "next and previous match of the search"},
        {"f", "filter: only the timeline lines that contain a text"},
        {"e, E", "next and previous error in the timeline"},
        {"w, W", "next and previous warning (or worse) in the timeline"},
        {"z, F5", "pause and resume refreshing (live mode)"},
        {"+, -", "refresh less or more often (1 to 300 s)"},
        {"Ctrl-L", "redraw the whole screen"},
    };
    return kMap;
}

}  // namespace diag::tui
