#include "diag/core/root.hpp"

#include "diag/core/deadline.hpp"
#include "diag/core/unique_fd.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <filesystem>
#include <utility>

#include <fmt/format.h>

#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace diag {

struct Root::Handle {
    UniqueFd dir;
};

namespace {

using OpenResult = std::expected<UniqueFd, int>;

// Opens path below the root: a plain open on the live box, openat2 with RESOLVE_IN_ROOT under a
// captured tree so that "..", absolute links and magic links cannot lead outside it.
OpenResult open_below(int root_fd, bool live, const std::string& path, int flags) {
    // openat2 refuses O_PATH combined with flags other than O_CLOEXEC, O_DIRECTORY, O_NOFOLLOW.
    flags |= (flags & O_PATH) != 0 ? O_CLOEXEC : O_CLOEXEC | O_NOCTTY;
    if (live) {
        const std::string absolute = path.starts_with('/') ? path : "/" + path;
        const int fd = ::open(absolute.c_str(), flags);
        return fd >= 0 ? OpenResult(UniqueFd(fd)) : std::unexpected(errno);
    }
    std::string relative = path;
    relative.erase(0, relative.find_first_not_of('/'));
    if (relative.empty()) {
        relative = ".";
    }
    open_how how{};
    how.flags = static_cast<__u64>(static_cast<unsigned>(flags));
    how.resolve = static_cast<__u64>(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
    const long fd = ::syscall(SYS_openat2, root_fd, relative.c_str(), &how, sizeof how);
    return fd >= 0 ? OpenResult(UniqueFd(static_cast<int>(fd))) : std::unexpected(errno);
}

std::pair<std::string, std::string> split_parent(std::string_view path) {
    const auto slash = path.find_last_of('/');
    if (slash == std::string_view::npos) {
        return {"/", std::string(path)};
    }
    std::string parent(path.substr(0, slash));
    return {parent.empty() ? "/" : parent, std::string(path.substr(slash + 1))};
}

std::string deadline_reason(std::chrono::milliseconds limit) {
    return fmt::format("no answer within {} ms", limit.count());
}

// Reads everything up to max_bytes from an open file straight into the string, which starts
// at size_hint bytes (what stat said is left) and grows when the file grew; errno on failure.
std::expected<std::string, int> read_all(int fd, std::size_t max_bytes, std::size_t size_hint) {
    constexpr std::size_t kStep = 65536;
    std::string data;
    std::size_t filled = 0;
    std::size_t want = std::min(max_bytes, std::max(size_hint + 1, kStep));
    // No zero fill: read(2) writes every byte that is kept.
    data.resize_and_overwrite(want, [](char*, std::size_t size) { return size; });
    while (filled < max_bytes) {
        if (filled == data.size()) {
            want = std::min(max_bytes, data.size() * 2);
            data.resize_and_overwrite(want, [](char*, std::size_t size) { return size; });
        }
        const ssize_t got = ::read(fd, data.data() + filled, data.size() - filled);
        if (got < 0) {
            if (errno == EINTR) {
                continue;
            }
            return std::unexpected(errno);
        }
        if (got == 0) {
            break;
        }
        filled += static_cast<std::size_t>(got);
    }
    data.resize(filled);
    return data;
}

}  // namespace

Root::Root(std::string path, bool live, std::chrono::milliseconds deadline,
           std::shared_ptr<const Handle> handle)
    : path_(std::move(path)), live_(live), deadline_(deadline), handle_(std::move(handle)) {}

std::expected<Root, Error> Root::open(const std::string& path, std::chrono::milliseconds deadline) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        return std::unexpected(system_error("open root", path, errno));
    }
    auto handle = std::make_shared<Handle>();
    handle->dir.reset(fd);

    struct stat root_stat {};
    struct stat slash_stat {};
    const bool live = ::fstat(fd, &root_stat) == 0 && ::stat("/", &slash_stat) == 0 &&
                      root_stat.st_dev == slash_stat.st_dev &&
                      root_stat.st_ino == slash_stat.st_ino;
    std::string shown = path;
    while (shown.size() > 1 && shown.back() == '/') {
        shown.pop_back();
    }
    return Root(live ? "/" : shown, live, deadline, std::move(handle));
}

