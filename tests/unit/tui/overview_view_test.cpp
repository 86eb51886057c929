#include <diag/tui/overview_view.hpp>
#include <diag/tui/screens.hpp>

#include <algorithm>

#include <catch2/catch.hpp>

namespace {

using namespace diag;
using namespace diag::tui;

Snapshot sample_snapshot() {
    Snapshot snapshot;
    snapshot.host = "web1";
    snapshot.kernel = "6.1.0-13-amd64";
    snapshot.uptime_seconds = 3 * 86400 + 4 * 3600 + 12 * 60 + 5.5;
    snapshot.now = std::chrono::sys_days{std::chrono::year{2026} / 12 / 4} + std::chrono::hours{8} +
                   std::chrono::minutes{10} + std::chrono::seconds{22};
    snapshot.live = false;
    snapshot.root = "/srv/capture";

    DomainState sys{"sys", "memory and more", DomainStatus::fresh, Report{}, {}, {}};
    sys.report->findings.push_back({Severity::critical,
                                    "sys.fs.read_only",
                                    "/",
                                    "ext4 on /dev/vda1 is read-only",
                                    {},
                                    {},
                                    ""});
    sys.report->findings.push_back(
        {Severity::warning, "sys.memory.oom_kills", "memory", "2 OOM kills", {}, {}, ""});
    sys.report->findings.push_back({Severity::ok, "sys.load", "load", "load is fine", {}, {}, ""});
    sys.report->issues.push_back({IssueLevel::info, "statvfs", "/", "not the live box", ""});
    DomainState net{"net", "interfaces", DomainStatus::waiting, std::nullopt, {}, {}};
    DomainState disk{"disk",
                     "SMART",
                     DomainStatus::stale,
                     std::nullopt,
                     std::chrono::milliseconds{16200},
                     std::chrono::milliseconds{15000}};
    snapshot.domains = {sys, net, disk};
    return snapshot;
}

}  // namespace

TEST_CASE("tui overview: one row per domain with state, counts and worst finding") {
    const auto snapshot = sample_snapshot();
    const auto worst = worst_findings(snapshot);
    const auto text =
        to_text(overview_lines(snapshot, worst, OverviewCursor{}, Area{80, 12}, Glyphs{false}));
    CHECK(text ==
          "  DOMAIN STATE     CRIT WARN   OK ISSUE  WORST FINDING\n"
          ">sys     CRITICAL     1    1    1     1  /: ext4 on /dev/vda1 is read-only\n"
          " net     waiting      -    -    -     -  collecting\n"
          " disk    stale 17s    -    -    -     -  no answer within 15000 ms\n"
          "\n"
          " Warnings and worse (2)\n"
          " CRITICAL sys     /: ext4 on /dev/vda1 is read-only\n"
          " WARNING  sys     memory: 2 OOM kills\n");
}

TEST_CASE("tui overview: the header names host, kernel, uptime, clock and the worst severity") {
    const auto lines = header_lines(sample_snapshot(), 120, Glyphs{true});
    REQUIRE(lines.size() == 2);
    CHECK(lines[0].text() ==
          " diag-top web1  6.1.0-13-amd64  up 3d 04:12  2026-12-04 08:10:22 UTC CRITICAL");
    CHECK(lines[1].text() == " offline: /srv/capture");
}

TEST_CASE("tui overview: a live header shows the interval, or that refreshing is paused") {
    auto snapshot = sample_snapshot();
    snapshot.live = true;
    snapshot.interval = std::chrono::seconds{7};
    CHECK(header_lines(snapshot, 80, Glyphs{})[1].text() == " live, refreshed every 7 s");
    snapshot.paused = true;
    CHECK(header_lines(snapshot, 80, Glyphs{})[1].text() == " live, PAUSED (z resumes)");
}

TEST_CASE("tui overview: severity is written out and styled, so it reads without colour") {
    const auto snapshot = sample_snapshot();
    const auto lines = overview_lines(snapshot, worst_findings(snapshot), OverviewCursor{},
                                      Area{80, 12}, Glyphs{});
    bool critical_span = false;
    for (const auto& span : lines[1].spans) {
        critical_span =
            critical_span || (span.text.starts_with("CRITICAL") && span.style == Style::critical);
    }
    CHECK(critical_span);
}

TEST_CASE("tui overview: machine text cannot drive the terminal") {
    auto snapshot = sample_snapshot();
    snapshot.host = "evil\x1b]0;owned\x07";
    snapshot.domains[0].report->findings[0].summary = "bad \x1b[2J\r\n line";
    UiState state;
    const auto screen = to_text(compose_screen(state, snapshot, nullptr, Area{120, 30}, Glyphs{}));
    CHECK(screen.find('\x1b') == std::string::npos);
    CHECK(screen.find('\r') == std::string::npos);
    CHECK(screen.find("evil\\x1b]0;owned\\x07") != std::string::npos);
    CHECK(screen.find("bad \\x1b[2J\\r\\n line") != std::string::npos);
}

TEST_CASE("tui overview: ASCII glyphs leave no byte outside ASCII on the screen") {
    auto snapshot = sample_snapshot();
    snapshot.host = "h\xc3\xa9te";  // "héte"
    UiState state;
    const auto screen =
        to_text(compose_screen(state, snapshot, nullptr, Area{80, 24}, Glyphs{false}));
    CHECK(std::none_of(screen.begin(), screen.end(),
                       [](char c) { return static_cast<unsigned char>(c) >= 0x80; }));
    CHECK(screen.find("h?te") != std::string::npos);
    const auto utf8 = to_text(compose_screen(state, snapshot, nullptr, Area{80, 24}, Glyphs{true}));
    CHECK(utf8.find("h\xc3\xa9te") != std::string::npos);
}

TEST_CASE("tui overview: below 80x24 the screen says the size it needs") {
    UiState state;
    const auto lines = compose_screen(state, sample_snapshot(), nullptr, Area{79, 24}, Glyphs{});
    REQUIRE(lines.size() == 24);
    CHECK(lines[0].text() == "diag-top needs 80x24 at least; this terminal is 79x24.");
    const auto tall_enough =
        compose_screen(state, sample_snapshot(), nullptr, Area{80, 23}, Glyphs{});
    CHECK(tall_enough[0].text() == "diag-top needs 80x24 at least; this terminal is 80x23.");
}

TEST_CASE("tui overview: a composed screen has one line per row, none wider than the terminal") {
    UiState state;
    for (const Area area : {Area{80, 24}, Area{120, 40}}) {
        const auto lines = compose_screen(state, sample_snapshot(), nullptr, area, Glyphs{});
        REQUIRE(lines.size() == area.rows);
        for (const auto& line : lines) {
            CHECK(line.width() <= area.columns);
        }
        CHECK(lines.back().text().find("Q:Quit") != std::string::npos);
    }
}

TEST_CASE("tui text: fit cuts with an ellipsis and pad fills to the width") {
    CHECK(fit("abcdef", 4, Glyphs{false}) == "abc~");
    CHECK(fit("abcdef", 4, Glyphs{true}) == "abc\u2026");
    CHECK(fit("abc", 4, Glyphs{}) == "abc");
    CHECK(pad("ab", 4, Glyphs{}) == "ab  ");
    CHECK(display_width("h\xc3\xa9") == 2);
    CHECK(format_uptime(59) == "00:00");
    CHECK(format_uptime(90061) == "1d 01:01");
}
