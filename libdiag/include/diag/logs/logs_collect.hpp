#pragma once

#include <diag/core/collected.hpp>
#include <diag/core/root.hpp>
#include <diag/logs/classifier.hpp>
#include <diag/logs/log_files.hpp>
#include <diag/logs/timeline.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace diag::logs {

/// A zone for the sources whose path contains `path_part` (--tz PATH=ZONE).
struct SourceZone {
    std::string path_part;
    TimeZone zone;
};

/// What collect_timeline reads and keeps.
struct CollectOptions {
    /// Empty: this box's default sources (default_sources()).
    std::vector<SourceSpec> sources;
    ReadOptions read;
    /// Zones for single sources, before read.zone applies.
    std::vector<SourceZone> source_zones;
    TimelineFilter filter;
    /// Entries kept at most; past it only classified entries are kept, up to twice as many,
    /// and an Issue says so. Memory stays bounded whatever the input size.
    std::size_t max_entries = 500000;
};

/// The merged timeline and what went into it.
struct Timeline {
    /// Entries that passed the filter, merged by time.
    std::vector<TimelineEntry> entries;
    /// One per source read, in reading order.
    std::vector<SourceSummary> sources;
    /// Classified events per rule id among the entries that passed the filter.
    std::map<std::string, std::uint64_t> events_by_rule;
    /// Records read in all, before filtering.
    std::uint64_t records_read = 0;
    /// Entries not kept because of max_entries.
    std::uint64_t entries_dropped = 0;
};

/// Reads every source, classifies each record, keeps those that pass the filter and merges them
/// into one timeline. A source that fails adds an Issue; the others are still read.
Collected<Timeline> collect_timeline(const Root& root, const CollectOptions& options,
                                     const Classifier& classifier);

}  // namespace diag::logs
