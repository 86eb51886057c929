#include <diag/tui/screens.hpp>

#include <set>

#include <catch2/catch.hpp>

namespace {

using namespace diag;
using namespace diag::tui;

constexpr Area kArea{80, 24};

Snapshot two_domains() {
    Snapshot snapshot;
    snapshot.host = "box";
    DomainState sys{"sys", "system", DomainStatus::fresh, Report{}, {}, {}};
    sys.report->findings.push_back({Severity::ok, "sys.load", "load", "fine", {}, {}, ""});
    sys.report->findings.push_back({Severity::critical,
                                    "sys.fs.read_only",
                                    "/",
                                    "read-only",
                                    {{"fs_errors_count", std::uint64_t{3}}},
                                    {},
                                    "mountinfo"});
    sys.report->issues.push_back(
        {IssueLevel::error, "read", "/proc/pressure/io", "No such file", "a newer kernel"});
    DomainState net{"net", "network", DomainStatus::fresh, Report{}, {}, {}};
    net.report->findings.push_back(
        {Severity::warning, "net.link.flaps", "eth0", "link went down 4 times", {}, {}, ""});
    snapshot.domains = {sys, net};
    return snapshot;
}

Requests press(UiState& state, int code, const Snapshot& snapshot,
               const TimelineData* timeline = nullptr) {
    return handle_key(state, Key{code}, snapshot, timeline, kArea);
}

std::string screen_text(UiState& state, const Snapshot& snapshot,
                        const TimelineData* timeline = nullptr) {
    return to_text(compose_screen(state, snapshot, timeline, kArea, Glyphs{false}));
}

}  // namespace

TEST_CASE("tui keys: every F-key diag-top uses has a letter twin") {
    for (int f = 0; f < 12; ++f) {
        const Action action = action_for(Key{Key::kF1 + f});
        if (action == Action::none) {
            continue;
        }
        bool twin = false;
        for (int c = 'A'; c <= 'z'; ++c) {
            twin = twin || (std::isalpha(c) != 0 && action_for(Key{c}) == action);
        }
        INFO("F" << f + 1);
        CHECK(twin);
    }
}

TEST_CASE("tui keys: the issue's keys map to their actions") {
    CHECK(action_for(Key{'?'}) == Action::help);
    CHECK(action_for(Key{'h'}) == Action::help);
    CHECK(action_for(Key{Key::kF1}) == Action::help);
    CHECK(action_for(Key{Key::kEnter}) == Action::enter);
    CHECK(action_for(Key{Key::kEscape}) == Action::back);
    CHECK(action_for(Key{Key::kBackspace}) == Action::back);
    CHECK(action_for(Key{'q'}) == Action::back);
    CHECK(action_for(Key{'Q'}) == Action::quit);
    CHECK(action_for(Key{'j'}) == Action::down);
    CHECK(action_for(Key{Key::kUp}) == Action::up);
    CHECK(action_for(Key{'g'}) == Action::top);
    CHECK(action_for(Key{'G'}) == Action::bottom);
    CHECK(action_for(Key{Key::kPageDown}) == Action::page_down);
    CHECK(action_for(Key{Key::kTab}) == Action::next_pane);
    CHECK(action_for(Key{'z'}) == Action::pause);
    CHECK(action_for(Key{'+'}) == Action::slower);
    CHECK(action_for(Key{'-'}) == Action::faster);
    CHECK(action_for(Key{Key::kCtrlL}) == Action::redraw);
    CHECK(action_for(Key{'x'}) == Action::none);
}

TEST_CASE("tui keys: the key map lists every key of the issue") {
    std::string all;
    for (const auto& binding : key_map()) {
        all += binding.keys + ", ";
    }
    for (const char* key :
         {"?",    "h",   "F1", "Enter", "Esc", "Backspace", "q", "Q", "j", "k", "g", "G", "PgUp",
          "PgDn", "Tab", "z",  "+",     "-",   "Ctrl-L",    "/", "n", "N", "e", "E", "w", "W"}) {
        INFO(key);
        CHECK(all.find(std::string(key) + ",") != std::string::npos);
    }
}

