#pragma once

#include <diag/logs/log_record.hpp>

#include <string_view>
#include <vector>

namespace diag::logs {

/// The first lines of a file's head for detect_format, at most max_lines: a CR before the LF
/// and NULs in front of a line are dropped, and a last line without LF is kept.
std::vector<std::string_view> head_lines(std::string_view head, std::size_t max_lines);

/// The format most of the given first lines of a file parse as (empty lines ignored; ties go to
/// the more specific format). plain when no format parses at least half of them.
/// journal_export when one line is "__REALTIME_TIMESTAMP=..." and at least half of them are
/// export fields (its binary fields do not split into lines, so it is not parsed line by line).
LogFormat detect_format(const std::vector<std::string_view>& first_lines);

}  // namespace diag::logs
