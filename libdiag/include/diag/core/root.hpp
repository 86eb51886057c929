#pragma once

#include <diag/core/error.hpp>
#include <diag/core/unique_fd.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace diag {

class PendingReads;

/// The machine diag reads: "/" on a live box, or a directory holding a captured tree (a bundle,
/// a sosreport, a scenario). Every read of /proc, /sys, /dev, /run, /etc and /var goes through it.
///
/// Under a captured root, paths and symbolic links are resolved inside the root with openat2's
/// RESOLVE_IN_ROOT, so an absolute link or ".." never leaves it. Every read has a deadline: a
/// read that does not answer in time fails with reason "no answer within N ms" and its thread
/// is abandoned. Only regular files are read, so a FIFO or a device node planted in a captured
/// tree is refused at once.
class Root {
public:
    /// Default deadline for one read.
    static constexpr std::chrono::milliseconds kDefaultDeadline{5000};
    /// Default cap on the bytes one read_file returns.
    static constexpr std::size_t kDefaultMaxBytes = std::size_t{16} << 20U;

    /// Opens a root directory. Fails when it is not a directory that can be opened.
    static std::expected<Root, Error> open(const std::string& path,
                                           std::chrono::milliseconds deadline = kDefaultDeadline);

    /// True when this is the live machine ("/"): live-only probes (ioctl, netlink, statvfs,
    /// adjtimex) are only meaningful then.
    [[nodiscard]] bool is_live() const { return live_; }
    /// The directory as given, "/" for the live machine.
    [[nodiscard]] const std::string& path() const { return path_; }
    [[nodiscard]] std::chrono::milliseconds deadline() const { return deadline_; }

    /// How a path inside the root is named in messages: "/proc/meminfo" live, or
    /// "<root>/proc/meminfo" for a captured tree.
    [[nodiscard]] std::string display(std::string_view path) const;

    /// Reads a whole regular file, at most max_bytes of it (the rest is not read).
    [[nodiscard]] std::expected<std::string, Error> read_file(
        std::string_view path, std::size_t max_bytes = kDefaultMaxBytes) const;

    /// Reads several small files one after the other on one thread, under one deadline for them
    /// all: slot i is path i's text or its error, as read_file gives them. Files not reached in
    /// time fail with "no answer within N ms". Cheaper than one read_file each where a probe
    /// reads a handful of /proc files (one thread instead of one per file).
    [[nodiscard]] std::vector<std::expected<std::string, Error>> read_files(
        const std::vector<std::string>& paths, std::size_t max_bytes = kDefaultMaxBytes) const;

    /// Starts read_files's batch and returns at once, so the caller can do other work (a
    /// netlink dump) while the files are read; PendingReads::wait gives what read_files would.
    /// The one deadline for the batch counts from this call.
    [[nodiscard]] PendingReads start_reading(std::vector<std::string> paths,
                                             std::size_t max_bytes = kDefaultMaxBytes) const;

    /// Names in a directory, sorted, without "." and "..".
    [[nodiscard]] std::expected<std::vector<std::string>, Error> list_dir(
        std::string_view path) const;

    /// What stat says about a regular file.
    struct FileStat {
        std::uint64_t size_bytes = 0;
        std::chrono::system_clock::time_point modified;
        std::uint64_t device = 0;
        std::uint64_t inode = 0;
    };

    /// Size, modification time and identity of a regular file (links followed inside the
    /// root). Fails like read_file on anything that is not a regular file.
    [[nodiscard]] std::expected<FileStat, Error> stat_file(std::string_view path) const;

    /// Reads at most max_bytes of a regular file from offset on, for files too large to read
    /// whole (logs). Each call opens the file afresh under the deadline; a short or empty result
    /// means the end of the file was reached.
    [[nodiscard]] std::expected<std::string, Error> read_range(std::string_view path,
                                                               std::uint64_t offset,
                                                               std::size_t max_bytes) const;

    /// The target of a symbolic link, as stored.
    [[nodiscard]] std::expected<std::string, Error> read_link(std::string_view path) const;

    /// Opens a regular file below the root and keeps it open, for a reader that must stay with
    /// one file while it is renamed or truncated (following logs), under the deadline. Refuses
    /// anything that is not a regular file, as read_file does.
    [[nodiscard]] std::expected<UniqueFd, Error> open_file(std::string_view path) const;

    /// Opens a directory below the root for a library that reads it through a descriptor
    /// (libsystemd's sd_journal_open_directory_fd), under the deadline.
    [[nodiscard]] std::expected<UniqueFd, Error> open_directory(std::string_view path) const;

    /// Opens a character device below the root read-only and non-blocking (/dev/kmsg), under
    /// the deadline. Anything that is not a character device is refused ("not a character
    /// device"), so a regular file planted in a captured tree is not taken for one.
    [[nodiscard]] std::expected<UniqueFd, Error> open_char_device(std::string_view path) const;

    /// True when something exists at path (a link counts as itself).
    [[nodiscard]] bool exists(std::string_view path) const;

private:
    struct Handle;
    // Runs one open-and-read step under the deadline and turns its failure into an Error.
    template <class T, class F>
    std::expected<T, Error> run_file_step(std::string_view path, F work) const;

    Root(std::string path, bool live, std::chrono::milliseconds deadline,
         std::shared_ptr<const Handle> handle);

    std::string path_;
    bool live_ = false;
    std::chrono::milliseconds deadline_{kDefaultDeadline};
    std::shared_ptr<const Handle> handle_;
};

/// A path a person named on the command line for the live box (a state directory, a core
/// directory): a relative one is taken from the working directory, as the shell meant it,
/// since Root reads every path from "/". Empty and absolute paths come back unchanged.
std::string from_working_directory(std::string path);

/// A batch of reads begun by Root::start_reading, running on a thread of its own.
class PendingReads {
public:
    /// Waits until every file is read or the batch's deadline passed. Slot i is path i's text
    /// or its error, as Root::read_files gives them; call it once.
    [[nodiscard]] std::vector<std::expected<std::string, Error>> wait();

private:
    friend class Root;
    struct Shared;
    PendingReads(Root root, std::vector<std::string> paths, std::shared_ptr<Shared> shared);

    Root root_;
    std::vector<std::string> paths_;
    std::shared_ptr<Shared> shared_;
    std::chrono::steady_clock::time_point until_;
};

}  // namespace diag
