#include <diag/tui/screens.hpp>

#include <catch2/catch.hpp>

namespace {

using namespace diag;
using namespace diag::tui;

logs::UtcTime at(int hour, int minute, int second) {
    return logs::UtcTime{std::chrono::sys_days{std::chrono::year{2026} / 12 / 3}} +
           std::chrono::hours{hour} + std::chrono::minutes{minute} + std::chrono::seconds{second};
}

logs::TimelineEntry entry(logs::UtcTime time, std::string source, std::string program,
                          std::string message, std::optional<logs::LogLevel> level = {},
                          std::optional<std::size_t> rule = {}) {
    logs::TimelineEntry e;
    e.record.time = time;
    e.sort_time = time;
    e.record.source = std::move(source);
    e.record.program = std::move(program);
    e.record.message = std::move(message);
    e.record.level = level;
    if (rule) {
        e.matches.push_back({*rule, {}});
    }
    return e;
}

// Two rules (critical, warning) and six entries over two sources, the fourth far later.
TimelineData sample_timeline() {
    TimelineData data;
    data.ready = true;
    data.rules.push_back({"disk.io_error", "disk", Severity::critical, "", "", {}, "", "", "", ""});
    data.rules.push_back({"net.flap", "network", Severity::warning, "", "", {}, "", "", "", ""});
    auto& entries = data.timeline.entries;
    entries.push_back(entry(at(10, 0, 0), "/var/log/syslog", "cron", "job started"));
    entries.push_back(
        entry(at(10, 0, 10), "/var/log/kern.log", "kernel", "eth0: link down", std::nullopt, 1));
    entries.push_back(entry(at(10, 0, 30), "/var/log/kern.log", "kernel",
                            "I/O error, dev sda, sector 42", std::nullopt, 0));
    entries.push_back(entry(at(11, 0, 0), "/var/log/syslog", "nginx", "worker \x1b[31mred",
                            logs::LogLevel::error));
    entries.push_back(
        entry(at(11, 0, 5), "/var/log/syslog", "sshd", "Accepted key", logs::LogLevel::info));
    entries.push_back(entry(at(11, 0, 6), "/var/log/syslog", "sshd", "session opened"));
    data.timeline.sources.resize(2);
    logs::Incident incident;
    incident.start = at(10, 0, 10);
    incident.end = at(10, 0, 30);
    incident.events = {1, 2};
    incident.first_domino = 2;
    incident.severity = Severity::critical;
    data.incidents.push_back(incident);
    return data;
}

Requests press(UiState& state, int code, const TimelineData& data) {
    return handle_key(state, Key{code}, Snapshot{}, &data, Area{80, 24});
}

std::size_t cursor(const UiState& state) {
    return state.stack.back().selected;
}

}  // namespace

TEST_CASE("tui timeline: tone is the worse of the matched rules and the record's level") {
    const auto data = sample_timeline();
    const auto& entries = data.timeline.entries;
    CHECK(tone_of(entries[0], data.rules) == Tone::plain);
    CHECK(tone_of(entries[1], data.rules) == Tone::warning);
    CHECK(tone_of(entries[2], data.rules) == Tone::error);
    CHECK(tone_of(entries[3], data.rules) == Tone::error);
    CHECK(tone_of(entries[4], data.rules) == Tone::info);
}

TEST_CASE("tui timeline: entries are shown with tone, time, source and program, escaped") {
    const auto data = sample_timeline();
    UiState state;
    press(state, 't', data);
    const auto text =
        to_text(compose_screen(state, Snapshot{}, &data, Area{80, 24}, Glyphs{false}));
    CHECK(text.find(" Timeline: 6 entries from 2 sources") != std::string::npos);
    CHECK(text.find(">     12-03 10:00:00 syslog     cron: job started") != std::string::npos);
    CHECK(text.find(" WARN 12-03 10:00:10 kern.log   kernel: eth0: link down") !=
          std::string::npos);
    CHECK(text.find(" ERR  12-03 10:00:30 kern.log   kernel: I/O error") != std::string::npos);
    CHECK(text.find("nginx: worker \\x1b[31mred") != std::string::npos);
    CHECK(text.find('\x1b') == std::string::npos);
}

