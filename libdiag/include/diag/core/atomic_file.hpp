#pragma once

#include <diag/core/error.hpp>

#include <expected>
#include <string>
#include <string_view>

#include <sys/types.h>

namespace diag {

/// Writes content to path so that a reader sees either the old file or the whole new one:
/// a temporary file in the same directory, written, fsynced, given `mode`, then renamed over
/// path. On any failure the temporary file is removed and path is untouched.
std::expected<void, Error> write_file_atomically(const std::string& path, std::string_view content,
                                                 mode_t mode);

}  // namespace diag