std::string Root::display(std::string_view path) const {
    if (live_) {
        return std::string(path);
    }
    return path_ + (path.starts_with('/') ? "" : "/") + std::string(path);
}

namespace {

using FailedStep = std::pair<std::string, int>;

// Opens a regular file below the root; a FIFO, device or directory fails with errno -1.
std::expected<UniqueFd, FailedStep> open_regular(int root_fd, bool live, const std::string& file,
                                                 struct stat& info) {
    // O_NONBLOCK makes opening a FIFO return at once instead of waiting for a writer.
    auto fd = open_below(root_fd, live, file, O_RDONLY | O_NONBLOCK);
    if (!fd) {
        return std::unexpected(FailedStep{"open", fd.error()});
    }
    if (::fstat(fd->get(), &info) != 0) {
        return std::unexpected(FailedStep{"stat", errno});
    }
    if (!S_ISREG(info.st_mode)) {
        return std::unexpected(FailedStep{"open", -1});
    }
    // Regular files ignore O_NONBLOCK for reads, but clear it so intent is plain.
    static_cast<void>(::fcntl(fd->get(), F_SETFL, 0));
    return std::move(*fd);
}

}  // namespace

template <class T, class F>
std::expected<T, Error> Root::run_file_step(std::string_view path, F work) const {
    auto outcome = run_with_deadline(std::move(work), deadline_);
    if (!outcome) {
        return std::unexpected(Error{"read", display(path), deadline_reason(deadline_), ETIME});
    }
    if (!*outcome) {
        const auto& [operation, error_number] = outcome->error();
        if (error_number < 0) {
            return std::unexpected(Error{operation, display(path), "not a regular file", 0});
        }
        return std::unexpected(system_error(operation, display(path), error_number));
    }
    return std::move(**outcome);
}

std::expected<std::string, Error> Root::read_file(std::string_view path,
                                                  std::size_t max_bytes) const {
    auto work = [handle = handle_, live = live_, file = std::string(path),
                 max_bytes]() -> std::expected<std::string, FailedStep> {
        struct stat info {};
        auto fd = open_regular(handle->dir.get(), live, file, info);
        if (!fd) {
            return std::unexpected(fd.error());
        }
        const auto size = static_cast<std::size_t>(std::max<off_t>(info.st_size, 0));
        auto data = read_all(fd->get(), max_bytes, size);
        if (!data) {
            return std::unexpected(FailedStep{"read", data.error()});
        }
        return std::move(*data);
    };
    return run_file_step<std::string>(path, std::move(work));
}

struct PendingReads::Shared {
    using Outcome = std::expected<std::string, FailedStep>;
    std::mutex mutex;
    std::condition_variable done_cv;
    std::vector<std::optional<Outcome>> outcomes;
    std::size_t finished = 0;
};

PendingReads::PendingReads(Root root, std::vector<std::string> paths,
                           std::shared_ptr<Shared> shared)
    : root_(std::move(root)),
      paths_(std::move(paths)),
      shared_(std::move(shared)),
      until_(std::chrono::steady_clock::now() + root_.deadline()) {}

PendingReads Root::start_reading(std::vector<std::string> paths, std::size_t max_bytes) const {
    using Outcome = PendingReads::Shared::Outcome;
    auto shared = std::make_shared<PendingReads::Shared>();
    shared->outcomes.resize(paths.size());
    PendingReads pending(*this, std::move(paths), shared);
    std::thread([shared, handle = handle_, live = live_, files = pending.paths_, max_bytes] {
        for (std::size_t i = 0; i < files.size(); ++i) {
            Outcome outcome;
            struct stat info {};
            if (auto fd = open_regular(handle->dir.get(), live, files[i], info); !fd) {
                outcome = std::unexpected(fd.error());
            } else {
                const auto size = static_cast<std::size_t>(std::max<off_t>(info.st_size, 0));
                auto data = read_all(fd->get(), max_bytes, size);
                outcome = data ? Outcome(std::move(*data))
                               : std::unexpected(FailedStep{"read", data.error()});
            }
            const std::lock_guard lock(shared->mutex);
            shared->outcomes[i] = std::move(outcome);
            if (++shared->finished == files.size()) {
                shared->done_cv.notify_one();
            }
        }
    }).detach();
    return pending;
}

