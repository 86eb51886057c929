#pragma once

#include <diag/core/collected.hpp>
#include <diag/core/root.hpp>
#include <diag/logs/log_files.hpp>
#include <diag/logs/record_reader.hpp>

#include <chrono>
#include <optional>

namespace diag::logs {

/// Reads every record in the kernel's ring now through the root's /dev/kmsg (a character
/// device, opened non-blocking; each read(2) gives one record, EAGAIN means the end and EPIPE
/// that older records were overwritten while reading, kernel Documentation/ABI/testing/dev-kmsg)
/// and gives them to sink as kmsg records dated through boot_time. The whole read runs under the
/// deadline. Needs CAP_SYSLOG where kernel.dmesg_restrict is set: a refusal is an Issue with a
/// hint. Memory is bounded by the ring's size (log_buf_len).
Collected<SourceSummary> read_kmsg(const Root& root, std::optional<UtcTime> boot_time,
                                   std::chrono::milliseconds deadline,
                                   const RecordReader::Sink& sink);

}  // namespace diag::logs
