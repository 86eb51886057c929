#include "diag/logs/logs_collect.hpp"

#include "diag/logs/journal_reader.hpp"
#include "diag/logs/kmsg_reader.hpp"

#include <cmath>
#include <set>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace diag::logs {

namespace {

const TimeZone& zone_for(const CollectOptions& options, const std::string& path) {
    for (const auto& item : options.source_zones) {
        if (path.find(item.path_part) != std::string::npos) {
            return item.zone;
        }
    }
    return options.read.zone;
}

// Marks a classified kernel message that an earlier source gave with the same seconds since
// boot; remembers it otherwise.
void mark_echo(TimelineEntry& entry, std::set<std::pair<std::int64_t, std::string>>& seen) {
    const auto& record = entry.record;
    if (entry.matches.empty() || !record.monotonic_seconds) {
        return;
    }
    const auto key = std::pair{
        static_cast<std::int64_t>(std::llround(*record.monotonic_seconds * 1e6)), record.message};
    entry.echo = !seen.insert(key).second;
}

// Reads one source of any kind.
Collected<SourceSummary> read_one(const Root& root, const SourceSpec& spec, const ReadOptions& read,
                                  const TimelineFilter& filter, const RecordReader::Sink& sink) {
    switch (spec.kind) {
        case SourceKind::journal:
            return read_journal(root, {filter.since, filter.until, read.deadline}, sink);
        case SourceKind::kmsg:
            return read_kmsg(root, read.boot_time, read.deadline, sink);
        case SourceKind::file:
            break;
    }
    return read_source(root, spec, read, sink);
}

// What collect_timeline keeps of every source's records, and what it remembers across them.
struct Gatherer {
    const CollectOptions& options;
    const Classifier& classifier;
    Timeline& timeline;
    std::set<std::pair<std::int64_t, std::string>> kernel_seen;
    // Boots the journal has kernel lines of, to leave /dev/kmsg out when it repeats them.
    std::set<std::string> kernel_boots;

    // One record of source `index`; last_time and sequence are that source's own.
    void take(LogRecord&& record, const SourceSpec& spec, std::size_t index,
              std::optional<UtcTime>& last_time, std::uint64_t& sequence) {
        ++timeline.records_read;
        if (spec.kind == SourceKind::journal && record.program == "kernel" &&
            kernel_boots.size() < 10000) {
            kernel_boots.emplace(record.field("boot_id"));
        }
        TimelineEntry entry;
        entry.matches = classifier.classify(record);
        if (record.time) {
            last_time = record.time;
        }
        entry.sort_time = record.time ? record.time : last_time;
        entry.source_index = index;
        entry.sequence = sequence++;
        entry.record = std::move(record);
        if (!passes(entry, options.filter, classifier.rules())) {
            return;
        }
        mark_echo(entry, kernel_seen);
        for (const auto& match : entry.echo ? std::vector<RuleMatch>{} : entry.matches) {
            ++timeline.events_by_rule[classifier.rules().at(match.rule_index).id];
        }
        // Memory stays bounded whatever the input: unclassified records are kept up to
        // max_entries, classified ones up to twice that (their events are still counted).
        const std::size_t cap =
            entry.matches.empty() ? options.max_entries : 2 * options.max_entries;
        if (timeline.entries.size() >= cap) {
            ++timeline.entries_dropped;
            return;
        }
        timeline.entries.push_back(std::move(entry));
    }
};

}  // namespace

Collected<Timeline> collect_timeline(const Root& root, const CollectOptions& options,
                                     const Classifier& classifier) {
    Collected<Timeline> result;
    auto& timeline = result.data;
    std::vector<SourceSpec> sources = options.sources;
    if (sources.empty()) {
        auto found = default_sources(root);
        sources = std::move(found.data);
        result.issues.insert(result.issues.end(), found.issues.begin(), found.issues.end());
    }
    Gatherer gather{options, classifier, timeline, {}, {}};
    const std::string boot_id = current_boot_id(root);
    bool journal_has_this_boot = false;
    for (std::size_t index = 0; index < sources.size(); ++index) {
        const auto& spec = sources[index];
        ReadOptions read = options.read;
        read.zone = zone_for(options, spec.path);
        if (options.filter.classified_only) {
            read.screen_with = &classifier;
        }
        std::optional<UtcTime> last_time;
        std::uint64_t sequence = 0;
        auto sink = [&](LogRecord&& record) {
            gather.take(std::move(record), spec, index, last_time, sequence);
        };
        if (spec.kind == SourceKind::kmsg && journal_has_this_boot) {
            // The journal holds this boot's kernel lines already, and longer than the ring does.
            SourceSummary skipped;
            skipped.path = root.display(spec.path);
            skipped.format = LogFormat::kmsg;
            skipped.note = "not read: the journal has this boot's kernel messages";
            timeline.sources.push_back(std::move(skipped));
            continue;
        }
        auto read_result = read_one(root, spec, read, options.filter, sink);
        if (spec.kind == SourceKind::journal) {
            journal_has_this_boot = !boot_id.empty() && gather.kernel_boots.contains(boot_id);
        }
        spdlog::info("read {}: {} ({} records, {} bytes)", read_result.data.path,
                     to_string(read_result.data.format), read_result.data.stats.records,
                     read_result.data.bytes_read);
        result.issues.insert(result.issues.end(), read_result.issues.begin(),
                             read_result.issues.end());
        timeline.sources.push_back(std::move(read_result.data));
    }
    if (timeline.entries_dropped > 0) {
        result.add_issue(Issue{IssueLevel::info, "keep", "timeline",
                               fmt::format("{} records past the first {} were not kept (their "
                                           "events are counted)",
                                           timeline.entries_dropped, options.max_entries),
                               "narrow the timeline with --since, --until, --source or --grep"});
    }
    merge_timeline(timeline.entries);
    return result;
}

}  // namespace diag::logs
