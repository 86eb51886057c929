#pragma once

// Reading a log file by offset under a deadline: shared by the one-pass reader (log_files.cpp)
// and the follower (log_follower.cpp), which both keep the file open by descriptor.

#include <diag/core/error.hpp>
#include <diag/core/unique_fd.hpp>

#include <chrono>
#include <cstdint>
#include <expected>
#include <memory>
#include <string>

namespace diag::logs::detail {

/// Up to max_bytes from offset on, read with pread(2) (EINTR retried) on a thread that owns a
/// share of the descriptor, so a read stuck on a dying disk is left behind when the deadline
/// passes. Short or empty at the end of the file. The error names the read, the path and why.
std::expected<std::string, Error> read_at(std::shared_ptr<UniqueFd> fd, std::uint64_t offset,
                                          std::size_t max_bytes, const std::string& path,
                                          std::chrono::milliseconds deadline);

}  // namespace diag::logs::detail

namespace diag::logs::detail {

/// Reads a file from the start, one chunk ahead, on one thread of its own for the whole file:
/// the kernel's copy of the next chunk overlaps the work on this one, and no thread is started
/// per read (bench/logs.sh: thread starts were 5% of the time with run_with_deadline per 1 MiB).
/// At most two chunks wait, so memory is bounded by 3 * chunk_bytes. A read stuck on a dying
/// disk is left behind as in read_at: the thread owns its share of the state and ends when the
/// read returns.
class ChunkReader {
public:
    ChunkReader(std::shared_ptr<UniqueFd> fd, std::string path, std::size_t chunk_bytes,
                std::chrono::milliseconds deadline);
    ~ChunkReader();
    ChunkReader(const ChunkReader&) = delete;
    ChunkReader& operator=(const ChunkReader&) = delete;
    ChunkReader(ChunkReader&&) = delete;
    ChunkReader& operator=(ChunkReader&&) = delete;

    /// The next chunk: chunk_bytes, shorter or empty at the end of the file. Waits at most the
    /// deadline; the error names the read, the path and why. After an error or the end, every
    /// call gives the same.
    std::expected<std::string, Error> next();

    /// Gives a chunk's buffer back for a later read, so reading allocates nothing per chunk.
    void recycle(std::string&& buffer);

private:
    struct Shared;
    // The reading thread: fills the queue up to two chunks ahead until the end, an error or
    // the reader is gone.
    static void read_ahead(const std::shared_ptr<Shared>& shared,
                           const std::shared_ptr<UniqueFd>& fd, std::size_t chunk_bytes);
    std::shared_ptr<Shared> shared_;
    std::string path_;
    std::chrono::milliseconds deadline_;
};

}  // namespace diag::logs::detail
