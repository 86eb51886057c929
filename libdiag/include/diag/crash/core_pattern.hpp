#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace diag::crash {

/// Who receives a core when /proc/sys/kernel/core_pattern starts with '|'.
enum class CoreHandler { none, systemd_coredump, apport, abrt, other };

/// /proc/sys/kernel/core_pattern decoded. Format: Documentation/admin-guide/sysctl/kernel.rst
/// ("core_pattern") and fs/coredump.c format_corename().
struct CorePattern {
    /// The text as read, without the trailing newline.
    std::string text;
    /// True when cores go to a program through a pipe ("|/path args").
    bool is_pipe = false;
    CoreHandler handler = CoreHandler::none;
    /// The pipe program (its first word), empty for a file pattern.
    std::string program;
    /// For a file pattern: the directory part ("" when relative to the crashing process's cwd).
    std::string directory;
    /// For a file pattern: the file name part, with its % specifiers still in it.
    std::string file_pattern;
    /// True when the pattern holds %p or %P (otherwise the kernel appends .PID when
    /// core_uses_pid is 1).
    bool has_pid = false;
    /// Specifiers the kernel does not know ("%z"); the kernel drops them.
    std::vector<std::string> unknown_specifiers;
};

/// Decodes core_pattern text. Never fails: an empty pattern means the default "core".
CorePattern parse_core_pattern(std::string_view text);

/// The values a file pattern is expanded with; an absent one expands to nothing.
struct CoreNameFields {
    std::optional<int> pid;
    std::optional<int> global_pid;
    std::optional<int> tid;
    std::optional<unsigned> uid;
    std::optional<unsigned> gid;
    std::optional<int> signal;
    std::optional<long long> time_seconds;
    std::string hostname;
    /// %e: the thread's comm (up to 15 bytes), with '/' replaced by '!'.
    std::string comm;
    /// %E: the executable path with '/' replaced by '!'.
    std::string exe_path;
    std::optional<int> dumpable;
    std::optional<unsigned long long> rlimit_core_bytes;
};

/// The file name the kernel would make from a file pattern (format_corename's rules for
/// %p %P %i %I %u %g %d %s %t %h %e %E %c %%).
std::string expand_core_pattern(std::string_view pattern, const CoreNameFields& fields);

/// True when a file name could have been made by the file pattern part (each specifier
/// matches one or more characters, literal text matches itself). Used to find cores in the
/// pattern's directory.
bool matches_core_pattern(std::string_view file_pattern, std::string_view name);

/// "systemd-coredump", "apport", "abrt", "pipe" or "file".
std::string_view handler_name(CoreHandler handler);

}  // namespace diag::crash
