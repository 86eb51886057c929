#include "diag/logs/log_follower.hpp"

#include "diag/core/deadline.hpp"
#include "diag/logs/format_detect.hpp"
#include "diag/logs/line_splitter.hpp"
#include "read_at.hpp"

#include <algorithm>
#include <cerrno>
#include <optional>
#include <string>
#include <utility>

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace diag::logs {

namespace {

using Clock = std::chrono::steady_clock;

// Bytes read in one step, and bytes remembered before the read position to notice a file that
// was truncated and written again past that position.
constexpr std::size_t kChunkBytes = std::size_t{1} << 20U;
constexpr std::size_t kFingerprintBytes = 64;

struct FileId {
    std::uint64_t device = 0;
    std::uint64_t inode = 0;
    bool operator==(const FileId&) const = default;
};

struct OpenedFile {
    std::shared_ptr<UniqueFd> fd;
    FileId id;
};

std::string timeout_reason(std::chrono::milliseconds limit) {
    return fmt::format("no answer within {} ms", limit.count());
}

// Opens a followed file: through the root for this box's logs, directly for a path the user
// named. Either way only a regular file is taken.
std::expected<OpenedFile, Error> open_followed(const Root& root, const std::string& path,
                                               bool in_root, std::chrono::milliseconds deadline) {
    UniqueFd fd;
    if (in_root) {
        auto opened = root.open_file(path);
        if (!opened) {
            return std::unexpected(opened.error());
        }
        fd = std::move(*opened);
    } else {
        auto opened = run_with_deadline(
            [path]() -> std::expected<UniqueFd, int> {
                const int raw = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
                if (raw < 0) {
                    return std::unexpected(errno);
                }
                return UniqueFd(raw);
            },
            deadline);
        if (!opened) {
            return std::unexpected(Error{"open", path, timeout_reason(deadline), ETIME});
        }
        if (!*opened) {
            return std::unexpected(system_error("open", path, opened->error()));
        }
        fd = std::move(**opened);
    }
    struct stat info {};
    if (::fstat(fd.get(), &info) != 0) {
        return std::unexpected(system_error("stat", path, errno));
    }
    if (!S_ISREG(info.st_mode)) {
        return std::unexpected(Error{"open", path, "not a regular file", 0});
    }
    return OpenedFile{
        std::make_shared<UniqueFd>(std::move(fd)),
        {static_cast<std::uint64_t>(info.st_dev), static_cast<std::uint64_t>(info.st_ino)}};
}

// What the path names now; nullopt when nothing (between a rename and the new file).
std::optional<FileId> identify(const Root& root, const std::string& path, bool in_root,
                               std::chrono::milliseconds deadline) {
    if (in_root) {
        auto info = root.stat_file(path);
        if (!info) {
            return std::nullopt;
        }
        return FileId{info->device, info->inode};
    }
    auto found = run_with_deadline(
        [path]() -> std::optional<FileId> {
            struct stat info {};
            if (::stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) {
                return std::nullopt;
            }
            return FileId{static_cast<std::uint64_t>(info.st_dev),
                          static_cast<std::uint64_t>(info.st_ino)};
        },
        deadline);
    return found ? *found : std::nullopt;
}

// One file as opened: a path may name several in turn, and a renamed one is still read.
struct Generation {
    std::shared_ptr<UniqueFd> fd;
    FileId id;
    std::uint64_t offset = 0;
    // The bytes just before offset, to notice a truncation followed by new writes.
    std::string fingerprint;
    std::unique_ptr<RecordReader> reader;
    std::unique_ptr<LineSplitter> splitter;
    Clock::time_point last_growth = Clock::now();
    bool grew = false;
};

std::optional<std::uint64_t> size_of(const std::shared_ptr<UniqueFd>& fd) {
    struct stat info {};
    if (::fstat(fd->get(), &info) != 0) {
        return std::nullopt;
    }
    return static_cast<std::uint64_t>(info.st_size);
}

}  // namespace

struct LogFollower::Followed {
    SourceSpec spec;
    std::string display;
    std::optional<LogFormat> format;
    std::unique_ptr<Generation> current;
    std::vector<std::unique_ptr<Generation>> renamed;
    SourceSummary summary;
    bool said_missing = false;
};

namespace {

void remember(Generation& generation, std::string_view data) {
    generation.offset += data.size();
    generation.grew = generation.grew || !data.empty();
    if (data.size() >= kFingerprintBytes) {
        generation.fingerprint.assign(data.substr(data.size() - kFingerprintBytes));
    } else {
        generation.fingerprint.append(data);
        if (generation.fingerprint.size() > kFingerprintBytes) {
            generation.fingerprint.erase(0, generation.fingerprint.size() - kFingerprintBytes);
        }
    }
}

}  // namespace

LogFollower::LogFollower(const Root& root, std::vector<SourceSpec> files, ReadOptions options,
                         RecordReader::Sink sink)
    : root_(root), options_(std::move(options)), sink_(std::move(sink)) {
    for (auto& spec : files) {
        auto followed = std::make_unique<Followed>();
        followed->display = spec.in_root ? root_.display(spec.path) : spec.path;
        followed->summary.path = followed->display;
        followed->format = options_.format;
        followed->spec = std::move(spec);
        files_.push_back(std::move(followed));
    }
}

LogFollower::~LogFollower() = default;

// One poll's reading of every file: what each generation holds now, and the issues met.
struct LogFollower::Pass {
    LogFollower& follower;
    std::vector<Issue>& issues;
    Clock::time_point now;

    // Feeds bytes of one generation to its reader, made once the file's format is known.
    void feed(Followed& file, Generation& generation, std::string_view data) {
        if (!generation.splitter) {
            if (!file.format) {
                file.format = detect_format(head_lines(data, 40));
            }
            file.summary.format = *file.format;
            ReaderSettings settings{*file.format,           file.display,
                                    follower.options_.zone, follower.options_.forced_year,
                                    std::nullopt,           follower.options_.boot_time};
            // A followed file is being written now: year-less stamps are of this year.
            settings.modified = std::chrono::time_point_cast<std::chrono::microseconds>(
                std::chrono::system_clock::now());
            generation.reader = std::make_unique<RecordReader>(
                std::move(settings), [&sink = follower.sink_, &file](LogRecord&& record) {
                    ++file.summary.stats.records;
                    sink(std::move(record));
                });
            auto* reader = generation.reader.get();
            generation.splitter = std::make_unique<LineSplitter>(
                [reader](const SplitLine& line) { reader->add_line(line); });
        }
        generation.splitter->feed(data);
        file.summary.bytes_read += data.size();
    }

    // Reads a generation to its current end.
    void drain(Followed& file, Generation& generation) {
        while (true) {
            auto chunk = detail::read_at(generation.fd, generation.offset, kChunkBytes,
                                         file.display, follower.options_.deadline);
            if (!chunk) {
                issues.push_back(to_issue(chunk.error()));
                return;
            }
            if (!chunk->empty()) {
                feed(file, generation, *chunk);
                remember(generation, *chunk);
            }
            if (chunk->size() < kChunkBytes) {
                return;
            }
        }
    }

    // copytruncate: the bytes between what was read and the copy are in PATH.1.
    void catch_up_from_copy(Followed& file, Generation& generation) {
        const std::string copy_path = file.spec.path + ".1";
        auto copy =
            open_followed(follower.root_, copy_path, file.spec.in_root, follower.options_.deadline);
        const auto copy_size = copy ? size_of(copy->fd) : std::nullopt;
        if (copy_size && *copy_size <= generation.offset) {
            return;  // everything the copy holds was read already
        }
        bool same_start = false;
        if (copy_size) {
            const auto fingerprint_at = generation.offset - generation.fingerprint.size();
            auto before = detail::read_at(copy->fd, fingerprint_at, generation.fingerprint.size(),
                                          copy_path, follower.options_.deadline);
            same_start = before && *before == generation.fingerprint;
        }
        if (!same_start) {
            issues.push_back(Issue{
                IssueLevel::error, "follow", file.display,
                "truncated, and no copy in " + copy_path + " holds the lines written just before",
                "those lines may be missing here"});
            return;
        }
        Generation from_copy;
        from_copy.fd = copy->fd;
        from_copy.offset = generation.offset;
        while (true) {
            auto chunk = detail::read_at(from_copy.fd, from_copy.offset, kChunkBytes, copy_path,
                                         follower.options_.deadline);
            if (!chunk || chunk->empty()) {
                break;
            }
            feed(file, generation, *chunk);
            from_copy.offset += chunk->size();
        }
    }

    // The file the path names now, to its end; a truncation is caught up from the copy first.
    void read_current(Followed& file) {
        if (!file.current) {
            return;
        }
        auto& generation = *file.current;
        generation.grew = false;
        const auto size = size_of(generation.fd);
        bool truncated = size && *size < generation.offset;
        if (!truncated && !generation.fingerprint.empty()) {
            auto before = detail::read_at(
                generation.fd, generation.offset - generation.fingerprint.size(),
                generation.fingerprint.size(), file.display, follower.options_.deadline);
            truncated = before && *before != generation.fingerprint;
        }
        if (truncated) {
            catch_up_from_copy(file, generation);
            generation.offset = 0;
            generation.fingerprint.clear();
        }
        drain(file, generation);
    }

    void poll_file(Followed& file) {
        for (auto& old : file.renamed) {
            old->grew = false;
            drain(file, *old);
        }
        read_current(file);
        // A rename: the path now names another file, or nothing yet.
        const auto named =
            identify(follower.root_, file.spec.path, file.spec.in_root, follower.options_.deadline);
        if (file.current && named != file.current->id) {
            file.current->last_growth = now;
            file.renamed.push_back(std::move(file.current));
        }
        if (!file.current && named) {
            auto opened = open_followed(follower.root_, file.spec.path, file.spec.in_root,
                                        follower.options_.deadline);
            if (opened) {
                file.current = std::make_unique<Generation>();
                file.current->fd = opened->fd;
                file.current->id = opened->id;
                file.summary.opened = true;
                drain(file, *file.current);
            } else if (!file.said_missing) {
                issues.push_back(to_issue(opened.error(), IssueLevel::info));
                file.said_missing = true;
            }
        } else if (!file.current && !file.said_missing && !file.summary.opened) {
            issues.push_back(Issue{IssueLevel::info, "follow", file.display, "does not exist yet",
                                   "it is read once it appears"});
            file.said_missing = true;
        }
        // Renamed files are read until they have been quiet for the grace period.
        for (auto& old : file.renamed) {
            if (old->grew) {
                old->last_growth = now;
            }
        }
        std::erase_if(file.renamed, [&](const std::unique_ptr<Generation>& old) {
            if (now - old->last_growth < kRenamedGrace) {
                return false;
            }
            if (old->splitter) {
                old->splitter->finish();
                old->reader->finish();
            }
            return true;
        });
        // A quiet file's last record is not held back for continuation lines any longer.
        if (file.current && !file.current->grew && file.current->reader) {
            file.current->reader->flush_pending();
        }
    }
};

std::vector<Issue> LogFollower::poll() {
    std::vector<Issue> issues;
    Pass pass{*this, issues, Clock::now()};
    for (auto& file : files_) {
        pass.poll_file(*file);
    }
    return issues;
}

void LogFollower::finish() {
    for (auto& file : files_) {
        for (auto& old : file->renamed) {
            if (old->splitter) {
                old->splitter->finish();
                old->reader->finish();
            }
        }
        file->renamed.clear();
        if (file->current && file->current->splitter) {
            file->current->splitter->finish();
            file->current->reader->finish();
        }
    }
}

std::vector<SourceSummary> LogFollower::summaries() const {
    std::vector<SourceSummary> result;
    for (const auto& file : files_) {
        result.push_back(file->summary);
    }
    return result;
}

}  // namespace diag::logs
