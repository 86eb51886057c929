#pragma once

#include <diag/core/collected.hpp>
#include <diag/core/root.hpp>
#include <diag/logs/log_files.hpp>
#include <diag/logs/record_reader.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace diag::logs {

/// What part of the journal is read.
struct JournalReadOptions {
    /// Entries from this time on (sd_journal_seek_realtime_usec); all when absent.
    std::optional<UtcTime> since;
    /// Entries up to this time; reading stops at the first entry past it.
    std::optional<UtcTime> until;
    /// Longest wait for the next batch of entries: a journal on a dying disk can block.
    std::chrono::milliseconds deadline{5000};
};

/// True when the root has a journal directory (/var/log/journal or /run/log/journal).
bool has_journal(const Root& root);

/// The boot id of the running kernel (/proc/sys/kernel/random/boot_id) as the journal writes
/// it (32 hex digits, no dashes); empty when it cannot be read.
std::string current_boot_id(const Root& root);

/// Reads the journal files under the root's /var/log/journal and /run/log/journal (every boot,
/// system and user journals) with libsystemd (sd_journal_open_directory_fd with
/// SD_JOURNAL_OS_ROOT, so a captured root's journal is read the same way as the live one) and
/// gives each entry to sink as a record of format journal (see record_from_journal), in time
/// order. Entries are read on a worker thread in batches; a batch that does not come within the
/// deadline ends the read with an Issue, and what came before stands. A journal with no entries
/// is an info Issue, never an empty "all quiet". The summary's note counts the boots seen.
Collected<SourceSummary> read_journal(const Root& root, const JournalReadOptions& options,
                                      const RecordReader::Sink& sink);

}  // namespace diag::logs