std::vector<std::expected<std::string, Error>> PendingReads::wait() {
    std::unique_lock lock(shared_->mutex);
    shared_->done_cv.wait_until(lock, until_,
                                [&] { return shared_->finished == shared_->outcomes.size(); });
    const auto deadline = root_.deadline();
    std::vector<std::expected<std::string, Error>> results;
    results.reserve(paths_.size());
    for (std::size_t i = 0; i < paths_.size(); ++i) {
        auto& outcome = shared_->outcomes[i];
        const auto shown = root_.display(paths_[i]);
        if (!outcome) {
            results.emplace_back(std::unexpect,
                                 Error{"read", shown, deadline_reason(deadline), ETIME});
        } else if (!*outcome) {
            const auto& [operation, error_number] = outcome->error();
            results.emplace_back(std::unexpect,
                                 error_number < 0 ? Error{operation, shown, "not a regular file", 0}
                                                  : system_error(operation, shown, error_number));
        } else {
            results.emplace_back(std::move(**outcome));
        }
    }
    return results;
}

std::vector<std::expected<std::string, Error>> Root::read_files(
    const std::vector<std::string>& paths, std::size_t max_bytes) const {
    return start_reading(paths, max_bytes).wait();
}

std::expected<Root::FileStat, Error> Root::stat_file(std::string_view path) const {
    auto work = [handle = handle_, live = live_,
                 file = std::string(path)]() -> std::expected<FileStat, FailedStep> {
        struct stat info {};
        auto fd = open_regular(handle->dir.get(), live, file, info);
        if (!fd) {
            return std::unexpected(fd.error());
        }
        FileStat result;
        result.size_bytes = static_cast<std::uint64_t>(info.st_size);
        result.modified = std::chrono::system_clock::time_point{
            std::chrono::duration_cast<std::chrono::system_clock::duration>(
                std::chrono::seconds{info.st_mtim.tv_sec} +
                std::chrono::nanoseconds{info.st_mtim.tv_nsec})};
        result.device = static_cast<std::uint64_t>(info.st_dev);
        result.inode = static_cast<std::uint64_t>(info.st_ino);
        return result;
    };
    return run_file_step<FileStat>(path, std::move(work));
}

std::expected<std::string, Error> Root::read_range(std::string_view path, std::uint64_t offset,
                                                   std::size_t max_bytes) const {
    auto work = [handle = handle_, live = live_, file = std::string(path), offset,
                 max_bytes]() -> std::expected<std::string, FailedStep> {
        struct stat info {};
        auto fd = open_regular(handle->dir.get(), live, file, info);
        if (!fd) {
            return std::unexpected(fd.error());
        }
        if (::lseek(fd->get(), static_cast<off_t>(offset), SEEK_SET) < 0) {
            return std::unexpected(FailedStep{"seek", errno});
        }
        const auto left = info.st_size > static_cast<off_t>(offset)
                              ? static_cast<std::size_t>(info.st_size - static_cast<off_t>(offset))
                              : 0;
        auto data = read_all(fd->get(), max_bytes, left);
        if (!data) {
            return std::unexpected(FailedStep{"read", data.error()});
        }
        return std::move(*data);
    };
    return run_file_step<std::string>(path, std::move(work));
}

std::expected<std::vector<std::string>, Error> Root::list_dir(std::string_view path) const {
    auto work = [handle = handle_, live = live_,
                 dir_path = std::string(path)]() -> std::expected<std::vector<std::string>, int> {
        auto fd = open_below(handle->dir.get(), live, dir_path, O_RDONLY | O_DIRECTORY);
        if (!fd) {
            return std::unexpected(fd.error());
        }
        DIR* dir = ::fdopendir(fd->get());
        if (dir == nullptr) {
            return std::unexpected(errno);
        }
        static_cast<void>(fd->release());
        std::vector<std::string> names;
        errno = 0;
        while (const dirent* entry = ::readdir(dir)) {
            const std::string_view name(entry->d_name);
            if (name != "." && name != "..") {
                names.emplace_back(name);
            }
        }
        const int read_errno = errno;
        ::closedir(dir);
        if (read_errno != 0) {
            return std::unexpected(read_errno);
        }
        std::sort(names.begin(), names.end());
        return names;
    };
    auto outcome = run_with_deadline(std::move(work), deadline_);
    if (!outcome) {
        return std::unexpected(Error{"list", display(path), deadline_reason(deadline_), ETIME});
    }
    if (!*outcome) {
        return std::unexpected(system_error("list", display(path), outcome->error()));
    }
    return std::move(**outcome);
}

