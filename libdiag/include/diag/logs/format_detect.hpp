#pragma once

#include <diag/logs/log_record.hpp>

#include <string_view>
#include <vector>

namespace diag::logs {

/// The format most of the given first lines of a file parse as (empty lines ignored; ties go to
/// the more specific format). plain when no format parses at least half of them.
/// journal_export when one line is "__REALTIME_TIMESTAMP=..." and at least half of them are
/// export fields (its binary fields do not split into lines, so it is not parsed line by line).
LogFormat detect_format(const std::vector<std::string_view>& first_lines);

}  // namespace diag::logs
