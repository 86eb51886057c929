#pragma once

#include <diag/core/collected.hpp>
#include <diag/core/root.hpp>
#include <diag/crash/core_pattern.hpp>

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace diag::crash {

/// One side of RLIMIT_CORE: a byte count, or nullopt for "unlimited".
using CoreLimitBytes = std::optional<std::uint64_t>;

/// A process's RLIMIT_CORE (getrlimit(2)).
struct CoreLimit {
    CoreLimitBytes soft_bytes;
    CoreLimitBytes hard_bytes;
};

/// The "Max core file size" line of /proc/PID/limits (proc(5)); nullopt when absent or
/// malformed.
std::optional<CoreLimit> parse_core_limit(std::string_view limits_text);

/// What decides whether a crash of a process leaves a core.
struct CoreSetup {
    CorePattern pattern;
    /// The process the limit was read for.
    int pid = 0;
    std::optional<CoreLimit> limit;
    /// /proc/sys/fs/suid_dumpable: 0 no dumps of set-user-ID programs, 1 all, 2 root-only.
    std::optional<int> suid_dumpable;
    /// True when the pipe program exists (meaningless for a file pattern).
    bool pipe_program_present = false;
    /// systemd-coredump's Storage= from /etc/systemd/coredump.conf; empty when not set there
    /// (the default is "external", coredump.conf(5)).
    std::string coredump_storage;
    /// For a relative file pattern: the process's working directory (/proc/PID/cwd).
    std::string working_directory;
};

/// What a crash would do now, and the lines that explain it.
struct CoreVerdict {
    /// True when a core would be kept somewhere diag-core --list finds it.
    bool core_kept = false;
    /// Where the core goes, or why none is written, in one line.
    std::string summary;
    /// Why, item by item (the pattern, the limit, the handler's own rules).
    std::vector<std::string> reasons;
    /// True when raising RLIMIT_CORE of the process tree (--write) would change the outcome.
    bool limit_blocks = false;
};

/// Applies core(5) ("There are various circumstances in which a core dump file is not
/// produced"; RLIMIT_CORE is not enforced for a pipe) and systemd-coredump's own rules
/// (src/coredump/coredump.c: a limit below one page keeps nothing; Storage=none keeps no file).
CoreVerdict assess_core_setup(const CoreSetup& setup);

/// Reads the setup through root for pid (0: this process, whose limit its shell's other
/// children share).
Collected<CoreSetup> read_core_setup(const Root& root, int pid);

/// pid and every descendant, from the ppid field of each /proc/PID/stat.
std::vector<int> process_tree(const Root& root, int pid);

/// Raises the soft RLIMIT_CORE of a process to its hard limit, and both to unlimited when this
/// process may (CAP_SYS_RESOURCE), with prlimit(2). Returns the limit now in force.
std::expected<CoreLimit, std::string> raise_core_limit(int pid);

/// "unlimited" or "4096 bytes".
std::string describe_limit(const CoreLimitBytes& bytes);

}  // namespace diag::crash
