#include "diag/core/unique_fd.hpp"

#include <unistd.h>

namespace diag {

void UniqueFd::reset(int fd) {
    if (fd_ >= 0) {
        // close() may fail with EINTR or EIO; the descriptor is released either way on Linux,
        // and there is nothing useful to do with the error of a read-only descriptor.
        static_cast<void>(::close(fd_));
    }
    fd_ = fd;
}

}  // namespace diag