TEST_CASE("tui navigation: Enter opens a domain, then a finding's evidence; q goes back") {
    const auto snapshot = two_domains();
    UiState state;
    press(state, Key::kEnter, snapshot);
    REQUIRE(state.stack.back().kind == ScreenKind::domain);
    auto text = screen_text(state, snapshot);
    // Worst first, then the issues.
    const auto critical = text.find("CRITICAL /: read-only");
    const auto ok = text.find("OK       load: fine");
    const auto issue = text.find("ISSUE    read /proc/pressure/io: No such file");
    CHECK(critical != std::string::npos);
    CHECK(ok > critical);
    CHECK(issue > ok);

    press(state, Key::kEnter, snapshot);
    REQUIRE(state.stack.back().kind == ScreenKind::finding);
    text = screen_text(state, snapshot);
    CHECK(text.find("fs_errors_count = 3") != std::string::npos);
    CHECK(text.find("rule from mountinfo") != std::string::npos);

    press(state, 'q', snapshot);
    press(state, Key::kEscape, snapshot);
    CHECK(state.stack.size() == 1);
    press(state, Key::kBackspace, snapshot);
    CHECK(state.stack.size() == 1);
    CHECK(state.message == "this is the first screen: Q quits");
    CHECK_FALSE(state.quit);
    press(state, 'Q', snapshot);
    CHECK(state.quit);
}

TEST_CASE("tui navigation: Enter on an issue shows its hint") {
    const auto snapshot = two_domains();
    UiState state;
    press(state, Key::kEnter, snapshot);
    press(state, 'G', snapshot);
    press(state, Key::kEnter, snapshot);
    CHECK(state.stack.back().kind == ScreenKind::domain);
    CHECK(state.message == "a newer kernel");
}

TEST_CASE("tui navigation: Tab moves to the worst findings; Enter opens the one chosen") {
    const auto snapshot = two_domains();
    UiState state;
    press(state, Key::kTab, snapshot);
    press(state, 'j', snapshot);
    press(state, 'j', snapshot);  // stays on the last of two
    press(state, Key::kEnter, snapshot);
    REQUIRE(state.stack.back().kind == ScreenKind::finding);
    CHECK(screen_text(state, snapshot).find("net.link.flaps") != std::string::npos);
}

TEST_CASE("tui navigation: the cursor stays within the rows; g and G go to the ends") {
    const auto snapshot = two_domains();
    UiState state;
    press(state, 'k', snapshot);
    CHECK(state.pane_selected[0] == 0);
    press(state, 'G', snapshot);
    CHECK(state.pane_selected[0] == 1);
    press(state, Key::kPageDown, snapshot);
    CHECK(state.pane_selected[0] == 1);
    press(state, 'g', snapshot);
    CHECK(state.pane_selected[0] == 0);
}

TEST_CASE("tui navigation: pause, interval and redraw are requests to the model") {
    const auto snapshot = two_domains();
    UiState state;
    CHECK(press(state, 'z', snapshot).toggle_pause);
    CHECK(press(state, '+', snapshot).interval_step == 1);
    CHECK(press(state, '-', snapshot).interval_step == -1);
    CHECK(press(state, Key::kCtrlL, snapshot).redraw);
    CHECK(press(state, 't', snapshot).need_timeline);
    CHECK(state.stack.back().kind == ScreenKind::timeline);
}

TEST_CASE("tui navigation: help lists the keys and scrolls back with q") {
    const auto snapshot = two_domains();
    UiState state;
    press(state, '?', snapshot);
    REQUIRE(state.stack.back().kind == ScreenKind::help);
    CHECK(screen_text(state, snapshot).find("this help") != std::string::npos);
    // The last lines are a page down.
    press(state, 'G', snapshot);
    const auto text = screen_text(state, snapshot);
    CHECK(text.find("Ctrl-L") != std::string::npos);
    CHECK(text.find("no key changes the machine") != std::string::npos);
    CHECK(text.find("this help") == std::string::npos);
    press(state, 'q', snapshot);
    CHECK(state.stack.size() == 1);
}
