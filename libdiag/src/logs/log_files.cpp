#include "diag/logs/log_files.hpp"

#include "diag/core/deadline.hpp"
#include "diag/core/unique_fd.hpp"
#include "diag/logs/format_detect.hpp"
#include "diag/logs/journal_entry.hpp"
#include "diag/logs/journal_reader.hpp"
#include "diag/logs/line_splitter.hpp"
#include "read_at.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <map>
#include <memory>
#include <utility>

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace diag::logs {

namespace {

// Hands out a file's bytes a chunk at a time: through the Root for this box's logs, or with
// pread one chunk ahead under a deadline for a file named on the command line.
class ChunkSource {
public:
    ChunkSource(const Root& root, SourceSpec spec, std::chrono::milliseconds deadline)
        : root_(root), spec_(std::move(spec)), deadline_(deadline) {}

    std::expected<void, Error> open() {
        if (spec_.in_root) {
            auto info = root_.stat_file(spec_.path);
            if (!info) {
                return std::unexpected(info.error());
            }
            modified_ = std::chrono::time_point_cast<std::chrono::microseconds>(info->modified);
            return {};
        }
        const int fd = ::open(spec_.path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
        if (fd < 0) {
            return std::unexpected(system_error("open", spec_.path, errno));
        }
        fd_ = std::make_shared<UniqueFd>(fd);
        struct stat info {};
        if (::fstat(fd, &info) != 0) {
            return std::unexpected(system_error("stat", spec_.path, errno));
        }
        if (!S_ISREG(info.st_mode)) {
            return std::unexpected(Error{"open", spec_.path, "not a regular file", 0});
        }
        static_cast<void>(::fcntl(fd, F_SETFL, O_RDONLY));
        modified_ = UtcTime{std::chrono::duration_cast<std::chrono::microseconds>(
            std::chrono::seconds{info.st_mtim.tv_sec} +
            std::chrono::nanoseconds{info.st_mtim.tv_nsec})};
        return {};
    }

    // The next chunk; empty at the end of the file.
    std::expected<std::string, Error> next(std::size_t max_bytes) {
        if (!spec_.in_root && !ahead_) {
            ahead_.emplace(fd_, spec_.path, max_bytes, deadline_);
        }
        auto chunk =
            spec_.in_root ? root_.read_range(spec_.path, offset_, max_bytes) : ahead_->next();
        if (chunk) {
            offset_ += chunk->size();
        }
        return chunk;
    }

    // A chunk done with: its buffer serves a later read.
    void recycle(std::string&& chunk) {
        if (ahead_) {
            ahead_->recycle(std::move(chunk));
        }
    }

    [[nodiscard]] std::optional<UtcTime> modified() const { return modified_; }
    [[nodiscard]] std::uint64_t offset() const { return offset_; }

private:
    const Root& root_;
    SourceSpec spec_;
    std::chrono::milliseconds deadline_;
    std::shared_ptr<UniqueFd> fd_;
    // Files named on the command line are read one chunk ahead (detail::ChunkReader).
    std::optional<detail::ChunkReader> ahead_;
    std::optional<UtcTime> modified_;
    std::uint64_t offset_ = 0;
};

// Lines looked at to detect a file's format.
constexpr std::size_t kDetectLines = 40;
// Decompressed bytes held back for detection before the format is settled.
constexpr std::size_t kDetectBytes = std::size_t{64} << 10U;

// Feeds decompressed bytes to the reader, holding the first kDetectBytes back until the format
// is known.
class Pipeline {
public:
    Pipeline(const ReadOptions& options, ReaderSettings settings, const RecordReader::Sink& sink)
        : format_override_(options.format),
          settings_(std::move(settings)),
          sink_(sink),
          splitter_([this](const SplitLine& line) { take_line(line); }) {
        if (options.screen_with != nullptr && options.screen_with->has_screen() &&
            !options.forced_year) {
            // Under --year a record's year follows the months of all records before it, so
            // every one is parsed then.
            screen_.emplace(*options.screen_with);
            if (!screen_->screens()) {
                screen_.reset();
            }
        }
    }

    void take(std::string_view bytes) {
        if (export_) {
            export_->feed(bytes);
            return;
        }
        if (reader_) {
            split(*reader_, bytes);
            return;
        }
        head_.append(bytes);
        if (head_.size() >= kDetectBytes) {
            start();
        }
    }

    void finish() {
        if (!reader_ && !export_) {
            start();
        }
        if (export_) {
            export_->finish();
            return;
        }
        if (screen_) {
            screen_->finish(hits_);
        }
        splitter_.finish();
        if (reader_) {
            reader_->finish();
        }
    }

    [[nodiscard]] LogFormat format() const { return settings_.format; }
    [[nodiscard]] ReaderStats stats() const {
        if (export_) {
            return export_->stats();
        }
        return reader_ ? reader_->stats() : ReaderStats{};
    }

private:
    void start() {
        settings_.format =
            format_override_.value_or(detect_format(head_lines(head_, kDetectLines)));
        if (settings_.format == LogFormat::journal_export) {
            // Binary fields hold raw newlines: the export format is decoded from bytes, not
            // split into lines.
            export_.emplace(settings_.source, sink_);
            export_->feed(head_);
        } else {
            split(reader_.emplace(settings_, sink_), head_);
        }
        head_.clear();
        head_.shrink_to_fit();
    }

    void split(RecordReader& reader, std::string_view bytes) {
        if (!screen_) {
            splitter_.feed(bytes);
            return;
        }
        screen_->scan(bytes, hits_);
        while (!bytes.empty()) {
            // Lines before the next possible match that no wanted record may take as its
            // continuation are counted, not split.
            if (splitter_.at_line_start() && !reader.wants_lines()) {
                const std::uint64_t here = splitter_.bytes_fed();
                while (next_hit_ < hits_.size() && hits_[next_hit_].end <= here) {
                    ++next_hit_;
                }
                std::size_t stop = bytes.size();
                if (next_hit_ < hits_.size()) {
                    stop = static_cast<std::size_t>(
                        std::min<std::uint64_t>(hits_[next_hit_].end - here - 1, bytes.size()));
                }
                // Back to the start of the line that holds the match (or is cut by the chunk).
                const auto line_start = bytes.substr(0, stop).rfind('\n');
                if (line_start != std::string_view::npos) {
                    reader.skip_screened_lines(
                        splitter_.skip_lines(bytes.substr(0, line_start + 1)));
                    bytes.remove_prefix(line_start + 1);
                    continue;
                }
            }
            // One line through the splitter and the reader.
            const auto newline = bytes.find('\n');
            const std::size_t take = newline == std::string_view::npos ? bytes.size() : newline + 1;
            splitter_.feed(bytes.substr(0, take));
            bytes.remove_prefix(take);
        }
        if (next_hit_ > 0) {
            hits_.erase(hits_.begin(), hits_.begin() + static_cast<std::ptrdiff_t>(next_hit_));
            next_hit_ = 0;
        }
    }

    // A line is a candidate when a possible match ends inside it (or at its CR): the screen
    // reports the offset just past a match, so (start, start + kept + dropped + 1].
    void take_line(const SplitLine& line) {
        // The splitter is fed only once the reader is made.
        if (!reader_) {
            return;
        }
        RecordReader& reader = *reader_;
        if (!screen_) {
            reader.add_line(line);
            return;
        }
        const std::uint64_t last = line.byte_offset + line.text.size() + line.dropped_bytes + 1;
        while (next_hit_ < hits_.size() && hits_[next_hit_].end <= line.byte_offset) {
            ++next_hit_;
        }
        std::vector<std::uint32_t> hints;
        for (std::size_t i = next_hit_; i < hits_.size() && hits_[i].end <= last; ++i) {
            hints.push_back(hits_[i].rule_index);
        }
        reader.add_screened_line(line, std::move(hints));
    }

    std::optional<LogFormat> format_override_;
    ReaderSettings settings_;
    const RecordReader::Sink& sink_;
    std::string head_;
    std::optional<RecordReader> reader_;
    std::optional<JournalExportDecoder> export_;
    std::optional<LineScreen> screen_;
    // Possible matches not yet behind the lines read, and how many of them the lines passed.
    std::vector<LineScreen::Hit> hits_;
    std::size_t next_hit_ = 0;
    LineSplitter splitter_;
};

}  // namespace

Collected<SourceSummary> read_source(const Root& root, const SourceSpec& spec,
                                     const ReadOptions& options, const RecordReader::Sink& sink) {
    Collected<SourceSummary> result;
    result.data.path = spec.in_root ? root.display(spec.path) : spec.path;
    ChunkSource source(root, spec, options.deadline);
    if (auto opened = source.open(); !opened) {
        result.add_issue(opened.error());
        return result;
    }
    result.data.opened = true;
    ReaderSettings settings{LogFormat::plain,    result.data.path,  options.zone,
                            options.forced_year, source.modified(), options.boot_time};
    Pipeline pipeline(options, std::move(settings), sink);
    std::unique_ptr<Decompressor> decompressor;
    const auto output = [&](std::string_view bytes) { pipeline.take(bytes); };
    bool failed = false;
    while (true) {
        auto chunk = source.next(options.chunk_bytes);
        if (!chunk) {
            result.add_issue(chunk.error());
            failed = true;
            break;
        }
        if (!decompressor) {
            result.data.compression = detect_compression(*chunk);
            decompressor = Decompressor::create(result.data.compression);
        }
        if (auto fed = decompressor->feed(*chunk, output); !fed) {
            result.add_issue(Issue{IssueLevel::error, "decompress", result.data.path, fed.error(),
                                   "the records before the damage are shown"});
            failed = true;
            break;
        }
        if (options.progress_bytes != nullptr) {
            options.progress_bytes->fetch_add(chunk->size(), std::memory_order_relaxed);
        }
        const bool last =
            chunk->size() < options.chunk_bytes ||
            (options.max_bytes_per_source && source.offset() >= *options.max_bytes_per_source);
        source.recycle(std::move(*chunk));
        if (last) {
            break;
        }
    }
    if (!failed && decompressor) {
        if (auto done = decompressor->finish(); !done) {
            result.add_issue(Issue{IssueLevel::error, "decompress", result.data.path, done.error(),
                                   "the file may still be being written"});
        }
    }
    pipeline.finish();
    result.data.format = pipeline.format();
    result.data.stats = pipeline.stats();
    result.data.bytes_read = source.offset();
    return result;
}

namespace {

// Rotation suffix order: "" (live) is newest, then .1, .2.gz, ...; returns the generation.
std::optional<unsigned> rotation_generation(std::string_view base, std::string_view name) {
    if (!name.starts_with(base)) {
        return std::nullopt;
    }
    std::string_view rest = name.substr(base.size());
    if (rest.empty()) {
        return 0;
    }
    if (!rest.starts_with('.')) {
        return std::nullopt;
    }
    rest.remove_prefix(1);
    unsigned generation = 0;
    std::size_t digits = 0;
    while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9' && digits < 6) {
        generation = generation * 10 + static_cast<unsigned>(rest[digits] - '0');
        ++digits;
    }
    if (digits == 0) {
        return std::nullopt;
    }
    rest.remove_prefix(digits);
    if (rest.empty() || rest == ".gz" || rest == ".xz" || rest == ".zst") {
        return generation;
    }
    return std::nullopt;
}

}  // namespace

Collected<std::vector<SourceSpec>> default_sources(const Root& root) {
    // Where Debian's rsyslog (/etc/rsyslog.conf), Red Hat's, Debian's apache2 and nginx
    // packages and util-linux's dmesg unit write.
    struct Place {
        std::string_view dir;
        std::string_view base;
    };
    static constexpr std::array<Place, 9> kPlaces{{
        {"/var/log", "syslog"},
        {"/var/log", "messages"},
        {"/var/log", "kern.log"},
        {"/var/log", "dmesg"},
        {"/var/log/apache2", "error.log"},
        {"/var/log/httpd", "error_log"},
        {"/var/log/nginx", "error.log"},
        {"/var/log", "daemon.log"},
        {"/var/log", "user.log"},
    }};
    Collected<std::vector<SourceSpec>> result;
    // Each directory is listed once, and a missing /var/log is said once.
    std::map<std::string_view, std::vector<std::string>> listings;
    for (const auto& place : kPlaces) {
        auto listed = listings.find(place.dir);
        if (listed == listings.end()) {
            auto listing = root.list_dir(place.dir);
            if (!listing && place.dir == "/var/log") {
                result.add_issue(listing.error());
            }
            listed =
                listings
                    .emplace(place.dir, listing ? std::move(*listing) : std::vector<std::string>{})
                    .first;
        }
        const auto& names = listed->second;
        std::vector<std::pair<unsigned, std::string>> found;
        for (const auto& name : names) {
            if (const auto generation = rotation_generation(place.base, name)) {
                found.emplace_back(*generation, name);
            }
        }
        // Oldest (highest generation) first, so a stable sort keeps file order on ties.
        std::sort(found.begin(), found.end(),
                  [](const auto& a, const auto& b) { return a.first > b.first; });
        for (const auto& [generation, name] : found) {
            result.data.push_back({fmt::format("{}/{}", place.dir, name), true});
        }
    }
    const bool any_file = !result.data.empty();
    if (has_journal(root)) {
        result.data.push_back({"journal", true, SourceKind::journal});
    }
    // The kernel's ring is only the live box's; a captured tree keeps it as a dmesg file.
    if (root.is_live()) {
        result.data.push_back({"/dev/kmsg", true, SourceKind::kmsg});
    }
    if (!any_file && result.issues.empty() && !has_journal(root)) {
        result.add_issue(Issue{IssueLevel::info, "find", root.display("/var/log"),
                               "no syslog, kernel, Apache or nginx log files and no journal",
                               "name files on the command line"});
    }
    return result;
}

std::optional<UtcTime> read_boot_time(const Root& root) {
    auto stat = root.read_file("/proc/stat", std::size_t{1} << 20U);
    if (!stat) {
        return std::nullopt;
    }
    const auto at = stat->find("\nbtime ");
    if (at == std::string::npos) {
        return std::nullopt;
    }
    std::int64_t seconds = 0;
    for (std::size_t i = at + 7; i < stat->size() && (*stat)[i] >= '0' && (*stat)[i] <= '9'; ++i) {
        seconds = seconds * 10 + ((*stat)[i] - '0');
    }
    if (seconds == 0) {
        return std::nullopt;
    }
    return UtcTime{std::chrono::seconds{seconds}};
}

Collected<TimeZone> machine_zone(const Root& root) {
    Collected<TimeZone> result;
    auto bytes = root.read_file("/etc/localtime", std::size_t{1} << 20U);
    if (!bytes) {
        result.add_issue(to_issue(bytes.error(), IssueLevel::info));
        result.data = TimeZone::fixed(0, "UTC");
        return result;
    }
    std::string name = "localtime";
    if (auto link = root.read_link("/etc/localtime")) {
        const auto at = link->find("zoneinfo/");
        name = at == std::string::npos ? *link : link->substr(at + 9);
    }
    auto zone = TimeZone::from_tzif(*bytes, name);
    if (!zone) {
        result.add_issue(Issue{IssueLevel::error, "decode", root.display("/etc/localtime"),
                               zone.error(), "give the zone with --tz"});
        result.data = TimeZone::fixed(0, "UTC");
        return result;
    }
    result.data = std::move(*zone);
    return result;
}

std::expected<TimeZone, std::string> zone_from_argument(const Root& root, std::string_view text) {
    if (const auto offset = parse_utc_offset(text)) {
        return TimeZone::fixed(*offset, std::string(text));
    }
    if (text.empty() || text.find("..") != std::string_view::npos || text.starts_with('/')) {
        return std::unexpected(fmt::format("--tz: '{}' is not a zone name or offset", text));
    }
    const std::string path = fmt::format("/usr/share/zoneinfo/{}", text);
    auto bytes = root.read_file(path, std::size_t{1} << 20U);
    if (!bytes) {
        return std::unexpected(fmt::format("--tz: {}", describe(bytes.error())));
    }
    auto zone = TimeZone::from_tzif(*bytes, std::string(text));
    if (!zone) {
        return std::unexpected(fmt::format("--tz: {}: {}", root.display(path), zone.error()));
    }
    return std::move(*zone);
}

}  // namespace diag::logs