TEST_CASE("tui timeline: e and E jump between errors, w and W between warnings and worse") {
    const auto data = sample_timeline();
    UiState state;
    press(state, 't', data);
    press(state, 'e', data);
    CHECK(cursor(state) == 2);
    press(state, 'e', data);
    CHECK(cursor(state) == 3);
    press(state, 'e', data);
    CHECK(cursor(state) == 3);
    CHECK(state.message == "no error below");
    press(state, 'W', data);
    CHECK(cursor(state) == 2);
    press(state, 'W', data);
    CHECK(cursor(state) == 1);
    press(state, 'E', data);
    CHECK(cursor(state) == 1);
    CHECK(state.message == "no error above");
}

TEST_CASE("tui timeline: / searches from the cursor, n and N go to the next and previous match") {
    const auto data = sample_timeline();
    UiState state;
    press(state, 't', data);
    press(state, '/', data);
    REQUIRE(state.typing_search);
    for (const char c : std::string("SSHD")) {
        press(state, c, data);
    }
    const auto prompt = to_text(compose_screen(state, Snapshot{}, &data, Area{80, 24}, Glyphs{}));
    CHECK(prompt.find("/SSHD_") != std::string::npos);
    press(state, Key::kEnter, data);
    CHECK_FALSE(state.typing_search);
    CHECK(cursor(state) == 4);
    press(state, 'n', data);
    CHECK(cursor(state) == 5);
    press(state, 'n', data);
    CHECK(cursor(state) == 5);
    CHECK(state.message == "no match for 'SSHD'");
    press(state, 'N', data);
    CHECK(cursor(state) == 4);
}

TEST_CASE("tui timeline: Enter on an event shows what every source said around it") {
    const auto data = sample_timeline();
    UiState state;
    press(state, 't', data);
    press(state, 'j', data);
    press(state, 'j', data);
    press(state, Key::kEnter, data);
    REQUIRE(state.stack.back().kind == ScreenKind::context);
    // Within 60 s of 10:00:30: both sources' entries of 10:00, none of 11:00.
    CHECK(state.stack.back().rows == std::vector<std::size_t>{0, 1, 2});
    CHECK(cursor(state) == 2);
    const auto text = to_text(compose_screen(state, Snapshot{}, &data, Area{80, 24}, Glyphs{}));
    CHECK(text.find("Every source within 60 s of the event: 3 entries") != std::string::npos);
    CHECK(text.find("nginx") == std::string::npos);
}

TEST_CASE("tui incidents: each incident opens its timeline at the first domino") {
    const auto data = sample_timeline();
    UiState state;
    CHECK(press(state, 'i', data).need_timeline);
    const auto text =
        to_text(compose_screen(state, Snapshot{}, &data, Area{80, 24}, Glyphs{false}));
    CHECK(text.find(">CRITICAL 12-03 10:00:10 .. 10:00:30    2 events  I/O error, dev sda") !=
          std::string::npos);
    press(state, Key::kEnter, data);
    REQUIRE(state.stack.back().kind == ScreenKind::timeline);
    CHECK(cursor(state) == 2);
}

TEST_CASE("tui timeline: a timeline still being read says so") {
    UiState state;
    handle_key(state, Key{'t'}, Snapshot{}, nullptr, Area{80, 24});
    const auto text = to_text(compose_screen(state, Snapshot{}, nullptr, Area{80, 24}, Glyphs{}));
    CHECK(text.find("reading the logs...") != std::string::npos);
}

TEST_CASE("tui timeline: f keeps the lines that contain a text, as a list of their own") {
    const auto data = sample_timeline();
    UiState state;
    press(state, 't', data);
    press(state, 'f', data);
    REQUIRE(state.typing_filter);
    for (const char c : std::string("kernel")) {
        press(state, c, data);
    }
    const auto prompt = to_text(compose_screen(state, Snapshot{}, &data, Area{80, 24}, Glyphs{}));
    CHECK(prompt.find("filter: kernel_") != std::string::npos);
    press(state, Key::kEnter, data);
    REQUIRE(state.stack.back().kind == ScreenKind::context);
    CHECK(state.stack.back().rows == std::vector<std::size_t>{1, 2});
    const auto text = to_text(compose_screen(state, Snapshot{}, &data, Area{80, 24}, Glyphs{}));
    CHECK(text.find("Lines containing 'kernel': 2 of 6") != std::string::npos);
    CHECK(text.find("cron") == std::string::npos);
    // e stays within the filtered lines.
    press(state, 'e', data);
    CHECK(cursor(state) == 1);
    press(state, 'e', data);
    CHECK(state.message == "no error below");
    press(state, 'q', data);
    CHECK(state.stack.back().kind == ScreenKind::timeline);
}
