#pragma once

#include <diag/core/collected.hpp>
#include <diag/core/root.hpp>
#include <diag/crash/core_pattern.hpp>

#include <chrono>
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace diag::crash {

/// Where a found core came from.
enum class CoreStore { file, systemd_coredump, apport };

/// One crash found on the box, with what its name or store says about it.
struct FoundCore {
    CoreStore store = CoreStore::file;
    /// The path inside the root ("/var/lib/systemd/coredump/core.x.0....zst").
    std::string path;
    std::optional<std::chrono::system_clock::time_point> time;
    std::optional<int> pid;
    std::optional<unsigned> uid;
    std::optional<int> signal;
    /// The executable or comm, as far as the store names it.
    std::string executable;
    std::optional<std::uint64_t> size_bytes;
    /// False when the store records a crash whose core is gone (apport without CoreDump).
    bool core_present = true;
    /// "zst", "xz", "lz4" or "" for a plain core.
    std::string compression;
};

/// What systemd-coredump's file name says: core.COMM.UID.BOOTID.PID.USEC[.zst|.lz4|.xz]
/// (systemd src/coredump/coredump.c, make_filename). nullopt when the name is not of that form.
std::optional<FoundCore> parse_systemd_core_name(std::string_view name);

/// What an apport report's header fields say (ProblemType, ExecutablePath, Signal, Date,
/// ProcStatus Uid; the apport problem report format is RFC 822 style "Key: value" lines).
FoundCore parse_apport_report(std::string_view text);

/// Where to look beside what core_pattern names.
struct DiscoveryOptions {
    /// Directories holding plain core files ("core", "core.1234").
    std::vector<std::string> directories;
};

/// The pattern in force and every core found: files matching a file core_pattern, plain core
/// files in the given directories, systemd-coredump's store and apport's /var/crash.
struct Discovery {
    std::optional<CorePattern> pattern;
    std::vector<FoundCore> cores;
};

/// Finds cores through root. An unreadable store is an Issue, never an empty success.
Collected<Discovery> discover_cores(const Root& root, const DiscoveryOptions& options);

/// True when the file starts like an ELF core (ELF magic and e_type ET_CORE).
bool looks_like_core(std::string_view first_bytes);

}  // namespace diag::crash

namespace diag::crash {

/// A found core ready for libdwfl: its own path, or a private decompressed copy (mode 0600 in
/// $TMPDIR) that is removed when this object goes.
class ReadableCore {
public:
    ReadableCore() = default;
    ReadableCore(std::string path, bool temporary)
        : path_(std::move(path)), temporary_(temporary) {}
    ReadableCore(const ReadableCore&) = delete;
    ReadableCore& operator=(const ReadableCore&) = delete;
    ReadableCore(ReadableCore&& other) noexcept
        : path_(std::move(other.path_)), temporary_(std::exchange(other.temporary_, false)) {}
    ReadableCore& operator=(ReadableCore&&) = delete;
    ~ReadableCore();

    [[nodiscard]] const std::string& path() const { return path_; }

private:
    std::string path_;
    bool temporary_ = false;
};

/// Makes a found core readable: a zstd or xz core is decompressed through root into a private
/// temporary file. lz4 is not supported yet (an error).
std::expected<ReadableCore, std::string> make_readable(const Root& root, const FoundCore& core);

}  // namespace diag::crash
