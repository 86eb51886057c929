#pragma once

#include <diag/logs/log_record.hpp>

#include <string_view>
#include <vector>

namespace diag::logs {

/// The format most of the given first lines of a file parse as (empty lines ignored; ties go to
/// the more specific format). plain when no format parses at least half of them.
LogFormat detect_format(const std::vector<std::string_view>& first_lines);

}  // namespace diag::logs
