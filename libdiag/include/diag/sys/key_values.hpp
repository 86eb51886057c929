#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace diag::sys {

/// Named counters from one /proc file, such as "MemAvailable" or "Tcp:RetransSegs".
using KeyValues = std::map<std::string, std::int64_t, std::less<>>;

/// /proc/meminfo: "Key:   value kB" lines. Values with a kB unit are returned in bytes;
/// unitless ones (HugePages_Total) as they are. Lines that do not parse are skipped.
/// Format: Documentation/filesystems/proc.rst, "meminfo".
KeyValues parse_meminfo(std::string_view text);

/// /proc/vmstat: "name value" lines, such as "oom_kill 3" and "pswpin 120".
KeyValues parse_vmstat(std::string_view text);

/// /proc/net/snmp and /proc/net/netstat: pairs of lines, a header "Tcp: RtoAlgorithm ..." and
/// a value line "Tcp: 1 ...". Keys are "Prefix:Name" ("TcpExt:ListenOverflows"). Values may be
/// negative (Tcp:MaxConn is -1). A pair whose lengths differ is read as far as both go.
KeyValues parse_snmp(std::string_view text);

/// Looks a key up; nullopt when absent.
std::optional<std::int64_t> find(const KeyValues& values, std::string_view key);

}  // namespace diag::sys
