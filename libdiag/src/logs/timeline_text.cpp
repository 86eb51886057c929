#include "diag/logs/timeline_text.hpp"

#include "diag/render/escape.hpp"

#include <fmt/format.h>

namespace diag::logs {

namespace {

constexpr std::string_view kRed = "\x1b[31m";
constexpr std::string_view kYellow = "\x1b[33m";
constexpr std::string_view kReset = "\x1b[0m";

// One character telling how far the printed time can be trusted (explained in diag-logs(1)).
char confidence_mark(TimeConfidence confidence) {
    switch (confidence) {
        case TimeConfidence::exact:
        case TimeConfidence::zone_assumed:
            return ' ';
        case TimeConfidence::year_forced:
            return 'Y';
        case TimeConfidence::year_inferred:
            return 'y';
        case TimeConfidence::boot_relative:
            return 'b';
        case TimeConfidence::none:
            break;
    }
    return '-';
}

// "syslog" for /var/log/syslog, "nginx/error.log" for /var/log/nginx/error.log: enough to
// tell Apache's error.log from nginx's.
std::string short_source(const std::string& path) {
    const auto slash = path.find_last_of('/');
    if (slash == std::string::npos || slash == 0) {
        return path;
    }
    const auto parent = path.find_last_of('/', slash - 1);
    const auto directory =
        path.substr(parent == std::string::npos ? 0 : parent + 1, slash - parent - 1);
    if (directory == "log" || directory.empty()) {
        return path.substr(slash + 1);
    }
    return directory + path.substr(slash);
}

std::string_view severity_colour(std::optional<Severity> severity) {
    if (severity == Severity::critical) {
        return kRed;
    }
    if (severity == Severity::warning) {
        return kYellow;
    }
    return {};
}

}  // namespace

std::string format_local_time(UtcTime time, const TimeZone& zone) {
    const CivilTime civil = zone.to_civil(time);
    return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:06}", civil.year.value_or(0),
                       civil.month, civil.day, civil.hour, civil.minute, civil.second,
                       civil.microsecond);
}

std::string format_timeline_entry(const TimelineEntry& entry, const std::vector<Rule>& rules,
                                  const TimelineStyle& style) {
    const auto& record = entry.record;
    std::string line;
    if (record.time) {
        line = format_local_time(*record.time, style.display_zone);
    } else {
        line = fmt::format("{:<26}", "-");
    }
    line += confidence_mark(record.time_confidence);
    line += fmt::format(" {:<18} ", escape_for_terminal(short_source(record.source)));
    if (!record.host.empty()) {
        line += escape_for_terminal(record.host) + ' ';
    }
    if (!record.program.empty()) {
        line += escape_for_terminal(record.program);
        if (record.pid) {
            line += fmt::format("[{}]", *record.pid);
        }
        line += ": ";
    }
    if (record.level) {
        line += fmt::format("<{}> ", to_string(*record.level));
    }
    std::string_view message = record.message;
    const auto newline = message.find('\n');
    line += escape_for_terminal(message.substr(0, newline));
    const auto severity = entry_severity(entry, rules);
    for (const auto& match : entry.matches) {
        line += fmt::format("  [{}]", rules.at(match.rule_index).id);
    }
    if (entry.echo) {
        line += " (echo of an earlier source)";
    }
    if (style.color && severity && !severity_colour(severity).empty()) {
        line = fmt::format("{}{}{}", severity_colour(severity), line, kReset);
    }
    line += '\n';
    // Continuation lines, each escaped on its own so the terminal sees no raw newline.
    if (newline != std::string_view::npos) {
        std::string_view rest = message.substr(newline + 1);
        while (true) {
            const auto end = std::min(rest.find('\n'), rest.size());
            line += fmt::format("{:<46}| {}\n", "", escape_for_terminal(rest.substr(0, end)));
            if (end == rest.size()) {
                break;
            }
            rest.remove_prefix(end + 1);
        }
    }
    return line;
}

std::string format_sources(const Timeline& timeline, std::optional<UtcTime> boot_time,
                           const TimelineStyle& style) {
    std::string text;
    for (const auto& source : timeline.sources) {
        if (!source.opened) {
            text += fmt::format("source {}: {}\n", escape_for_terminal(source.path),
                                source.note.empty() ? "not read" : source.note);
            continue;
        }
        text += fmt::format("source {}: {}{}, {} records", escape_for_terminal(source.path),
                            to_string(source.format),
                            source.compression == Compression::none
                                ? ""
                                : fmt::format(" ({})", to_string(source.compression)),
                            source.stats.records);
        if (source.stats.screened_out_lines > 0) {
            text += fmt::format(", {} lines no rule could match not parsed",
                                source.stats.screened_out_lines);
        }
        if (source.stats.continuation_lines > 0) {
            text += fmt::format(", {} continuation lines", source.stats.continuation_lines);
        }
        if (source.stats.dropped_bytes > 0) {
            text +=
                fmt::format(", {} bytes of over-long lines dropped", source.stats.dropped_bytes);
        }
        if (!source.note.empty()) {
            text += fmt::format(" ({})", source.note);
        }
        if ((source.format == LogFormat::dmesg || source.format == LogFormat::kmsg)) {
            text += boot_time ? fmt::format("; seconds since boot mapped from boot at {}",
                                            format_local_time(*boot_time, style.display_zone))
                              : std::string("; no boot time, so no wall time");
        }
        text += '\n';
    }
    return text;
}

std::string format_incidents(const Timeline& timeline, const std::vector<Incident>& incidents,
                             const std::vector<Rule>& rules, const TimelineStyle& style) {
    std::string text;
    for (std::size_t n = 0; n < incidents.size(); ++n) {
        const auto& incident = incidents[n];
        text += fmt::format("incident {}: {} to {}, {}, {} events from {} sources\n", n + 1,
                            format_local_time(incident.start, style.display_zone),
                            format_local_time(incident.end, style.display_zone),
                            to_string(incident.severity), incident.events.size(),
                            incident.sources.size());
        text += "  first domino: " +
                format_timeline_entry(timeline.entries.at(incident.first_domino), rules, style);
        for (const auto index : incident.events) {
            if (index != incident.first_domino) {
                text += "  " + format_timeline_entry(timeline.entries.at(index), rules, style);
            }
        }
        if (!incident.shared_subjects.empty()) {
            text += "  shared:";
            for (const auto& subject : incident.shared_subjects) {
                text += fmt::format(" {} {} ({} events);", subject.kind,
                                    escape_for_terminal(subject.value), subject.event_count);
            }
            text.back() = '\n';
        }
        text += '\n';
    }
    return text;
}

}  // namespace diag::logs
