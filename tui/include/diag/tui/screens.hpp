#pragma once

#include <diag/tui/keys.hpp>
#include <diag/tui/overview_view.hpp>
#include <diag/tui/snapshot.hpp>
#include <diag/tui/styled_line.hpp>
#include <diag/tui/timeline_data.hpp>

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace diag::tui {

/// The screens diag-top has.
enum class ScreenKind {
    overview,
    /// A domain's findings and issues, as a list.
    domain,
    /// A domain's subjects: the Disks, Network, Memory and Crashes screens.
    subjects,
    /// One subject's findings with their evidence, and its counters.
    subject,
    finding,
    help,
    timeline,
    context,
    incidents,
};

/// One screen on the stack, with where its cursor is.
struct ScreenState {
    ScreenKind kind = ScreenKind::overview;
    /// The row the cursor is on, and the first row shown.
    std::size_t selected = 0;
    std::size_t top = 0;
    /// For domain and finding screens: the domain's index in the snapshot.
    std::size_t domain = 0;
    /// For the finding screen: the finding's index in the domain's report.
    std::size_t finding = 0;
    /// For the subject screen: what it is about ("/dev/sda", "eth0").
    std::string subject;
    /// For the context screen: its title, when it is a filter's result.
    std::string title;
    /// For the context screen: the timeline entries shown, by index.
    std::vector<std::size_t> rows;
};

/// What the model should do after a key: the UI state itself never touches the machine.
struct Requests {
    bool toggle_pause = false;
    /// Seconds to add to the refresh interval (negative to shorten it).
    int interval_step = 0;
    /// Ctrl-L: draw the whole screen again.
    bool redraw = false;
    /// The Timeline or Incidents screen was opened: the logs are needed.
    bool need_timeline = false;
};

/// Everything the screens remember between keys.
struct UiState {
    /// Never empty; the bottom is the overview.
    std::vector<ScreenState> stack{ScreenState{}};
    /// On the overview: 0 the domain list, 1 the worst findings (Tab switches).
    int pane = 0;
    std::size_t pane_selected[2] = {0, 0};
    bool quit = false;
    /// True while a search is being typed after '/'.
    bool typing_search = false;
    /// True while a filter is being typed after 'f'.
    bool typing_filter = false;
    std::string search_input;
    /// The last search, for n and N.
    std::string search;
    /// One line for the user after an action ("no match for 'oom'").
    std::string message;
};

/// The seconds around an event that its context screen shows, before and after it.
inline constexpr std::chrono::seconds kContextWindow{60};

/// The smallest terminal diag-top draws on.
inline constexpr Area kMinimumArea{80, 24};

/// Applies one key to the UI state and says what the model must do. `area` is the terminal
/// size (page keys move by a page of it); `timeline` may be null while the logs load.
Requests handle_key(UiState& state, Key key, const Snapshot& snapshot, const TimelineData* timeline,
                    const Area& area);

/// The whole screen for the current state: exactly area.rows lines (header, body, status
/// line, key hints). Keeps the cursor's row in view. Below kMinimumArea, a message saying so.
std::vector<StyledLine> compose_screen(UiState& state, const Snapshot& snapshot,
                                       const TimelineData* timeline, const Area& area,
                                       const Glyphs& glyphs);

/// True for the domains whose Enter opens a list of subjects (disk, net, mem, crash).
bool has_subject_screen(const std::string& domain);

/// The domain rows of the worst-findings pane: (domain, finding) pairs, warnings and worse of
/// every domain that answered, worst first.
std::vector<std::pair<std::size_t, std::size_t>> worst_findings(const Snapshot& snapshot);

}  // namespace diag::tui
