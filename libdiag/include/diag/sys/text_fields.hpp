#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace diag::sys {

/// Splits on runs of spaces and tabs, dropping empty fields.
std::vector<std::string_view> split_fields(std::string_view line);

/// Splits text into lines on '\n', dropping a final '\r' from each and an empty last line.
std::vector<std::string_view> split_lines(std::string_view text);

/// A whole decimal integer, with an optional sign; nullopt for anything else.
std::optional<std::int64_t> parse_int(std::string_view text);

/// A whole non-negative decimal integer; nullopt for anything else.
std::optional<std::uint64_t> parse_uint(std::string_view text);

/// A finite decimal number such as "0.52"; nullopt for anything else, "nan" and "inf" included.
std::optional<double> parse_double(std::string_view text);

}  // namespace diag::sys
