#pragma once

// eio_fs (tests/fuse) mounted for a test: a FUSE file whose reads fail over a range, or with
// --hang never answer. Shared by the tests that make the kernel block or fail.

#include "support/process.hpp"
#include "support/shared_data.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <sys/mount.h>
#include <sys/stat.h>

namespace diag::test {

/// eio_fs mounted on a directory: the process runs in the foreground; the mount is taken down
/// (umount2, lazily when busy) and the process stopped when the object goes.
class EioMount {
public:
    /// `options` go before the mount point: "--hang", "--name" NAME (see eio_fs.cpp).
    EioMount(const std::filesystem::path& mountpoint, const std::filesystem::path& log,
             std::uint64_t size_bytes, std::uint64_t bad_offset_bytes,
             std::uint64_t bad_length_bytes, std::vector<std::string> options = {},
             std::string name = "disk.img")
        : mountpoint_(mountpoint),
          name_(std::move(name)),
          process_(eio_fs_argv(mountpoint, size_bytes, bad_offset_bytes, bad_length_bytes,
                               std::move(options)),
                   log) {
        using namespace std::chrono_literals;
        const auto give_up = std::chrono::steady_clock::now() + 10s;
        while (std::chrono::steady_clock::now() < give_up && process_.running()) {
            struct stat st {};
            if (::stat(file().c_str(), &st) == 0 &&
                static_cast<std::uint64_t>(st.st_size) == size_bytes) {
                mounted_ = true;
                return;
            }
            std::this_thread::sleep_for(50ms);
        }
    }

    ~EioMount() {
        if (mounted_ && ::umount2(mountpoint_.c_str(), 0) != 0) {
            ::umount2(mountpoint_.c_str(), MNT_DETACH);
        }
        process_.stop();
    }

    EioMount(const EioMount&) = delete;
    EioMount& operator=(const EioMount&) = delete;
    EioMount(EioMount&&) = delete;
    EioMount& operator=(EioMount&&) = delete;

    [[nodiscard]] bool mounted() const { return mounted_; }
    [[nodiscard]] std::filesystem::path file() const { return mountpoint_ / name_; }

private:
    static std::vector<std::string> eio_fs_argv(const std::filesystem::path& mountpoint,
                                                std::uint64_t size_bytes,
                                                std::uint64_t bad_offset_bytes,
                                                std::uint64_t bad_length_bytes,
                                                std::vector<std::string> options) {
        std::vector<std::string> argv{(binary_dir() / "tests/fuse/eio_fs").string()};
        argv.insert(argv.end(), options.begin(), options.end());
        argv.insert(argv.end(), {mountpoint.string(), std::to_string(size_bytes),
                                 std::to_string(bad_offset_bytes), std::to_string(bad_length_bytes),
                                 "-o", "fsname=diag-eio"});
        return argv;
    }

    std::filesystem::path mountpoint_;
    std::string name_;
    BackgroundProcess process_;
    bool mounted_ = false;
};

}  // namespace diag::test
