#pragma once

// Reading a log file by offset under a deadline: shared by the one-pass reader (log_files.cpp)
// and the follower (log_follower.cpp), which both keep the file open by descriptor.

#include <diag/core/error.hpp>
#include <diag/core/unique_fd.hpp>

#include <chrono>
#include <cstdint>
#include <expected>
#include <memory>
#include <string>

namespace diag::logs::detail {

/// Up to max_bytes from offset on, read with pread(2) (EINTR retried) on a thread that owns a
/// share of the descriptor, so a read stuck on a dying disk is left behind when the deadline
/// passes. Short or empty at the end of the file. The error names the read, the path and why.
std::expected<std::string, Error> read_at(std::shared_ptr<UniqueFd> fd, std::uint64_t offset,
                                          std::size_t max_bytes, const std::string& path,
                                          std::chrono::milliseconds deadline);

}  // namespace diag::logs::detail