std::expected<std::string, Error> Root::read_link(std::string_view path) const {
    auto work = [handle = handle_, live = live_,
                 link = std::string(path)]() -> std::expected<std::string, int> {
        auto [parent, name] = split_parent(link);
        auto dir = open_below(handle->dir.get(), live, parent, O_PATH | O_DIRECTORY);
        if (!dir) {
            return std::unexpected(dir.error());
        }
        std::array<char, 4096> target{};
        const ssize_t length = ::readlinkat(dir->get(), name.c_str(), target.data(), target.size());
        if (length < 0) {
            return std::unexpected(errno);
        }
        return std::string(target.data(), static_cast<std::size_t>(length));
    };
    auto outcome = run_with_deadline(std::move(work), deadline_);
    if (!outcome) {
        return std::unexpected(Error{"readlink", display(path), deadline_reason(deadline_), ETIME});
    }
    if (!*outcome) {
        return std::unexpected(system_error("readlink", display(path), outcome->error()));
    }
    return std::move(**outcome);
}

std::expected<UniqueFd, Error> Root::open_file(std::string_view path) const {
    auto work = [handle = handle_, live = live_,
                 file = std::string(path)]() -> std::expected<UniqueFd, FailedStep> {
        struct stat info {};
        return open_regular(handle->dir.get(), live, file, info);
    };
    return run_file_step<UniqueFd>(path, std::move(work));
}

std::expected<UniqueFd, Error> Root::open_directory(std::string_view path) const {
    auto work = [handle = handle_, live = live_,
                 dir_path = std::string(path)]() -> std::expected<UniqueFd, FailedStep> {
        auto fd = open_below(handle->dir.get(), live, dir_path, O_RDONLY | O_DIRECTORY);
        if (!fd) {
            return std::unexpected(FailedStep{"open", fd.error()});
        }
        return std::move(*fd);
    };
    return run_file_step<UniqueFd>(path, std::move(work));
}

std::expected<UniqueFd, Error> Root::open_char_device(std::string_view path) const {
    auto work = [handle = handle_, live = live_,
                 device = std::string(path)]() -> std::expected<UniqueFd, FailedStep> {
        auto fd = open_below(handle->dir.get(), live, device, O_RDONLY | O_NONBLOCK);
        if (!fd) {
            return std::unexpected(FailedStep{"open", fd.error()});
        }
        struct stat info {};
        if (::fstat(fd->get(), &info) != 0) {
            return std::unexpected(FailedStep{"stat", errno});
        }
        if (!S_ISCHR(info.st_mode)) {
            return std::unexpected(FailedStep{"open", -1});
        }
        return std::move(*fd);
    };
    auto opened = run_file_step<UniqueFd>(path, std::move(work));
    if (!opened && opened.error().errno_value == 0) {
        opened.error().reason = "not a character device";
    }
    return opened;
}

bool Root::exists(std::string_view path) const {
    auto work = [handle = handle_, live = live_, target = std::string(path)]() {
        auto [parent, name] = split_parent(target);
        auto dir = open_below(handle->dir.get(), live, parent, O_PATH | O_DIRECTORY);
        struct stat info {};
        return dir && ::fstatat(dir->get(), name.c_str(), &info, AT_SYMLINK_NOFOLLOW) == 0;
    };
    auto outcome = run_with_deadline(std::move(work), deadline_);
    return outcome && *outcome;
}

std::string from_working_directory(std::string path) {
    if (path.empty() || path.starts_with('/')) {
        return path;
    }
    std::error_code ec;
    auto absolute = std::filesystem::absolute(path, ec);
    return ec ? path : absolute.lexically_normal().string();
}

}  // namespace diag
