#pragma once

#include <diag/core/issue.hpp>
#include <diag/core/root.hpp>
#include <diag/logs/log_files.hpp>
#include <diag/logs/record_reader.hpp>

#include <chrono>
#include <memory>
#include <vector>

namespace diag::logs {

/// Follows log files as they grow (`diag-logs -f`), across both kinds of rotation, so that no
/// line is lost and none is read twice:
///
/// - rename (logrotate's default, rsyslog's HUP): the file is renamed and a new one created.
///   The renamed file is still open and is read to its end, and for a grace period after that
///   (a writer may still append to it before it reopens); the new file is read from its start.
/// - copytruncate: the file is copied to PATH.1 and truncated in place. A truncation is seen
///   when the file is shorter than what was read or the bytes just before the read position
///   changed; the bytes written between the last read and the copy are then read from PATH.1
///   (when its bytes before that position are the ones read), and the file again from its
///   start.
///
/// Each file keeps its own line splitter and record reader; a record held back for
/// continuation lines is given out once its file has been quiet for one poll.
class LogFollower {
public:
    /// How long a renamed file is still read after it last grew.
    static constexpr std::chrono::milliseconds kRenamedGrace{2000};

    /// Files to follow (kind file). Nothing is read until poll().
    LogFollower(const Root& root, std::vector<SourceSpec> files, ReadOptions options,
                RecordReader::Sink sink);
    ~LogFollower();
    LogFollower(const LogFollower&) = delete;
    LogFollower& operator=(const LogFollower&) = delete;
    LogFollower(LogFollower&&) = delete;
    LogFollower& operator=(LogFollower&&) = delete;

    /// Reads what every file gained since the last call (the first call reads them from their
    /// start), following rotation, and gives the records to the sink in each file's order.
    /// Returns the problems met in this step (a file that cannot be opened yet is said once).
    std::vector<Issue> poll();

    /// Ends following: every record held back is given out.
    void finish();

    /// What each file gave so far, in the order the files were named.
    [[nodiscard]] std::vector<SourceSummary> summaries() const;

private:
    struct Followed;
    struct Pass;
    const Root& root_;
    ReadOptions options_;
    RecordReader::Sink sink_;
    std::vector<std::unique_ptr<Followed>> files_;
};

}  // namespace diag::logs
