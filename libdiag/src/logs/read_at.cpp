#include "read_at.hpp"

#include "diag/core/deadline.hpp"

#include <cerrno>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include <fcntl.h>
#include <unistd.h>

namespace diag::logs::detail {

namespace {

std::expected<std::string, int> read_chunk(int fd, std::uint64_t offset, std::string buffer,
                                           std::size_t chunk_bytes) {
    // No zero fill: pread writes every byte that is kept.
    buffer.resize_and_overwrite(chunk_bytes, [](char*, std::size_t size) { return size; });
    std::size_t filled = 0;
    while (filled < chunk_bytes) {
        const ssize_t got = ::pread(fd, buffer.data() + filled, chunk_bytes - filled,
                                    static_cast<off_t>(offset + filled));
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got < 0) {
            return std::unexpected(errno);
        }
        if (got == 0) {
            break;
        }
        filled += static_cast<std::size_t>(got);
    }
    buffer.resize(filled);
    return buffer;
}

}  // namespace

std::expected<std::string, Error> read_at(std::shared_ptr<UniqueFd> fd, std::uint64_t offset,
                                          std::size_t max_bytes, const std::string& path,
                                          std::chrono::milliseconds deadline) {
    auto work = [fd = std::move(fd), offset, max_bytes]() -> std::expected<std::string, int> {
        return read_chunk(fd->get(), offset, std::string(), max_bytes);
    };
    auto outcome = run_with_deadline(std::move(work), deadline);
    if (!outcome) {
        return std::unexpected(
            Error{"read", path, fmt::format("no answer within {} ms", deadline.count()), ETIME});
    }
    if (!*outcome) {
        return std::unexpected(system_error("read", path, outcome->error()));
    }
    return std::move(**outcome);
}

}  // namespace diag::logs::detail

namespace diag::logs::detail {

struct ChunkReader::Shared {
    std::mutex mutex;
    std::condition_variable changed;
    // Chunks read and not yet taken, oldest first; an error or the end closes the queue.
    std::deque<std::expected<std::string, int>> ready;
    std::vector<std::string> spare;
    bool stop = false;
    bool done = false;
};

namespace {

constexpr std::size_t kChunksAhead = 2;

}  // namespace

ChunkReader::ChunkReader(std::shared_ptr<UniqueFd> fd, std::string path, std::size_t chunk_bytes,
                         std::chrono::milliseconds deadline)
    : shared_(std::make_shared<Shared>()), path_(std::move(path)), deadline_(deadline) {
    // A sequential read: the kernel may read further ahead (posix_fadvise(2)).
    static_cast<void>(::posix_fadvise(fd->get(), 0, 0, POSIX_FADV_SEQUENTIAL));
    std::thread([shared = shared_, fd = std::move(fd), chunk_bytes] {
        read_ahead(shared, fd, chunk_bytes);
    }).detach();
}

ChunkReader::~ChunkReader() {
    std::lock_guard lock(shared_->mutex);
    shared_->stop = true;
    shared_->changed.notify_all();
}

std::expected<std::string, Error> ChunkReader::next() {
    std::unique_lock lock(shared_->mutex);
    const bool arrived =
        shared_->changed.wait_for(lock, deadline_, [&] { return !shared_->ready.empty(); });
    if (!arrived) {
        return std::unexpected(
            Error{"read", path_, fmt::format("no answer within {} ms", deadline_.count()), ETIME});
    }
    auto& front = shared_->ready.front();
    if (!front) {
        return std::unexpected(system_error("read", path_, front.error()));
    }
    if (front->empty()) {
        return std::string{};  // the end stays in the queue for every later call
    }
    std::string chunk = std::move(*front);
    shared_->ready.pop_front();
    shared_->changed.notify_all();
    return chunk;
}

void ChunkReader::recycle(std::string&& buffer) {
    std::lock_guard lock(shared_->mutex);
    if (shared_->spare.size() < kChunksAhead) {
        shared_->spare.push_back(std::move(buffer));
    }
}

void ChunkReader::read_ahead(const std::shared_ptr<Shared>& shared,
                             const std::shared_ptr<UniqueFd>& fd, std::size_t chunk_bytes) {
    std::uint64_t offset = 0;
    while (true) {
        std::string buffer;
        {
            std::unique_lock lock(shared->mutex);
            shared->changed.wait(
                lock, [&] { return shared->stop || shared->ready.size() < kChunksAhead; });
            if (shared->stop) {
                return;
            }
            if (!shared->spare.empty()) {
                buffer = std::move(shared->spare.back());
                shared->spare.pop_back();
            }
        }
        auto chunk = read_chunk(fd->get(), offset, std::move(buffer), chunk_bytes);
        const bool last = !chunk || chunk->size() < chunk_bytes;
        if (chunk) {
            offset += chunk->size();
        }
        std::lock_guard lock(shared->mutex);
        shared->ready.push_back(std::move(chunk));
        if (last && shared->ready.back() && !shared->ready.back()->empty()) {
            shared->ready.emplace_back(std::string{});  // the end, after the short chunk
        }
        shared->changed.notify_all();
        if (last) {
            return;
        }
    }
}

}  // namespace diag::logs::detail
