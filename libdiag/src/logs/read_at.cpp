#include "read_at.hpp"

#include "diag/core/deadline.hpp"

#include <cerrno>
#include <utility>

#include <fmt/format.h>

#include <unistd.h>

namespace diag::logs::detail {

std::expected<std::string, Error> read_at(std::shared_ptr<UniqueFd> fd, std::uint64_t offset,
                                          std::size_t max_bytes, const std::string& path,
                                          std::chrono::milliseconds deadline) {
    auto work = [fd = std::move(fd), offset, max_bytes]() -> std::expected<std::string, int> {
        // No zero fill: pread writes every byte that is kept.
        std::string data;
        data.resize_and_overwrite(max_bytes, [](char*, std::size_t size) { return size; });
        std::size_t filled = 0;
        while (filled < max_bytes) {
            const ssize_t got = ::pread(fd->get(), data.data() + filled, max_bytes - filled,
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
        data.resize(filled);
        return data;
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
