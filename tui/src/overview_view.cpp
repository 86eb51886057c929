#include "diag/tui/overview_view.hpp"

#include <cmath>
#include <ctime>

#include <fmt/format.h>

namespace diag::tui {

namespace {

constexpr std::size_t kNameColumns = 7;
constexpr std::size_t kStateColumns = 10;

// "CRITICAL", "stale 12s", "waiting": what a domain's state column says, and its style.
Span domain_state(const DomainState& domain) {
    if (domain.status == DomainStatus::stale) {
        return {fmt::format("stale {}s", (domain.running_for.count() + 999) / 1000), Style::stale};
    }
    if (!domain.report) {
        return {"waiting", Style::dim};
    }
    if (domain.report->findings.empty()) {
        return {"no data", Style::dim};
    }
    const Severity worst = domain.report->worst();
    return {std::string(to_upper_string(worst)), style_for(worst)};
}

// The summary of a domain's worst finding, or why there is none.
std::string worst_summary(const DomainState& domain) {
    if (!domain.report) {
        return domain.status == DomainStatus::stale
                   ? fmt::format("no answer within {} ms", domain.limit.count())
                   : "collecting";
    }
    const auto order = ranked_order(domain.report->findings);
    if (order.empty()) {
        return domain.report->issues.empty() ? "nothing to judge"
                                             : describe(domain.report->issues.front());
    }
    const auto& finding = domain.report->findings[order.front()];
    return fmt::format("{}: {}", finding.subject, finding.summary);
}

StyledLine domain_row(const DomainState& domain, bool selected, const Area& area,
                      const Glyphs& glyphs) {
    StyledLine line;
    line.add(pad(domain.name, kNameColumns, glyphs) + " ", Style::bold);
    const auto state = domain_state(domain);
    line.add(pad(state.text, kStateColumns, glyphs), state.style);
    std::string counts = "   -    -    -     -";
    if (domain.report) {
        const auto& report = *domain.report;
        counts = fmt::format(
            "{:4} {:4} {:4} {:5}", count_findings(report, Severity::critical),
            count_findings(report, Severity::warning),
            count_findings(report, Severity::ok) + count_findings(report, Severity::info),
            report.issues.size());
    }
    line.add(counts + "  ");
    // One column goes to the cursor mark.
    const std::size_t used = line.width() + 1;
    const std::size_t rest = area.columns > used ? area.columns - used : 0;
    line.add(fit(safe_text(worst_summary(domain), glyphs), rest, glyphs));
    return cursor_row(line, selected, glyphs);
}

}  // namespace

std::string format_uptime(double seconds) {
    const auto total = static_cast<long long>(std::floor(seconds));
    const long long days = total / 86400;
    const long long hours = (total % 86400) / 3600;
    const long long minutes = (total % 3600) / 60;
    if (days > 0) {
        return fmt::format("{}d {:02}:{:02}", days, hours, minutes);
    }
    return fmt::format("{:02}:{:02}", hours, minutes);
}

std::string format_clock(std::chrono::system_clock::time_point time) {
    const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
    std::tm utc{};
    ::gmtime_r(&seconds, &utc);
    return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", utc.tm_year + 1900, utc.tm_mon + 1,
                       utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec);
}

std::vector<StyledLine> header_lines(const Snapshot& snapshot, std::size_t columns,
                                     const Glyphs& glyphs) {
    StyledLine first;
    first.fill = Style::heading;
    first.add(" diag-top ", Style::heading);
    first.add(fit(safe_text(snapshot.host.empty() ? "?" : snapshot.host, glyphs), 24, glyphs),
              Style::heading);
    first.add(
        "  " + fit(safe_text(snapshot.kernel.empty() ? "?" : snapshot.kernel, glyphs), 24, glyphs),
        Style::heading);
    first.add(snapshot.uptime_seconds ? "  up " + format_uptime(*snapshot.uptime_seconds)
                                      : std::string("  up ?"),
              Style::heading);
    first.add("  " + format_clock(snapshot.now) + " UTC ", Style::heading);
    const auto worst = worst_severity(snapshot);
    first.add(worst ? std::string(to_upper_string(*worst)) : std::string("-"),
              worst ? style_for(*worst) : Style::heading);

    StyledLine second;
    if (!snapshot.live) {
        second.add(" offline: " + safe_text(snapshot.root, glyphs), Style::bold);
    } else if (snapshot.paused) {
        second.add(" live, PAUSED (z resumes)", Style::bold);
    } else {
        second.add(fmt::format(" live, refreshed every {} s", snapshot.interval.count()));
    }
    second.spans.front().text = fit(second.spans.front().text, columns, glyphs);
    return {first, second};
}

std::vector<StyledLine> overview_lines(
    const Snapshot& snapshot, const std::vector<std::pair<std::size_t, std::size_t>>& worst,
    const OverviewCursor& cursor, const Area& area, const Glyphs& glyphs) {
    std::vector<StyledLine> lines;
    StyledLine heading;
    heading.add(pad("  DOMAIN", kNameColumns + 2, glyphs) + pad("STATE", kStateColumns, glyphs) +
                    "CRIT WARN   OK ISSUE  WORST FINDING",
                Style::heading);
    heading.fill = Style::heading;
    lines.push_back(heading);
    for (std::size_t i = 0; i < snapshot.domains.size(); ++i) {
        lines.push_back(
            domain_row(snapshot.domains[i], cursor.pane == 0 && cursor.domain == i, area, glyphs));
    }
    lines.push_back(StyledLine{});

    StyledLine worst_heading;
    worst_heading.add(fmt::format(" Warnings and worse ({})", worst.size()), Style::heading);
    worst_heading.fill = Style::heading;
    lines.push_back(worst_heading);
    if (worst.empty()) {
        lines.push_back(StyledLine{}.add("  none among the domains that answered", Style::dim));
    }
    // The pane scrolls so that its cursor stays in the rows left.
    const std::size_t room = area.rows > lines.size() ? area.rows - lines.size() : 0;
    std::size_t first = 0;
    if (cursor.pane == 1 && room > 0 && cursor.finding >= room) {
        first = cursor.finding - room + 1;
    }
    for (std::size_t i = first; i < worst.size() && i < first + room; ++i) {
        const auto& domain = snapshot.domains[worst[i].first];
        const auto& report = domain.report;
        if (!report.has_value()) {
            continue;
        }
        const auto& finding = report->findings[worst[i].second];
        const bool selected = cursor.pane == 1 && cursor.finding == i;
        StyledLine line;
        line.add(pad(std::string(to_upper_string(finding.severity)), 9, glyphs),
                 style_for(finding.severity));
        line.add(pad(domain.name, kNameColumns, glyphs) + " ");
        const std::size_t used = line.width() + 1;
        const std::size_t rest = area.columns > used ? area.columns - used : 0;
        line.add(fit(safe_text(finding.subject + ": " + finding.summary, glyphs), rest, glyphs));
        lines.push_back(cursor_row(line, selected, glyphs));
    }
    return lines;
}

}  // namespace diag::tui
