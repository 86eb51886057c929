#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace diag {

/// "512 B", "3.4 KiB", "12.0 GiB": binary multiples, one decimal above bytes.
std::string format_bytes(std::uint64_t bytes);

/// "45s", "3m 05s", "2h 10m", "4d 03h".
std::string format_duration(std::chrono::seconds duration);

/// "2026-12-03 13:40:02 UTC".
std::string format_utc(std::chrono::system_clock::time_point time);

/// ISO 8601 with a Z, for JSON: "2026-12-03T13:40:02.123Z".
std::string format_iso8601(std::chrono::system_clock::time_point time);

}  // namespace diag
