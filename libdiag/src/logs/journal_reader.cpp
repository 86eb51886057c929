#include "diag/logs/journal_reader.hpp"

#include "diag/logs/journal_entry.hpp"

#include <condition_variable>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include <systemd/sd-journal.h>

namespace diag::logs {

namespace {

// The fields a record is made of (record_from_journal); the others are not fetched.
constexpr std::array<const char*, 14> kWantedFields{"MESSAGE",
                                                    "PRIORITY",
                                                    "SYSLOG_IDENTIFIER",
                                                    "SYSLOG_PID",
                                                    "_PID",
                                                    "_COMM",
                                                    "_HOSTNAME",
                                                    "_TRANSPORT",
                                                    "_BOOT_ID",
                                                    "_SYSTEMD_UNIT",
                                                    "SYSLOG_FACILITY",
                                                    "_SOURCE_MONOTONIC_TIMESTAMP",
                                                    "_SOURCE_REALTIME_TIMESTAMP",
                                                    "_MACHINE_ID"};

// Entries handed over at once, and batches waiting at most: the reader stays this far ahead.
constexpr std::size_t kBatchEntries = 2048;
constexpr std::size_t kQueuedBatches = 4;

// The worker's side of a read: batches of records, and how the read ended. Shared with the
// worker thread, which may outlive the call when the journal stops answering.
struct Shared {
    std::mutex mutex;
    std::condition_variable changed;
    std::deque<std::vector<LogRecord>> batches;
    bool done = false;
    bool abandoned = false;
    std::string error;
    std::set<std::string> boots;
};

// Owns the sd_journal handle.
struct JournalHandle {
    sd_journal* journal = nullptr;
    JournalHandle() = default;
    JournalHandle(const JournalHandle&) = delete;
    JournalHandle& operator=(const JournalHandle&) = delete;
    JournalHandle(JournalHandle&&) = delete;
    JournalHandle& operator=(JournalHandle&&) = delete;
    ~JournalHandle() { sd_journal_close(journal); }
};

std::string errno_text(int negative_errno) {
    return std::strerror(-negative_errno);
}

// The fields of the entry the journal points at.
JournalFields entry_fields(sd_journal* journal) {
    JournalFields fields;
    std::uint64_t realtime = 0;
    if (sd_journal_get_realtime_usec(journal, &realtime) >= 0) {
        fields.push_back({"__REALTIME_TIMESTAMP", std::to_string(realtime)});
    }
    std::uint64_t monotonic = 0;
    sd_id128_t boot{};
    if (sd_journal_get_monotonic_usec(journal, &monotonic, &boot) >= 0) {
        fields.push_back({"__MONOTONIC_TIMESTAMP", std::to_string(monotonic)});
    }
    for (const char* name : kWantedFields) {
        const void* data = nullptr;
        std::size_t length = 0;
        if (sd_journal_get_data(journal, name, &data, &length) < 0) {
            continue;
        }
        // The data is "NAME=value" as bytes (sd_journal_get_data(3)); binary-safe.
        const std::string_view item(static_cast<const char*>(data), length);
        const auto equals = item.find('=');
        if (equals != std::string_view::npos) {
            fields.push_back(
                {std::string(item.substr(0, equals)), std::string(item.substr(equals + 1))});
        }
    }
    return fields;
}

// Hands a full batch over, waiting while the reader is behind; false when the reader gave up.
bool hand_over(Shared& shared, std::vector<LogRecord>& batch) {
    std::unique_lock lock(shared.mutex);
    shared.changed.wait(lock,
                        [&] { return shared.abandoned || shared.batches.size() < kQueuedBatches; });
    if (shared.abandoned) {
        return false;
    }
    shared.batches.push_back(std::move(batch));
    batch.clear();
    shared.changed.notify_all();
    return true;
}

void finish(Shared& shared, std::string error) {
    std::lock_guard lock(shared.mutex);
    shared.done = true;
    shared.error = std::move(error);
    shared.changed.notify_all();
}

// The worker: opens the journal below the root directory and reads entries into batches.
void read_entries(const std::shared_ptr<Shared>& shared, const std::shared_ptr<UniqueFd>& root_fd,
                  JournalReadOptions options) {
    JournalHandle handle;
    const int opened =
        sd_journal_open_directory_fd(&handle.journal, root_fd->get(), SD_JOURNAL_OS_ROOT);
    if (opened < 0) {
        finish(*shared, "sd_journal_open_directory_fd: " + errno_text(opened));
        return;
    }
    sd_journal* journal = handle.journal;
    const int seeked = options.since
                           ? sd_journal_seek_realtime_usec(
                                 journal, static_cast<std::uint64_t>(std::max<std::int64_t>(
                                              0, options.since->time_since_epoch().count())))
                           : sd_journal_seek_head(journal);
    if (seeked < 0) {
        finish(*shared, "sd_journal_seek: " + errno_text(seeked));
        return;
    }
    std::vector<LogRecord> batch;
    std::set<std::string> boots;
    std::string error;
    while (true) {
        const int next = sd_journal_next(journal);
        if (next < 0) {
            error = "sd_journal_next: " + errno_text(next);
            break;
        }
        if (next == 0) {
            break;
        }
        LogRecord record = record_from_journal(entry_fields(journal));
        if (options.until && record.time && *record.time > *options.until) {
            break;
        }
        if (options.since && record.time && *record.time < *options.since) {
            continue;
        }
        if (const auto boot = record.field("boot_id"); !boot.empty() && boots.size() < 10000) {
            boots.emplace(boot);
        }
        record.format = LogFormat::journal;
        batch.push_back(std::move(record));
        if (batch.size() >= kBatchEntries && !hand_over(*shared, batch)) {
            return;
        }
    }
    if (!batch.empty() && !hand_over(*shared, batch)) {
        return;
    }
    {
        std::lock_guard lock(shared->mutex);
        shared->boots = std::move(boots);
    }
    finish(*shared, std::move(error));
}

}  // namespace

bool has_journal(const Root& root) {
    return root.exists("/var/log/journal") || root.exists("/run/log/journal");
}

std::string current_boot_id(const Root& root) {
    auto text = root.read_file("/proc/sys/kernel/random/boot_id", 256);
    if (!text) {
        return {};
    }
    std::string id;
    for (const char c : *text) {
        if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) {
            id += c;
        }
    }
    return id.size() == 32 ? id : std::string{};
}

