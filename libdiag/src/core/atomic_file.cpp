#include "diag/core/atomic_file.hpp"

#include "diag/core/unique_fd.hpp"

#include <cerrno>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace diag {

namespace {

std::expected<void, int> write_all(int fd, std::string_view content) {
    while (!content.empty()) {
        const ssize_t wrote = ::write(fd, content.data(), content.size());
        if (wrote < 0) {
            if (errno == EINTR) {
                continue;
            }
            return std::unexpected(errno);
        }
        content.remove_prefix(static_cast<std::size_t>(wrote));
    }
    return {};
}

}  // namespace

std::expected<void, Error> write_file_atomically(const std::string& path, std::string_view content,
                                                 mode_t mode) {
    // The template keeps a leading dot so collectors that glob "*.prom" skip it.
    const auto slash = path.find_last_of('/');
    const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash + 1);
    const std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
    std::string temp = dir + (dir.ends_with('/') ? "" : "/") + "." + base + ".XXXXXX";
    std::vector<char> name(temp.begin(), temp.end());
    name.push_back('\0');

    // mkstemp creates the file with mode 0600 and O_EXCL, so nobody else can have it open.
    UniqueFd fd(::mkostemp(name.data(), O_CLOEXEC));
    if (!fd.valid()) {
        return std::unexpected(system_error("create temporary file for", path, errno));
    }
    temp.assign(name.data());
    auto fail = [&](const char* operation, int error_number) {
        ::unlink(temp.c_str());
        return std::unexpected(system_error(operation, path, error_number));
    };
    if (auto wrote = write_all(fd.get(), content); !wrote) {
        return fail("write", wrote.error());
    }
    if (::fchmod(fd.get(), mode) != 0) {
        return fail("chmod", errno);
    }
    if (::fsync(fd.get()) != 0) {
        return fail("fsync", errno);
    }
    fd.reset();
    if (::rename(temp.c_str(), path.c_str()) != 0) {
        return fail("rename into place", errno);
    }
    return {};
}

}  // namespace diag
