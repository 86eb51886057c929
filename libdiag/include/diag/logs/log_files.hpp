#pragma once

#include <diag/core/collected.hpp>
#include <diag/core/root.hpp>
#include <diag/logs/classifier.hpp>
#include <diag/logs/decompress.hpp>
#include <diag/logs/record_reader.hpp>
#include <diag/logs/time_zone.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace diag::logs {

/// What kind of source a SourceSpec names.
enum class SourceKind {
    /// A log file (maybe compressed), its format detected.
    file,
    /// The journal under the root's /var/log/journal and /run/log/journal, read with
    /// libsystemd (journal_reader.hpp).
    journal,
    /// The kernel's ring read live from /dev/kmsg (kmsg_reader.hpp).
    kmsg,
};

/// One log source to read.
struct SourceSpec {
    std::string path;
    /// True for this box's logs, read through the Root; false for a path given on the command
    /// line, read as the user names it.
    bool in_root = true;
    SourceKind kind = SourceKind::file;
};

/// How sources are read.
struct ReadOptions {
    /// Overrides format detection for every source.
    std::optional<LogFormat> format;
    /// Zone of stamps without one.
    TimeZone zone;
    /// --year for year-less stamps.
    std::optional<int> forced_year;
    /// When the kernel booted, for dmesg and kmsg stamps.
    std::optional<UtcTime> boot_time;
    /// Bytes read per step; memory use grows with it, not with the file. 1 MiB keeps a chunk in
    /// the cache between the read, the screen and the line count (4 MiB measured 12% slower on
    /// bench/logs.sh, 256 KiB twice as slow for the deadline thread each read starts).
    std::size_t chunk_bytes = std::size_t{1} << 20U;
    /// Deadline of one read step for files outside the Root.
    std::chrono::milliseconds deadline{5000};
    /// Set when only records some rule matches are wanted (--classified): lines its screen
    /// (LineScreen) rules out are not parsed at all, which is what makes classifying fast.
    /// The classifier must outlive the read.
    const Classifier* screen_with = nullptr;
    /// When set, the bytes of each source (compressed) are added here as they are read, for a
    /// progress display on another thread.
    std::atomic<std::uint64_t>* progress_bytes = nullptr;
    /// When set, each source is read only this far (a first look; the last record may be cut).
    std::optional<std::uint64_t> max_bytes_per_source;
};

/// What reading one source gave.
struct SourceSummary {
    std::string path;
    LogFormat format = LogFormat::plain;
    Compression compression = Compression::none;
    ReaderStats stats;
    /// Bytes of the file (compressed) read.
    std::uint64_t bytes_read = 0;
    /// True when the file could be opened (an empty file is read, and says nothing).
    bool opened = false;
    /// A word for the user about how the source was read ("3 boots"), or why it was left out.
    std::string note;
};

/// Reads one source from start to end (decompressing .gz, .xz and .zst by their magic bytes),
/// detects its format from its first lines unless options name one, and gives each record to
/// sink. A failure halfway (a read error, a corrupt stream, a missed deadline) becomes an Issue
/// and the records read before it stand.
Collected<SourceSummary> read_source(const Root& root, const SourceSpec& spec,
                                     const ReadOptions& options, const RecordReader::Sink& sink);

/// This box's logs that diag-logs reads when given no file: syslog, messages, kern.log, dmesg,
/// Apache's and nginx's error logs under /var/log, each with its rotations (.1, .2.gz, ...),
/// oldest first; then the journal when the root has /var/log/journal or /run/log/journal; then,
/// on the live box, the kernel's ring in /dev/kmsg. Missing ones are skipped silently; an
/// unreadable /var/log is an Issue.
Collected<std::vector<SourceSpec>> default_sources(const Root& root);

/// When the machine booted: "btime" of /proc/stat (proc(5)); nullopt when unreadable.
std::optional<UtcTime> read_boot_time(const Root& root);

/// The machine's zone from /etc/localtime; UTC with an Issue when it cannot be read.
Collected<TimeZone> machine_zone(const Root& root);

/// The zone for a --tz argument: "UTC", an offset such as "+02:00", or a zone name looked up
/// under /usr/share/zoneinfo in the root. The error is one line for the user.
std::expected<TimeZone, std::string> zone_from_argument(const Root& root, std::string_view text);

}  // namespace diag::logs