Collected<SourceSummary> read_journal(const Root& root, const JournalReadOptions& options,
                                      const RecordReader::Sink& sink) {
    Collected<SourceSummary> result;
    auto& summary = result.data;
    summary.path = root.is_live() ? "journal" : root.display("/var/log/journal");
    summary.format = LogFormat::journal;
    auto root_fd = root.open_directory("/");
    if (!root_fd) {
        result.add_issue(root_fd.error());
        return result;
    }
    summary.opened = true;
    auto shared = std::make_shared<Shared>();
    auto fd = std::make_shared<UniqueFd>(std::move(*root_fd));
    std::thread([shared, fd, options] { read_entries(shared, fd, options); }).detach();

    while (true) {
        std::vector<LogRecord> batch;
        {
            std::unique_lock lock(shared->mutex);
            const bool ready = shared->changed.wait_for(
                lock, options.deadline, [&] { return !shared->batches.empty() || shared->done; });
            if (!ready) {
                // The worker is stuck in the journal (a dying disk): leave it behind.
                shared->abandoned = true;
                shared->changed.notify_all();
                result.add_issue(
                    Issue{IssueLevel::error, "read", summary.path,
                          fmt::format("no answer within {} ms", options.deadline.count()),
                          "the entries before it are shown"});
                break;
            }
            if (shared->batches.empty()) {
                if (!shared->error.empty()) {
                    result.add_issue(Issue{IssueLevel::error, "read", summary.path, shared->error,
                                           "the entries before it are shown"});
                }
                summary.note = fmt::format("{} boot{}", shared->boots.size(),
                                           shared->boots.size() == 1 ? "" : "s");
                break;
            }
            batch = std::move(shared->batches.front());
            shared->batches.pop_front();
            shared->changed.notify_all();
        }
        for (auto& record : batch) {
            record.source = summary.path;
            ++summary.stats.records;
            ++summary.stats.lines;
            sink(std::move(record));
        }
    }
    if (summary.stats.records == 0 && result.issues.empty()) {
        result.add_issue(Issue{IssueLevel::info, "read", summary.path,
                               options.since || options.until
                                   ? "the journal has no entries in the time asked for"
                                   : "no journal entries under /var/log/journal or "
                                     "/run/log/journal",
                               "journald may not be running, or keeps its journal elsewhere"});
    }
    return result;
}

}  // namespace diag::logs
