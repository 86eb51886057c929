#pragma once

#include <diag/core/collected.hpp>
#include <diag/core/root.hpp>
#include <diag/crash/core_discovery.hpp>

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace diag::crash {

/// The MESSAGE_ID of systemd-coredump's entry for each crash (SD_MESSAGE_COREDUMP in systemd's
/// src/systemd/sd-messages.h).
inline constexpr std::string_view kCoredumpMessageId = "fc2e22bc6ee647b6b90729ab34a250b1";

/// One crash as its journal entry tells it: COREDUMP_PID, _UID, _SIGNAL, _EXE (or _COMM),
/// _TIMESTAMP (µs since the epoch) and COREDUMP_FILENAME, the stored core's path, which is
/// absent when the core was not kept (systemd-coredump(8), "Information about the crashed
/// process"). core_present is false without a COREDUMP_FILENAME; the path is then empty.
FoundCore core_from_journal_fields(const std::map<std::string, std::string>& fields);

/// Every systemd-coredump entry in the root's journal (libsystemd, sd_journal_open_directory_fd
/// with SD_JOURNAL_OS_ROOT, matched on kCoredumpMessageId), read on a worker under the deadline.
/// A root without a journal gives nothing and no Issue; a journal that cannot be read or does
/// not answer in time is an Issue.
Collected<std::vector<FoundCore>> read_coredump_journal(const Root& root,
                                                        std::chrono::milliseconds deadline);

/// Adds what the journal says to the cores found in systemd-coredump's store (matched by
/// path): signal, executable path and time. An entry whose core is not in the store is added
/// with core_present false.
void merge_journal_cores(std::vector<FoundCore>& cores, const std::vector<FoundCore>& journal);

}  // namespace diag::crash
