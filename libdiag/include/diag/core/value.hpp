#pragma once

#include <cstdint>
#include <string>
#include <variant>

namespace diag {

/// One measured or read value. Numbers stay numbers all the way to JSON.
using Value = std::variant<std::int64_t, std::uint64_t, double, bool, std::string>;

/// A named value behind a finding. The key carries the unit: "available_bytes", "ratio".
struct Evidence {
    std::string key;
    Value value;
};

/// The value as plain text, as a person would read it (doubles with up to 4 significant digits).
std::string to_display_string(const Value& value);

}  // namespace diag
