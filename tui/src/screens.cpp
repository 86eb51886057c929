#include "diag/tui/screens.hpp"

#include <diag/logs/timeline_text.hpp>

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace diag::tui {

namespace {

// Header (2 lines), status line and key hints around the body.
constexpr std::size_t kChromeRows = 4;

std::size_t body_rows(const Area& area) {
    return area.rows > kChromeRows ? area.rows - kChromeRows : 1;
}

ScreenState screen_of(ScreenKind kind) {
    ScreenState screen;
    screen.kind = kind;
    return screen;
}

bool is_scroll_only(ScreenKind kind) {
    return kind == ScreenKind::finding || kind == ScreenKind::help || kind == ScreenKind::subject;
}

const Report* domain_report(const Snapshot& snapshot, std::size_t domain) {
    if (domain >= snapshot.domains.size()) {
        return nullptr;
    }
    const auto& report = snapshot.domains[domain].report;
    return report.has_value() ? &*report : nullptr;
}

std::string evidence_text(const Evidence& evidence) {
    return fmt::format("{} = {}", evidence.key, to_display_string(evidence.value));
}

// The lines of the finding screen, before scrolling.
std::vector<StyledLine> finding_detail(const Snapshot& snapshot, const ScreenState& screen,
                                       const Glyphs& glyphs) {
    std::vector<StyledLine> lines;
    const Report* report = domain_report(snapshot, screen.domain);
    if (report == nullptr || screen.finding >= report->findings.size()) {
        lines.push_back(
            StyledLine{}.add(" This finding is gone: the domain was collected again.", Style::dim));
        return lines;
    }
    const Finding& finding = report->findings[screen.finding];
    lines.push_back(
        StyledLine{}
            .add(" ")
            .add(std::string(to_upper_string(finding.severity)), style_for(finding.severity))
            .add("  " + safe_text(finding.check, glyphs), Style::bold));
    lines.push_back(StyledLine{}.add(" subject   " + safe_text(finding.subject, glyphs)));
    lines.push_back(StyledLine{}.add(" summary   " + safe_text(finding.summary, glyphs)));
    if (finding.time) {
        lines.push_back(StyledLine{}.add(" when      " + format_clock(*finding.time) + " UTC"));
    }
    if (!finding.source.empty()) {
        lines.push_back(StyledLine{}.add(" rule from " + safe_text(finding.source, glyphs)));
    }
    lines.push_back(StyledLine{});
    lines.push_back(StyledLine{}.add(
        finding.evidence.empty() ? " No evidence recorded." : " Evidence", Style::heading));
    for (const auto& evidence : finding.evidence) {
        lines.push_back(StyledLine{}.add("   " + safe_text(evidence_text(evidence), glyphs)));
    }
    return lines;
}

std::string title_of(const std::string& domain) {
    if (domain == "disk") {
        return "Disks";
    }
    if (domain == "net") {
        return "Network";
    }
    if (domain == "mem") {
        return "Memory";
    }
    if (domain == "crash") {
        return "Crashes";
    }
    return domain;
}

// Subjects of a domain: those of its findings, and on the Network screen also every interface
// the counters name.
std::vector<SubjectRow> domain_subjects(const Snapshot& snapshot, std::size_t domain) {
    const Report* report = domain_report(snapshot, domain);
    if (report == nullptr) {
        return {};
    }
    auto rows = subjects_of(*report);
    if (snapshot.domains[domain].name == "net") {
        for (const auto& [device, samples] : snapshot.net_history) {
            const bool listed = std::any_of(rows.begin(), rows.end(), [&](const SubjectRow& row) {
                return row.subject == device;
            });
            if (!listed) {
                rows.push_back({device, Severity::ok, 0, "no finding"});
            }
        }
    }
    return rows;
}

std::string metric_text(const Metric& metric) {
    std::string labels;
    for (const auto& label : metric.labels) {
        labels += fmt::format("{}{}=\"{}\"", labels.empty() ? "" : ",", label.name, label.value);
    }
    // Counters are whole numbers: shown in full, not to four significant digits.
    const bool whole = std::abs(metric.value) < 1e15 && std::floor(metric.value) == metric.value;
    return fmt::format(
        "{}{{{}}} = {}", metric.name, labels,
        whole ? fmt::format("{:.0f}", metric.value) : to_display_string(metric.value));
}

// The lines of a subject screen, before scrolling: its findings with their evidence, the
// network history for an interface, then its counters.
std::vector<StyledLine> subject_detail(const Snapshot& snapshot, const ScreenState& screen,
                                       const Glyphs& glyphs) {
    std::vector<StyledLine> lines;
    const Report* report = domain_report(snapshot, screen.domain);
    if (report == nullptr) {
        lines.push_back(StyledLine{}.add(" no report from this domain yet", Style::dim));
        return lines;
    }
    for (const auto index : ranked_order(report->findings)) {
        const auto& finding = report->findings[index];
        if (finding.subject != screen.subject) {
            continue;
        }
        lines.push_back(StyledLine{}
                            .add(" ")
                            .add(pad(std::string(to_upper_string(finding.severity)), 9, glyphs),
                                 style_for(finding.severity))
                            .add(safe_text(finding.summary, glyphs), Style::bold)
                            .add("  [" + safe_text(finding.check, glyphs) + "]", Style::dim));
        for (const auto& evidence : finding.evidence) {
            lines.push_back(StyledLine{}.add("     " + safe_text(evidence_text(evidence), glyphs)));
        }
    }
    const auto history = snapshot.net_history.find(screen.subject);
    if (history != snapshot.net_history.end() && !history->second.empty()) {
        const auto& samples = history->second;
        lines.push_back(StyledLine{});
        lines.push_back(StyledLine{}.add(
            fmt::format(" Over the last {} refreshes, oldest first", samples.size()),
            Style::heading));
        lines.push_back(StyledLine{}
                            .add("   errors and drops  ")
                            .add(sparkline(increases(samples, &InterfaceSample::errors), glyphs),
                                 Style::warning));
        lines.push_back(
            StyledLine{}
                .add("   carrier changes   ")
                .add(sparkline(increases(samples, &InterfaceSample::carrier_changes), glyphs),
                     Style::warning));
    }
    const auto metrics = metrics_about(*report, screen.subject);
    if (!metrics.empty()) {
        lines.push_back(StyledLine{});
        lines.push_back(StyledLine{}.add(" Counters", Style::heading));
        for (const Metric* metric : metrics) {
            lines.push_back(StyledLine{}.add("   " + safe_text(metric_text(*metric), glyphs)));
        }
    }
    if (lines.empty()) {
        lines.push_back(StyledLine{}.add(
            " nothing about " + safe_text(screen.subject, glyphs) + " in the last report",
            Style::dim));
    }
    return lines;
}

std::vector<StyledLine> help_lines() {
    std::vector<StyledLine> lines;
    lines.push_back(StyledLine{}.add(" Keys", Style::heading));
    for (const auto& binding : key_map()) {
        lines.push_back(StyledLine{}
                            .add(fmt::format("   {:<20}", binding.keys), Style::bold)
                            .add(binding.meaning));
    }
    lines.push_back(StyledLine{});
    lines.push_back(StyledLine{}.add(
        " diag-top only reads: no key changes the machine. Severity is written out in every row,"));
    lines.push_back(
        StyledLine{}.add(" so it reads the same without colour (NO_COLOR, --color=never)."));
    return lines;
}

std::size_t row_count(const UiState& state, const ScreenState& screen, const Snapshot& snapshot,
                      const TimelineData* timeline) {
    switch (screen.kind) {
        case ScreenKind::overview:
            return state.pane == 0 ? snapshot.domains.size() : worst_findings(snapshot).size();
        case ScreenKind::domain: {
            const Report* report = domain_report(snapshot, screen.domain);
            return report == nullptr ? 0 : report->findings.size() + report->issues.size();
        }
        case ScreenKind::subjects: {
            const Report* report = domain_report(snapshot, screen.domain);
            return report == nullptr
                       ? 0
                       : domain_subjects(snapshot, screen.domain).size() + report->issues.size();
        }
        case ScreenKind::subject:
            return subject_detail(snapshot, screen, Glyphs{}).size();
        case ScreenKind::finding: {
            return finding_detail(snapshot, screen, Glyphs{}).size();
        }
        case ScreenKind::help:
            return help_lines().size();
        case ScreenKind::timeline:
            return timeline != nullptr && timeline->ready ? timeline->timeline.entries.size() : 0;
        case ScreenKind::context:
            return screen.rows.size();
        case ScreenKind::incidents:
            return timeline != nullptr && timeline->ready ? timeline->incidents.size() : 0;
    }
    return 0;
}

// The cursor row of the screen on top; on the overview it lives per pane.
std::size_t& cursor_of(UiState& state) {
    auto& screen = state.stack.back();
    if (screen.kind == ScreenKind::overview) {
        return state.pane_selected[state.pane];
    }
    return screen.selected;
}

void move_cursor(UiState& state, std::size_t rows, std::ptrdiff_t delta, std::size_t page) {
    auto& cursor = cursor_of(state);
    // Scroll-only screens move their first line; the rest keep a page of lines below it.
    const std::size_t last = is_scroll_only(state.stack.back().kind)
                                 ? (rows > page ? rows - page : 0)
                                 : (rows > 0 ? rows - 1 : 0);
    const auto moved = static_cast<std::ptrdiff_t>(cursor) + delta;
    cursor = static_cast<std::size_t>(
        std::clamp<std::ptrdiff_t>(moved, 0, static_cast<std::ptrdiff_t>(last)));
}

// Timeline entry index under the cursor of a timeline or context screen.
std::optional<std::size_t> entry_under_cursor(const ScreenState& screen) {
    if (screen.kind == ScreenKind::timeline) {
        return screen.selected;
    }
    if (screen.kind == ScreenKind::context && screen.selected < screen.rows.size()) {
        return screen.rows[screen.selected];
    }
    return std::nullopt;
}

// Puts the timeline's cursor on an entry; on a context screen only when the entry is shown.
void jump_to_entry(ScreenState& screen, std::size_t entry) {
    if (screen.kind == ScreenKind::timeline) {
        screen.selected = entry;
        return;
    }
    const auto it = std::find(screen.rows.begin(), screen.rows.end(), entry);
    if (it != screen.rows.end()) {
        screen.selected = static_cast<std::size_t>(it - screen.rows.begin());
    }
}

void open_timeline(UiState& state, std::optional<std::size_t> at) {
    ScreenState screen;
    screen.kind = ScreenKind::timeline;
    screen.selected = at.value_or(0);
    state.stack.push_back(screen);
}

// Enter on the Disks, Network, Memory or Crashes list.
void enter_subjects(UiState& state, const Snapshot& snapshot, const ScreenState& screen) {
    const Report* report = domain_report(snapshot, screen.domain);
    if (report == nullptr) {
        return;
    }
    const auto subjects = domain_subjects(snapshot, screen.domain);
    if (screen.selected < subjects.size()) {
        ScreenState next;
        next.kind = ScreenKind::subject;
        next.domain = screen.domain;
        next.subject = subjects[screen.selected].subject;
        state.stack.push_back(next);
    } else if (screen.selected - subjects.size() < report->issues.size()) {
        const auto& issue = report->issues[screen.selected - subjects.size()];
        state.message = issue.hint.empty() ? "no hint for this issue" : issue.hint;
    }
}

void enter_overview(UiState& state, const Snapshot& snapshot) {
    ScreenState next;
    if (state.pane == 0) {
        if (state.pane_selected[0] >= snapshot.domains.size()) {
            return;
        }
        next.domain = state.pane_selected[0];
        next.kind = has_subject_screen(snapshot.domains[next.domain].name) ? ScreenKind::subjects
                                                                           : ScreenKind::domain;
    } else {
        const auto worst = worst_findings(snapshot);
        if (state.pane_selected[1] >= worst.size()) {
            return;
        }
        next.kind = ScreenKind::finding;
        next.domain = worst[state.pane_selected[1]].first;
        next.finding = worst[state.pane_selected[1]].second;
    }
    state.stack.push_back(next);
}

void enter(UiState& state, const Snapshot& snapshot, const TimelineData* timeline) {
    const ScreenState screen = state.stack.back();
    switch (screen.kind) {
        case ScreenKind::overview:
            enter_overview(state, snapshot);
            return;
        case ScreenKind::domain: {
            const Report* report = domain_report(snapshot, screen.domain);
            if (report == nullptr) {
                return;
            }
            const auto order = ranked_order(report->findings);
            if (screen.selected < order.size()) {
                ScreenState next;
                next.kind = ScreenKind::finding;
                next.domain = screen.domain;
                next.finding = order[screen.selected];
                state.stack.push_back(next);
            } else if (screen.selected - order.size() < report->issues.size()) {
                const auto& issue = report->issues[screen.selected - order.size()];
                state.message = issue.hint.empty() ? "no hint for this issue" : issue.hint;
            }
            return;
        }
        case ScreenKind::timeline:
        case ScreenKind::context: {
            const auto entry = entry_under_cursor(screen);
            if (timeline == nullptr || !timeline->ready || !entry ||
                *entry >= timeline->timeline.entries.size()) {
                return;
            }
            ScreenState next;
            next.kind = ScreenKind::context;
            next.rows = entries_around(timeline->timeline.entries, *entry, kContextWindow);
            jump_to_entry(next, *entry);
            state.stack.push_back(next);
            return;
        }
        case ScreenKind::subjects:
            enter_subjects(state, snapshot, screen);
            return;
        case ScreenKind::incidents:
            if (timeline != nullptr && timeline->ready &&
                screen.selected < timeline->incidents.size()) {
                open_timeline(state, timeline->incidents[screen.selected].first_domino);
            }
            return;
        case ScreenKind::subject:
        case ScreenKind::finding:
        case ScreenKind::help:
            return;
    }
}

// n, N, e, E, w, W on a timeline or context screen.
void jump(UiState& state, Action action, const TimelineData* timeline) {
    auto& screen = state.stack.back();
    const auto from = entry_under_cursor(screen);
    if (!from || timeline == nullptr || !timeline->ready) {
        state.message = "n, N, e, E, w and W work on the timeline (t)";
        return;
    }
    const auto& entries = timeline->timeline.entries;
    const bool forwards = action == Action::next_match || action == Action::next_error ||
                          action == Action::next_warning;
    std::optional<std::size_t> found;
    std::string what;
    if (action == Action::next_match || action == Action::previous_match) {
        found = find_text(entries, *from, state.search, forwards);
        what =
            state.search.empty() ? "no search yet: press /" : "no match for '" + state.search + "'";
    } else {
        const Tone tone = action == Action::next_error || action == Action::previous_error
                              ? Tone::error
                              : Tone::warning;
        found = find_tone(entries, timeline->rules, *from, tone, forwards);
        what = tone == Tone::error ? "no error" : "no warning";
        what += forwards ? " below" : " above";
    }
    // On a context screen only the entries shown count.
    if (found && screen.kind == ScreenKind::context &&
        std::find(screen.rows.begin(), screen.rows.end(), *found) == screen.rows.end()) {
        found.reset();
    }
    if (!found) {
        state.message = what;
        return;
    }
    jump_to_entry(screen, *found);
}

// Typing after 'f': Enter opens the lines that contain the text, as their own list.
void handle_filter_typing(UiState& state, Key key, const TimelineData* timeline) {
    if (key.code == Key::kEscape) {
        state.typing_filter = false;
    } else if (key.code == Key::kBackspace) {
        if (!state.search_input.empty()) {
            state.search_input.pop_back();
        }
    } else if (key.code == Key::kEnter) {
        state.typing_filter = false;
        if (timeline == nullptr || !timeline->ready || state.search_input.empty()) {
            return;
        }
        ScreenState filtered;
        filtered.kind = ScreenKind::context;
        filtered.rows = matching_entries(timeline->timeline.entries, state.search_input);
        filtered.title = fmt::format(" Lines containing '{}': {} of {}", state.search_input,
                                     filtered.rows.size(), timeline->timeline.entries.size());
        state.stack.push_back(filtered);
    } else if (key.code >= ' ' && key.code < 0x7f) {
        state.search_input += static_cast<char>(key.code);
    }
}

Requests handle_search_typing(UiState& state, Key key, const TimelineData* timeline) {
    if (key.code == Key::kEscape) {
        state.typing_search = false;
        state.message.clear();
    } else if (key.code == Key::kBackspace) {
        if (!state.search_input.empty()) {
            state.search_input.pop_back();
        }
    } else if (key.code == Key::kEnter) {
        state.typing_search = false;
        state.search = state.search_input;
        auto& screen = state.stack.back();
        // The search starts at the cursor's row itself.
        const auto from = entry_under_cursor(screen).value_or(0);
        if (timeline != nullptr && timeline->ready) {
            const auto& entries = timeline->timeline.entries;
            // Searching backwards from the next row finds the cursor's row first.
            const bool here = find_text(entries, from + 1, state.search, false) == from;
            const auto found =
                here ? std::optional(from) : find_text(entries, from, state.search, true);
            if (found) {
                jump_to_entry(screen, *found);
            } else {
                state.message = "no match for '" + state.search + "'";
            }
        }
    } else if (key.code >= ' ' && key.code < 0x7f) {
        state.search_input += static_cast<char>(key.code);
    }
    return {};
}

// The cursor keys.
void move(UiState& state, Action action, std::size_t rows, std::size_t page) {
    const auto signed_rows = static_cast<std::ptrdiff_t>(rows);
    const auto signed_page = static_cast<std::ptrdiff_t>(page);
    std::ptrdiff_t delta = 0;
    switch (action) {
        case Action::up:
            delta = -1;
            break;
        case Action::down:
            delta = 1;
            break;
        case Action::top:
            delta = -signed_rows - 1;
            break;
        case Action::bottom:
            delta = signed_rows + 1;
            break;
        case Action::page_up:
            delta = -signed_page;
            break;
        case Action::page_down:
            delta = signed_page;
            break;
        default:
            return;
    }
    move_cursor(state, rows, delta, page);
}

// The keys that are requests to the model or the terminal.
Requests model_request(Action action) {
    Requests requests;
    requests.toggle_pause = action == Action::pause;
    requests.interval_step = action == Action::slower ? 1 : (action == Action::faster ? -1 : 0);
    requests.redraw = action == Action::redraw;
    return requests;
}

// The keys that open a screen or a prompt.
Requests open_screen(UiState& state, Action action) {
    Requests requests;
    const ScreenKind kind = state.stack.back().kind;
    const bool on_entries = entry_under_cursor(state.stack.back()).has_value();
    switch (action) {
        case Action::help:
            if (kind != ScreenKind::help) {
                state.stack.push_back(screen_of(ScreenKind::help));
            }
            break;
        case Action::timeline:
            requests.need_timeline = true;
            if (kind != ScreenKind::timeline) {
                open_timeline(state, std::nullopt);
            }
            break;
        case Action::incidents:
            requests.need_timeline = true;
            if (kind != ScreenKind::incidents) {
                state.stack.push_back(screen_of(ScreenKind::incidents));
            }
            break;
        case Action::search:
        case Action::filter:
            if (!on_entries) {
                state.message = action == Action::search ? "/ searches the timeline: press t first"
                                                         : "f filters the timeline: press t first";
                break;
            }
            state.typing_search = action == Action::search;
            state.typing_filter = action == Action::filter;
            state.search_input.clear();
            break;
        default:
            break;
    }
    return requests;
}

}  // namespace

bool has_subject_screen(const std::string& domain) {
    return domain == "disk" || domain == "net" || domain == "mem" || domain == "crash";
}

std::vector<std::pair<std::size_t, std::size_t>> worst_findings(const Snapshot& snapshot) {
    std::vector<std::pair<std::size_t, std::size_t>> worst;
    for (std::size_t d = 0; d < snapshot.domains.size(); ++d) {
        const auto& report = snapshot.domains[d].report;
        if (!report) {
            continue;
        }
        for (std::size_t f = 0; f < report->findings.size(); ++f) {
            if (report->findings[f].severity >= Severity::warning) {
                worst.emplace_back(d, f);
            }
        }
    }
    std::stable_sort(worst.begin(), worst.end(), [&](const auto& a, const auto& b) {
        return snapshot.domains[a.first].report->findings[a.second].severity >
               snapshot.domains[b.first].report->findings[b.second].severity;
    });
    return worst;
}

Requests handle_key(UiState& state, Key key, const Snapshot& snapshot, const TimelineData* timeline,
                    const Area& area) {
    if (state.typing_search) {
        return handle_search_typing(state, key, timeline);
    }
    if (state.typing_filter) {
        handle_filter_typing(state, key, timeline);
        return {};
    }
    state.message.clear();
    Requests requests;
    const std::size_t page = body_rows(area);
    const std::size_t rows = row_count(state, state.stack.back(), snapshot, timeline);
    switch (action_for(key)) {
        case Action::none:
            break;
        case Action::enter:
            enter(state, snapshot, timeline);
            break;
        case Action::back:
            if (state.stack.size() > 1) {
                state.stack.pop_back();
            } else {
                state.message = "this is the first screen: Q quits";
            }
            break;
        case Action::quit:
            state.quit = true;
            break;
        case Action::up:
        case Action::down:
        case Action::top:
        case Action::bottom:
        case Action::page_up:
        case Action::page_down:
            move(state, action_for(key), rows, page);
            break;
        case Action::next_pane:
            if (state.stack.back().kind == ScreenKind::overview) {
                state.pane = 1 - state.pane;
            }
            break;
        case Action::pause:
        case Action::faster:
        case Action::slower:
        case Action::redraw:
            requests = model_request(action_for(key));
            break;
        case Action::help:
        case Action::timeline:
        case Action::incidents:
        case Action::search:
        case Action::filter:
            requests = open_screen(state, action_for(key));
            break;
        case Action::next_match:
        case Action::previous_match:
        case Action::next_error:
        case Action::previous_error:
        case Action::next_warning:
        case Action::previous_warning:
            jump(state, action_for(key), timeline);
            break;
    }
    return requests;
}

namespace {

// Keeps the cursor's row in the page and returns the lines of the page.
std::vector<StyledLine> page_of(const std::vector<StyledLine>& rows, ScreenState& screen,
                                std::size_t page, bool scroll_only) {
    if (scroll_only) {
        screen.top = rows.size() > page ? std::min(screen.selected, rows.size() - page) : 0;
    } else {
        if (!rows.empty()) {
            screen.selected = std::min(screen.selected, rows.size() - 1);
        }
        if (screen.selected < screen.top) {
            screen.top = screen.selected;
        } else if (screen.selected >= screen.top + page) {
            screen.top = screen.selected - page + 1;
        }
        screen.top = rows.size() > page ? std::min(screen.top, rows.size() - page) : 0;
    }
    std::vector<StyledLine> shown;
    for (std::size_t i = screen.top; i < rows.size() && shown.size() < page; ++i) {
        shown.push_back(rows[i]);
    }
    return shown;
}

// The report's issues as list rows after `rows`, the one at `selected` marked.
void add_issue_rows(std::vector<StyledLine>& rows, const Report& report, std::size_t selected,
                    const Glyphs& glyphs) {
    for (const auto& issue : report.issues) {
        StyledLine row;
        row.add(pad("ISSUE", 9, glyphs),
                issue.level == IssueLevel::error ? Style::stale : Style::dim);
        row.add(safe_text(describe(issue), glyphs));
        rows.push_back(cursor_row(row, rows.size() == selected, glyphs));
    }
}

StyledLine title_line(std::string text) {
    StyledLine line;
    line.add(std::move(text), Style::heading);
    line.fill = Style::heading;
    return line;
}

StyledLine cut_line(StyledLine line, std::size_t columns, const Glyphs& glyphs) {
    std::size_t used = 0;
    std::vector<Span> kept;
    for (auto& span : line.spans) {
        if (used >= columns) {
            break;
        }
        span.text = fit(span.text, columns - used, glyphs);
        used += display_width(span.text);
        kept.push_back(std::move(span));
    }
    line.spans = std::move(kept);
    return line;
}

std::vector<StyledLine> domain_body(const Snapshot& snapshot, ScreenState& screen, std::size_t page,
                                    const Glyphs& glyphs) {
    const auto& domain = snapshot.domains.at(screen.domain);
    std::vector<StyledLine> body;
    const Report* report = domain_report(snapshot, screen.domain);
    body.push_back(title_line(fmt::format(" {}: {} findings, {} issues{}  ({})", domain.name,
                                          report == nullptr ? 0 : report->findings.size(),
                                          report == nullptr ? 0 : report->issues.size(),
                                          domain.status == DomainStatus::stale ? ", STALE" : "",
                                          domain.description)));
    if (report == nullptr) {
        body.push_back(
            StyledLine{}.add(domain.status == DomainStatus::stale
                                 ? fmt::format(" no answer within {} ms yet", domain.limit.count())
                                 : " collecting...",
                             Style::dim));
        return body;
    }
    std::vector<StyledLine> rows;
    const auto order = ranked_order(report->findings);
    for (const auto index : order) {
        const auto& finding = report->findings[index];
        StyledLine row;
        row.add(pad(std::string(to_upper_string(finding.severity)), 9, glyphs),
                style_for(finding.severity));
        row.add(safe_text(finding.subject + ": " + finding.summary, glyphs));
        row.add("  [" + safe_text(finding.check, glyphs) + "]", Style::dim);
        rows.push_back(cursor_row(row, rows.size() == screen.selected, glyphs));
    }
    add_issue_rows(rows, *report, screen.selected, glyphs);
    if (rows.empty()) {
        body.push_back(StyledLine{}.add(" nothing found and nothing failed", Style::dim));
    }
    auto shown = page_of(rows, screen, page - 1, false);
    body.insert(body.end(), shown.begin(), shown.end());
    return body;
}

StyledLine timeline_row(const TimelineData& data, std::size_t index, bool selected,
                        const Glyphs& glyphs) {
    const auto& entry = data.timeline.entries[index];
    const Tone tone = tone_of(entry, data.rules);
    StyledLine row;
    static constexpr const char* kToneMark[] = {"    ", "info", "WARN", "ERR "};
    static constexpr Style kToneStyle[] = {Style::plain, Style::info, Style::warning,
                                           Style::critical};
    const auto tone_index = static_cast<std::size_t>(tone);
    row.add(kToneMark[tone_index], kToneStyle[tone_index]);
    const auto& time = entry.record.time ? entry.record.time : entry.sort_time;
    // "03-10 14:02:11" of "2024-03-10 14:02:11.123456".
    row.add(time ? " " + logs::format_local_time(*time, data.zone).substr(5, 14)
                 : std::string(" --------------"),
            Style::dim);
    auto source = entry.record.source;
    if (const auto slash = source.rfind('/'); slash != std::string::npos) {
        source = source.substr(slash + 1);
    }
    row.add(" " + pad(safe_text(source, glyphs), 10, glyphs), Style::dim);
    std::string program = entry.record.program;
    if (entry.record.pid) {
        program += fmt::format("[{}]", *entry.record.pid);
    }
    const auto& message = entry.record.message;
    const auto first_line = std::string_view(message).substr(0, message.find('\n'));
    row.add(" " + safe_text(program.empty() ? std::string(first_line)
                                            : program + ": " + std::string(first_line),
                            glyphs),
            tone >= Tone::warning ? Style::bold : Style::plain);
    return cursor_row(row, selected, glyphs);
}

// ", reading 312 of 1000 MB" while the whole logs are read.
std::string reading_text(const Snapshot& snapshot) {
    if (!snapshot.logs_progress) {
        return {};
    }
    constexpr double kMegabyte = 1e6;
    return fmt::format(", reading {:.0f} of {:.0f} MB",
                       static_cast<double>(snapshot.logs_progress->first) / kMegabyte,
                       static_cast<double>(snapshot.logs_progress->second) / kMegabyte);
}

std::vector<StyledLine> timeline_body(const UiState& state, const Snapshot& snapshot,
                                      ScreenState& screen, const TimelineData* data,
                                      std::size_t page, const Glyphs& glyphs) {
    std::vector<StyledLine> body;
    if (data == nullptr || !data->ready) {
        body.push_back(title_line(" Timeline"));
        body.push_back(StyledLine{}.add(" reading the logs...", Style::dim));
        return body;
    }
    const auto& entries = data->timeline.entries;
    if (screen.kind == ScreenKind::timeline) {
        body.push_back(title_line(fmt::format(
            " Timeline: {}{} entries from {} sources{}{}", data->complete ? "" : "first look, ",
            entries.size(), data->timeline.sources.size(), reading_text(snapshot),
            state.search.empty() ? "" : ", search '" + safe_text(state.search, glyphs) + "'")));
    } else {
        body.push_back(
            title_line(!screen.title.empty()
                           ? safe_text(screen.title, glyphs)
                           : fmt::format(" Every source within {} s of the event: {} entries",
                                         kContextWindow.count(), screen.rows.size())));
    }
    std::vector<StyledLine> rows;
    if (screen.kind == ScreenKind::timeline) {
        // Only the page is formatted: a timeline can hold half a million entries.
        if (!entries.empty()) {
            screen.selected = std::min(screen.selected, entries.size() - 1);
        }
        ScreenState probe = screen;
        std::vector<StyledLine> placeholders(entries.size());
        page_of(placeholders, probe, page - 1, false);
        screen.top = probe.top;
        for (std::size_t i = screen.top; i < entries.size() && rows.size() < page - 1; ++i) {
            rows.push_back(timeline_row(*data, i, i == screen.selected, glyphs));
        }
        body.insert(body.end(), rows.begin(), rows.end());
    } else {
        for (std::size_t i = 0; i < screen.rows.size(); ++i) {
            rows.push_back(timeline_row(*data, screen.rows[i], i == screen.selected, glyphs));
        }
        auto shown = page_of(rows, screen, page - 1, false);
        body.insert(body.end(), shown.begin(), shown.end());
    }
    if (entries.empty()) {
        body.push_back(StyledLine{}.add(" no log records under this root", Style::dim));
        for (const auto& issue : data->issues) {
            body.push_back(
                StyledLine{}.add(" ISSUE ", Style::stale).add(safe_text(describe(issue), glyphs)));
        }
    }
    return body;
}

std::vector<StyledLine> incidents_body(ScreenState& screen, const TimelineData* data,
                                       std::size_t page, const Glyphs& glyphs) {
    std::vector<StyledLine> body;
    if (data == nullptr || !data->ready) {
        body.push_back(title_line(" Incidents"));
        body.push_back(StyledLine{}.add(" reading the logs...", Style::dim));
        return body;
    }
    body.push_back(title_line(
        fmt::format(" Incidents: {} bursts of classified events", data->incidents.size())));
    std::vector<StyledLine> rows;
    for (const auto& incident : data->incidents) {
        StyledLine row;
        row.add(pad(std::string(to_upper_string(incident.severity)), 9, glyphs),
                style_for(incident.severity));
        row.add(logs::format_local_time(incident.start, data->zone).substr(5, 14) + " .. " +
                    logs::format_local_time(incident.end, data->zone).substr(11, 8),
                Style::dim);
        row.add(fmt::format(" {:4} events  ", incident.events.size()));
        const auto& first = data->timeline.entries.at(incident.first_domino).record;
        const auto& message = first.message;
        row.add(safe_text(message.substr(0, message.find('\n')), glyphs));
        rows.push_back(cursor_row(row, rows.size() == screen.selected, glyphs));
    }
    if (rows.empty()) {
        body.push_back(StyledLine{}.add(" no incidents in these logs", Style::dim));
    }
    auto shown = page_of(rows, screen, page - 1, false);
    body.insert(body.end(), shown.begin(), shown.end());
    return body;
}

// The value of a finding's evidence as text, empty when it has none by that key.
std::string evidence_value(const Finding& finding, std::string_view key) {
    for (const auto& evidence : finding.evidence) {
        if (evidence.key == key) {
            return to_display_string(evidence.value);
        }
    }
    return {};
}

// The Memory screen's table: each module EDAC counted errors on, and the last memory test.
std::vector<StyledLine> memory_table(const Report& report, const Glyphs& glyphs) {
    std::vector<StyledLine> lines;
    lines.push_back(StyledLine{}.add(
        "  EDAC MODULE      LOCATION              CORRECTED UNCORRECTED", Style::bold));
    std::size_t modules = 0;
    for (const auto index : ranked_order(report.findings)) {
        const auto& finding = report.findings[index];
        if (finding.check != "mem.edac.module") {
            continue;
        }
        ++modules;
        lines.push_back(
            StyledLine{}
                .add("  " + pad(safe_text(evidence_value(finding, "label"), glyphs), 16, glyphs) +
                     " " + pad(safe_text(evidence_value(finding, "location"), glyphs), 21, glyphs))
                .add(fmt::format(" {:>9} {:>11}", evidence_value(finding, "corrected_errors"),
                                 evidence_value(finding, "uncorrected_errors")),
                     style_for(finding.severity)));
    }
    if (modules == 0) {
        lines.push_back(StyledLine{}.add("  no module with errors counted by EDAC", Style::dim));
    }
    const auto test = std::find_if(report.findings.begin(), report.findings.end(),
                                   [](const Finding& f) { return f.check == "mem.test.last"; });
    lines.push_back(
        StyledLine{}.add(test == report.findings.end()
                             ? std::string("  Last memory test: none recorded (diag-mem runs one)")
                             : "  Last memory test: " + safe_text(test->summary, glyphs)));
    lines.push_back(StyledLine{});
    return lines;
}

StyledLine network_row(const Snapshot& snapshot, const SubjectRow& subject, const Glyphs& glyphs) {
    StyledLine row;
    row.add(pad(std::string(to_upper_string(subject.worst)), 9, glyphs), style_for(subject.worst));
    row.add(pad(safe_text(subject.subject, glyphs), 12, glyphs) + " ", Style::bold);
    const auto history = snapshot.net_history.find(subject.subject);
    if (history == snapshot.net_history.end()) {
        row.add(safe_text(subject.summary, glyphs));
        return row;
    }
    const auto& samples = history->second;
    const auto rate_text = [&](std::optional<double> InterfaceSample::*counter) {
        const auto rate = last_rate(samples, counter);
        return pad(rate ? format_rate(*rate) : std::string("-"), 11, glyphs);
    };
    const auto& carrier = samples.back().carrier;
    row.add(pad(!carrier ? "?" : (*carrier > 0 ? "up" : "DOWN"), 5, glyphs),
            carrier && *carrier == 0 ? Style::critical : Style::plain);
    row.add(rate_text(&InterfaceSample::rx_bytes) + rate_text(&InterfaceSample::tx_bytes));
    row.add(sparkline(increases(samples, &InterfaceSample::errors), glyphs), Style::warning);
    row.add("  " + safe_text(subject.summary, glyphs));
    return row;
}

std::vector<StyledLine> subjects_body(const Snapshot& snapshot, ScreenState& screen,
                                      std::size_t page, const Glyphs& glyphs) {
    const auto& domain = snapshot.domains.at(screen.domain);
    const Report* report = domain_report(snapshot, screen.domain);
    const auto subjects = domain_subjects(snapshot, screen.domain);
    std::vector<StyledLine> body;
    body.push_back(
        title_line(fmt::format(" {}: {} subjects, {} issues{}", title_of(domain.name),
                               subjects.size(), report == nullptr ? 0 : report->issues.size(),
                               domain.status == DomainStatus::stale ? ", STALE" : "")));
    if (report == nullptr) {
        body.push_back(StyledLine{}.add(" collecting...", Style::dim));
        return body;
    }
    const bool network = domain.name == "net";
    if (domain.name == "mem") {
        auto table = memory_table(*report, glyphs);
        body.insert(body.end(), table.begin(), table.end());
    }
    if (network) {
        body.push_back(StyledLine{}.add(
            "  STATE    INTERFACE    LINK RX         TX         ERRORS AND DROPS, PER REFRESH",
            Style::bold));
    }
    std::vector<StyledLine> rows;
    for (const auto& subject : subjects) {
        StyledLine row;
        if (network) {
            row = network_row(snapshot, subject, glyphs);
        } else {
            row.add(pad(std::string(to_upper_string(subject.worst)), 9, glyphs),
                    style_for(subject.worst));
            row.add(pad(safe_text(subject.subject, glyphs), 16, glyphs) + " ", Style::bold);
            row.add(fmt::format("{:3}  ", subject.finding_count));
            row.add(safe_text(subject.summary, glyphs));
        }
        rows.push_back(cursor_row(row, rows.size() == screen.selected, glyphs));
    }
    add_issue_rows(rows, *report, screen.selected, glyphs);
    auto shown = page_of(rows, screen, page - body.size(), false);
    body.insert(body.end(), shown.begin(), shown.end());
    return body;
}

std::vector<StyledLine> body_of(UiState& state, const Snapshot& snapshot,
                                const TimelineData* timeline, const Area& area,
                                const Glyphs& glyphs) {
    auto& screen = state.stack.back();
    const std::size_t page = body_rows(area);
    switch (screen.kind) {
        case ScreenKind::overview: {
            const auto worst = worst_findings(snapshot);
            for (auto& selected : state.pane_selected) {
                const std::size_t rows =
                    &selected == &state.pane_selected[0] ? snapshot.domains.size() : worst.size();
                selected = rows == 0 ? 0 : std::min(selected, rows - 1);
            }
            return overview_lines(
                snapshot, worst,
                OverviewCursor{state.pane, state.pane_selected[0], state.pane_selected[1]},
                Area{area.columns, page}, glyphs);
        }
        case ScreenKind::domain:
            return domain_body(snapshot, screen, page, glyphs);
        case ScreenKind::subjects:
            return subjects_body(snapshot, screen, page, glyphs);
        case ScreenKind::subject: {
            auto lines = page_of(subject_detail(snapshot, screen, glyphs), screen, page - 1, true);
            lines.insert(lines.begin(),
                         title_line(" " + title_of(snapshot.domains.at(screen.domain).name) + ": " +
                                    safe_text(screen.subject, glyphs)));
            return lines;
        }
        case ScreenKind::finding:
            return page_of(finding_detail(snapshot, screen, glyphs), screen, page, true);
        case ScreenKind::help:
            return page_of(help_lines(), screen, page, true);
        case ScreenKind::timeline:
        case ScreenKind::context:
            return timeline_body(state, snapshot, screen, timeline, page, glyphs);
        case ScreenKind::incidents:
            return incidents_body(screen, timeline, page, glyphs);
    }
    return {};
}

std::string hints_for(const UiState& state) {
    switch (state.stack.back().kind) {
        case ScreenKind::overview:
            return " h:Help Enter:Open Tab:Pane t:Timeline i:Incidents z:Pause +/-:Interval "
                   "Q:Quit";
        case ScreenKind::domain:
        case ScreenKind::subjects:
            return " h:Help Enter:Evidence q:Back j/k:Move g/G:Ends t:Timeline Q:Quit";
        case ScreenKind::subject:
        case ScreenKind::finding:
        case ScreenKind::help:
            return " q:Back j/k:Scroll PgUp/PgDn:Page Q:Quit";
        case ScreenKind::timeline:
        case ScreenKind::context:
            return " Enter:Around /:Search f:Filter n/N:Match e/E:Error w/W:Warning q:Back Q:Quit";
        case ScreenKind::incidents:
            return " Enter:Timeline j/k:Move q:Back h:Help Q:Quit";
    }
    return {};
}

std::vector<StyledLine> too_small(const Area& area) {
    std::vector<StyledLine> lines(area.rows);
    const auto message =
        fmt::format("diag-top needs {}x{} at least; this terminal is {}x{}.", kMinimumArea.columns,
                    kMinimumArea.rows, area.columns, area.rows);
    if (!lines.empty()) {
        lines.front().add(message, Style::bold);
    }
    if (lines.size() > 1) {
        lines[1].add("Make it larger, or press Q to quit.");
    }
    return lines;
}

}  // namespace

std::vector<StyledLine> compose_screen(UiState& state, const Snapshot& snapshot,
                                       const TimelineData* timeline, const Area& area,
                                       const Glyphs& glyphs) {
    if (area.columns < kMinimumArea.columns || area.rows < kMinimumArea.rows) {
        return too_small(area);
    }
    auto lines = header_lines(snapshot, area.columns, glyphs);
    auto body = body_of(state, snapshot, timeline, area, glyphs);
    body.resize(body_rows(area));
    lines.insert(lines.end(), body.begin(), body.end());

    StyledLine status;
    if (state.typing_search) {
        status.add("/" + safe_text(state.search_input, glyphs) + "_", Style::bold);
    } else if (state.typing_filter) {
        status.add("filter: " + safe_text(state.search_input, glyphs) + "_", Style::bold);
    } else if (!state.message.empty()) {
        status.add(" " + safe_text(state.message, glyphs), Style::bold);
    }
    lines.push_back(status);
    StyledLine hints;
    hints.add(hints_for(state), Style::hint);
    hints.fill = Style::hint;
    lines.push_back(hints);
    for (auto& line : lines) {
        line = cut_line(std::move(line), area.columns, glyphs);
    }
    return lines;
}

}  // namespace diag::tui
