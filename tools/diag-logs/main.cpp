// diag-logs: one timeline from syslog, the journal, kernel and web-server logs, with the messages
// that mean trouble recognised and grouped into incidents.

#include <diag/cli/tool_main.hpp>
#include <diag/logs/incidents.hpp>
#include <diag/logs/log_follower.hpp>
#include <diag/logs/logs_assess.hpp>
#include <diag/logs/logs_collect.hpp>
#include <diag/logs/timeline_text.hpp>

#include <cctype>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include <sys/prctl.h>

namespace po = boost::program_options;

namespace {

using diag::logs::UtcTime;

// The tool's own options, as given; nothing happens while they are parsed.
struct LogsOptions {
    std::vector<std::string> files;
    std::string since;
    std::string until;
    std::string around;
    std::string window = "5m";
    std::vector<std::string> sources;
    std::string level;
    std::string grep;
    std::vector<std::string> zones;
    bool utc = false;
    int year = 0;
    std::string format;
    std::string boot_time;
    bool incidents = false;
    std::string gap = "5m";
    bool classified_only = false;
    std::vector<std::string> rule_files;
    bool list_rules = false;
    bool follow = false;
    std::string follow_for;
};

// The options checked and turned into values (by validate, before collection).
struct Settings {
    diag::logs::TimelineFilter filter;
    std::optional<std::chrono::seconds> window;
    std::string around_rule;
    std::optional<UtcTime> around_time;
    std::optional<UtcTime> boot_time;
    std::optional<diag::logs::LogFormat> format;
    std::chrono::seconds gap{300};
    std::optional<std::chrono::seconds> follow_for;
};

UtcTime now() {
    return std::chrono::time_point_cast<std::chrono::microseconds>(
        std::chrono::system_clock::now());
}

std::expected<std::optional<UtcTime>, std::string> time_option(const std::string& name,
                                                               const std::string& text) {
    if (text.empty()) {
        return std::optional<UtcTime>{};
    }
    const auto time = diag::logs::parse_time_argument(text, now());
    if (!time) {
        return std::unexpected(
            fmt::format("--{} takes -2h, -30m, -1d or a date such as 2024-01-02T03:04:05, not '{}'",
                        name, text));
    }
    return time;
}

std::expected<void, std::string> check_times(const LogsOptions& given, Settings& settings) {
    auto since = time_option("since", given.since);
    auto until = time_option("until", given.until);
    auto boot = time_option("boot-time", given.boot_time);
    for (const auto* result : {&since, &until, &boot}) {
        if (!*result) {
            return std::unexpected(result->error());
        }
    }
    settings.filter.since = *since;
    settings.filter.until = *until;
    settings.boot_time = *boot;
    settings.window = diag::logs::parse_duration(given.window);
    const auto gap = diag::logs::parse_duration(given.gap);
    if (!settings.window || !gap) {
        return std::unexpected("--window and --gap take a duration such as 90s, 5m, 2h or 1d");
    }
    settings.gap = *gap;
    if (!given.around.empty()) {
        settings.around_time = diag::logs::parse_time_argument(given.around, now());
        if (!settings.around_time) {
            settings.around_rule = given.around;
        }
    }
    return {};
}

std::expected<void, std::string> validate(const LogsOptions& given, Settings& settings) {
    if (auto times = check_times(given, settings); !times) {
        return times;
    }
    if (!given.level.empty()) {
        settings.filter.level = diag::logs::parse_level_name(given.level);
        if (!settings.filter.level) {
            return std::unexpected(fmt::format(
                "--level takes emerg, alert, crit, err, warning, notice, info or debug, not '{}'",
                given.level));
        }
    }
    if (!given.grep.empty()) {
        try {
            settings.filter.grep.emplace(given.grep, std::regex::ECMAScript);
        } catch (const std::regex_error& e) {
            return std::unexpected(fmt::format("--grep '{}': {}", given.grep, e.what()));
        }
    }
    if (!given.format.empty()) {
        settings.format = diag::logs::parse_format_name(given.format);
        if (!settings.format || settings.format == diag::logs::LogFormat::journal) {
            return std::unexpected(fmt::format(
                "--format takes rfc3164, rfc5424, rsyslog-iso, dmesg, kmsg, apache-error, "
                "nginx-error, journal-json, journal-export or plain, not '{}'",
                given.format));
        }
    }
    if (given.year != 0 && (given.year < 1970 || given.year > 9999)) {
        return std::unexpected("--year takes a year from 1970 to 9999");
    }
    settings.filter.sources = given.sources;
    settings.filter.classified_only = given.classified_only;
    if (!given.follow_for.empty()) {
        settings.follow_for = diag::logs::parse_duration(given.follow_for);
        if (!settings.follow_for || !given.follow) {
            return std::unexpected("--follow-for takes a duration such as 90s or 10m, with -f");
        }
    }
    if (given.follow && (!given.around.empty() || given.incidents)) {
        return std::unexpected(
            "-f shows records as they come; it does not go with --around or "
            "--incidents");
    }
    return {};
}

// Built-in rules plus the user's rule files; problems become Issues, broken files are skipped.
std::optional<diag::logs::Classifier> build_classifier(const LogsOptions& given,
                                                       std::vector<diag::Issue>& issues) {
    auto rules = diag::logs::builtin_rules();
    for (const auto& path : given.rule_files) {
        std::ifstream in(path);
        if (!in) {
            issues.push_back({diag::IssueLevel::error, "open", path, "cannot be read", ""});
            continue;
        }
        std::stringstream text;
        text << in.rdbuf();
        auto [added, errors] = diag::logs::parse_rule_file(text.str());
        for (const auto& error : errors) {
            issues.push_back({diag::IssueLevel::error, "parse",
                              fmt::format("{}:{}", path, error.line), error.message,
                              "see RULE FILES in diag-logs(1)"});
        }
        rules.insert(rules.end(), added.begin(), added.end());
    }
    // The built-in rules load their screen made at build time; added rules compile it.
    auto classifier =
        diag::logs::Classifier::build(std::move(rules), diag::logs::builtin_screen_database());
    if (!classifier) {
        issues.push_back({diag::IssueLevel::error, "compile", "rules", classifier.error(),
                          "fix or leave out the rule file"});
        return std::nullopt;
    }
    return std::move(*classifier);
}

// Zones: --tz ZONE for every source, --tz PATH=ZONE for some; else the machine's.
diag::logs::CollectOptions read_settings(const LogsOptions& given, const Settings& settings,
                                         const diag::Root& root, std::vector<diag::Issue>& issues) {
    diag::logs::CollectOptions options;
    for (const auto& file : given.files) {
        options.sources.push_back({file, false});
    }
    auto machine = diag::logs::machine_zone(root);
    issues.insert(issues.end(), machine.issues.begin(), machine.issues.end());
    options.read.zone = machine.data;
    for (const auto& text : given.zones) {
        const auto equals = text.find('=');
        const std::string name = equals == std::string::npos ? text : text.substr(equals + 1);
        auto zone = diag::logs::zone_from_argument(root, name);
        if (!zone) {
            issues.push_back({diag::IssueLevel::error, "zone", name, zone.error(), ""});
        } else if (equals == std::string::npos) {
            options.read.zone = *zone;
        } else {
            options.source_zones.push_back({text.substr(0, equals), *zone});
        }
    }
    options.read.format = settings.format;
    if (given.year != 0) {
        options.read.forced_year = given.year;
    }
    options.read.boot_time =
        settings.boot_time ? settings.boot_time : diag::logs::read_boot_time(root);
    options.read.deadline = root.deadline();
    options.filter = settings.filter;
    return options;
}

// --around RULE: the time of that rule's first event, found in a first pass.
std::optional<UtcTime> find_rule_time(const diag::Root& root, diag::logs::CollectOptions options,
                                      const diag::logs::Classifier& classifier,
                                      const std::string& rule_id) {
    options.filter.classified_only = true;
    const auto found = diag::logs::collect_timeline(root, options, classifier);
    for (const auto& entry : found.data.entries) {
        for (const auto& match : entry.matches) {
            if (classifier.rules().at(match.rule_index).id == rule_id && entry.sort_time) {
                return entry.sort_time;
            }
        }
    }
    return std::nullopt;
}

void print_text(const diag::logs::Timeline& timeline,
                const std::vector<diag::logs::Incident>& incidents,
                const diag::logs::Classifier& classifier, const diag::logs::TimelineStyle& style,
                const LogsOptions& given, std::optional<UtcTime> boot_time) {
    std::string text = diag::logs::format_sources(timeline, boot_time, style) + '\n';
    if (given.incidents) {
        text += diag::logs::format_incidents(timeline, incidents, classifier.rules(), style);
    } else {
        for (const auto& entry : timeline.entries) {
            text += diag::logs::format_timeline_entry(entry, classifier.rules(), style);
        }
    }
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fputc('\n', stdout);
}

// "syslog.1", "syslog.2.gz": a rotated generation that no longer grows.
bool is_rotation(std::string_view path) {
    for (const std::string_view suffix : {".gz", ".xz", ".zst"}) {
        if (path.ends_with(suffix)) {
            return true;
        }
    }
    const auto at = path.find_last_of("./");
    if (at == std::string_view::npos || path[at] != '.' || at + 1 == path.size()) {
        return false;
    }
    const auto digits = path.substr(at + 1);
    return std::all_of(digits.begin(), digits.end(),
                       [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

// The files -f follows: those named, else the live generation of this box's log files (not
// their rotations, which no longer grow).
std::vector<diag::logs::SourceSpec> followed_files(const diag::Root& root,
                                                   const diag::logs::CollectOptions& options,
                                                   std::vector<diag::Issue>& issues) {
    if (!options.sources.empty()) {
        return options.sources;
    }
    auto found = diag::logs::default_sources(root);
    issues.insert(issues.end(), found.issues.begin(), found.issues.end());
    std::vector<diag::logs::SourceSpec> files;
    for (auto& spec : found.data) {
        if (spec.kind == diag::logs::SourceKind::file && !is_rotation(spec.path)) {
            files.push_back(std::move(spec));
        }
    }
    if (files.empty()) {
        // TODO(#7): follow the journal (sd_journal_wait) and /dev/kmsg (poll) as well.
        issues.push_back({diag::IssueLevel::error, "follow", root.display("/var/log"),
                          "no log file to follow", "-f follows files; name them"});
    }
    return files;
}

// -f: the files' records so far as one timeline, then each new record as it is written, until
// --follow-for has passed or the tool is stopped; then the report on what was followed.
diag::Report follow(const diag::ToolContext& context, const LogsOptions& given,
                    const Settings& settings, diag::logs::CollectOptions options,
                    const diag::logs::Classifier& classifier, std::vector<diag::Issue> issues) {
    // The tool collects in a child process; when the parent is stopped, so is following.
    static_cast<void>(::prctl(PR_SET_PDEATHSIG, SIGTERM));
    const auto& rules = classifier.rules();
    const auto& common = context.options;
    const bool print = !common.json && !common.nagios && !common.quiet;
    const diag::logs::TimelineStyle style{diag::use_color(common.color),
                                          given.utc ? diag::logs::TimeZone{} : options.read.zone};
    diag::logs::Timeline timeline;
    std::vector<diag::logs::TimelineEntry> fresh;
    std::uint64_t sequence = 0;
    auto sink = [&](diag::logs::LogRecord&& record) {
        ++timeline.records_read;
        diag::logs::TimelineEntry entry;
        entry.matches = classifier.classify(record);
        entry.sort_time = record.time;
        entry.sequence = sequence++;
        entry.record = std::move(record);
        if (diag::logs::passes(entry, options.filter, rules)) {
            fresh.push_back(std::move(entry));
        }
    };
    classifier.prepare();
    diag::logs::LogFollower follower(context.root, followed_files(context.root, options, issues),
                                     options.read, sink);
    const auto report_issues = [&](const std::vector<diag::Issue>& met) {
        for (const auto& issue : met) {
            if (print) {
                fmt::print(stderr, "diag-logs: {}\n", diag::describe(issue));
            }
            issues.push_back(issue);
        }
    };
    // Each poll's records are merged by time before they are shown.
    const auto show = [&] {
        diag::logs::merge_timeline(fresh);
        for (auto& entry : fresh) {
            if (print) {
                const auto line = diag::logs::format_timeline_entry(entry, rules, style);
                std::fwrite(line.data(), 1, line.size(), stdout);
            }
            for (const auto& match : entry.matches) {
                ++timeline.events_by_rule[rules.at(match.rule_index).id];
            }
            // A long follow keeps at most max_entries records for the report; the events of
            // the rest are still counted by rule.
            if (timeline.entries.size() < options.max_entries) {
                timeline.entries.push_back(std::move(entry));
            } else {
                ++timeline.entries_dropped;
            }
        }
        fresh.clear();
        std::fflush(stdout);
    };
    report_issues(follower.poll());
    show();
    const auto start = std::chrono::steady_clock::now();
    while (!settings.follow_for ||
           std::chrono::steady_clock::now() - start < *settings.follow_for) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        report_issues(follower.poll());
        show();
    }
    follower.finish();
    show();
    timeline.sources = follower.summaries();
    const auto incidents = diag::logs::find_incidents(timeline.entries, rules,
                                                      {settings.gap, diag::Severity::warning});
    auto report = diag::logs::assess_logs(timeline, incidents, rules, {common.json, 10000});
    report.issues.insert(report.issues.end(), issues.begin(), issues.end());
    return report;
}

diag::Report collect(const diag::ToolContext& context, const LogsOptions& given,
                     Settings settings) {
    std::vector<diag::Issue> issues;
    diag::Report report;
    auto classifier = build_classifier(given, issues);
    if (!classifier) {
        report.issues = std::move(issues);
        return report;
    }
    const auto& common = context.options;
    // This box's logs default to the last day, and a Nagios check to the last hour.
    if (!settings.filter.since && !settings.filter.until && given.around.empty()) {
        if (common.nagios) {
            settings.filter.since = now() - std::chrono::hours(1);
        } else if (given.files.empty()) {
            settings.filter.since = now() - std::chrono::hours(24);
        }
    }
    auto options = read_settings(given, settings, context.root, issues);
    if (given.follow) {
        return follow(context, given, settings, std::move(options), *classifier, std::move(issues));
    }
    if (!settings.around_rule.empty()) {
        settings.around_time =
            find_rule_time(context.root, options, *classifier, settings.around_rule);
        if (!settings.around_time) {
            issues.push_back({diag::IssueLevel::error, "around", settings.around_rule,
                              "no event of that rule, and not a time", "see --list-rules"});
        }
    }
    if (settings.around_time) {
        const auto window = std::chrono::duration_cast<std::chrono::microseconds>(
            settings.window.value_or(std::chrono::minutes(5)));
        options.filter.since = *settings.around_time - window;
        options.filter.until = *settings.around_time + window;
    }
    auto timeline = diag::logs::collect_timeline(context.root, options, *classifier);
    issues.insert(issues.end(), timeline.issues.begin(), timeline.issues.end());
    const auto incidents = diag::logs::find_incidents(timeline.data.entries, classifier->rules(),
                                                      {settings.gap, diag::Severity::warning});
    if (!common.json && !common.nagios && !common.quiet) {
        diag::logs::TimelineStyle style{diag::use_color(common.color),
                                        given.utc ? diag::logs::TimeZone{} : options.read.zone};
        print_text(timeline.data, incidents, *classifier, style, given, options.read.boot_time);
    }
    report = diag::logs::assess_logs(timeline.data, incidents, classifier->rules(),
                                     {common.json, 10000});
    report.issues.insert(report.issues.end(), issues.begin(), issues.end());
    return report;
}

int list_rules() {
    for (const auto& rule : diag::logs::builtin_rules()) {
        fmt::print("{:<32} {:<8} {:<8} {}\n", rule.id, rule.category,
                   diag::to_string(rule.severity), rule.meaning);
    }
    return 0;
}

void add_options(diag::CommandLine& cli, LogsOptions& given) {
    cli.tool_options().add_options()(
        "since", po::value(&given.since)->value_name("TIME"),
        "records from TIME on: -2h, -30m, -1d, or 2024-01-02[T03:04[:05]][Z|+01:00] (default for "
        "this box's logs: -1d; under --nagios: -1h)")(
        "until", po::value(&given.until)->value_name("TIME"), "records up to TIME")(
        "around", po::value(&given.around)->value_name("TIME|RULE"),
        "records within --window of TIME, or of the first event of rule RULE")(
        "window", po::value(&given.window)->default_value("5m")->value_name("DURATION"),
        "half width of --around")("source",
                                  po::value(&given.sources)->composing()->value_name("TEXT"),
                                  "only sources whose path contains TEXT (repeatable)")(
        "level", po::value(&given.level)->value_name("LEVEL"),
        "only records at LEVEL or worse (a record's own level, else its rules' severity)")(
        "grep", po::value(&given.grep)->value_name("REGEX"),
        "only records whose message, program or host matches REGEX")(
        "classified", po::bool_switch(&given.classified_only),
        "only records that a rule recognised")(
        "incidents", po::bool_switch(&given.incidents),
        "show incidents (bursts of classified events) instead of the whole timeline")(
        "gap", po::value(&given.gap)->default_value("5m")->value_name("DURATION"),
        "events further apart than this start a new incident")(
        "tz", po::value(&given.zones)->composing()->value_name("[PATH=]ZONE"),
        "zone of stamps without one (UTC, +02:00, Europe/Berlin), for all sources or those "
        "whose path contains PATH (default: the machine's /etc/localtime)")(
        "utc", po::bool_switch(&given.utc), "print times in UTC (default: the machine's zone)")(
        "year", po::value(&given.year)->value_name("YEAR"),
        "year of the first year-less syslog record (default: from the file's time)")(
        "boot-time", po::value(&given.boot_time)->value_name("TIME"),
        "when the kernel booted, for dmesg stamps (default: btime of /proc/stat)")(
        "format", po::value(&given.format)->value_name("FORMAT"),
        "read every file as FORMAT instead of detecting it")(
        "rules", po::value(&given.rule_files)->composing()->value_name("FILE"),
        "add the rules in FILE (repeatable; see RULE FILES in diag-logs(1))")(
        "list-rules", po::bool_switch(&given.list_rules), "list the built-in rules and exit")(
        "follow,f", po::bool_switch(&given.follow),
        "follow the files (named, else this box's live log files) as they grow and rotate, "
        "showing each new record; until stopped")(
        "follow-for", po::value(&given.follow_for)->value_name("DURATION"),
        "with -f: stop after DURATION and report on what was followed");
    cli.hidden_options().add_options()("file", po::value(&given.files)->composing(), "");
    cli.positional().add("file", -1);
}

// Boost takes "--since -2h" for two options; "--since=-2h" is what it understands.
std::vector<std::string> join_negative_values(int argc, char** argv) {
    std::vector<std::string> args(argv, argv + argc);
    std::vector<std::string> joined;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const bool takes_time =
            args[i] == "--since" || args[i] == "--until" || args[i] == "--around";
        if (takes_time && i + 1 < args.size() && args[i + 1].starts_with('-')) {
            joined.push_back(args[i] + "=" + args[i + 1]);
            ++i;
        } else {
            joined.push_back(args[i]);
        }
    }
    return joined;
}

}  // namespace

int main(int argc, char** argv) {
    LogsOptions given;
    Settings settings;
    diag::CommandLine cli(
        {"diag-logs",
         "One timeline from syslog, kernel, Apache and nginx logs, with the messages that mean "
         "trouble recognised and grouped into incidents.",
         "[OPTION]... [FILE]...", "critical_events",
         "With no FILE, this box's logs are read: syslog, messages, kern.log, dmesg, Apache's "
         "and nginx's error logs under /var/log with their rotations, the journal (every boot) "
         "and, on the live box, the kernel's ring in /dev/kmsg. FILE may also be the output of "
         "journalctl -o json or -o export. A mark after each time "
         "says how it was found: ' ' from the stamp, 'y' year inferred, 'Y' year forced, 'b' "
         "from the boot time, '-' no time. The exit status is the worst severity among the "
         "classified events shown."});
    add_options(cli, given);

    diag::ToolSteps steps;
    steps.validate = [&] { return validate(given, settings); };
    steps.instead = [&]() -> std::optional<int> {
        return given.list_rules ? std::optional<int>(list_rules()) : std::nullopt;
    };
    steps.collect = [&](const diag::ToolContext& context) {
        return collect(context, given, settings);
    };
    const auto args = join_negative_values(argc, argv);
    std::vector<const char*> pointers;
    for (const auto& arg : args) {
        pointers.push_back(arg.c_str());
    }
    return diag::run_tool(cli, static_cast<int>(pointers.size()), pointers.data(), steps);
}
