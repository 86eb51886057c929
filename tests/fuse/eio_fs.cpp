// eio_fs: a FUSE filesystem with one file, disk.img, whose reads fail with EIO over a chosen byte
// range and return zeros elsewhere. The kernel tests put a loop device on it, so a read of the
// loop device meets a real I/O error and the block layer logs it as it would for a dying disk.
// With --hang, a read of the range never answers instead, as a read of a dying disk can block
// in the kernel: it returns EIO only when eio_fs is signalled. --name gives the file another name.
//
// Usage: eio_fs [--hang] [--name NAME] MOUNTPOINT SIZE_BYTES BAD_OFFSET_BYTES BAD_LENGTH_BYTES
//               [FUSE OPTION]...
// It stays in the foreground until unmounted (fusermount3 -u, umount) or sent SIGTERM.
// Written against libfuse 3.14's high-level API (fuse.h, struct fuse_operations).

#define FUSE_USE_VERSION 31

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include <sys/stat.h>
#include <unistd.h>

#include <fuse3/fuse.h>

namespace {

std::string file_name = "disk.img";
std::string file_path = "/disk.img";
bool hang = false;

struct Geometry {
    std::uint64_t size_bytes = 0;
    std::uint64_t bad_offset_bytes = 0;
    std::uint64_t bad_length_bytes = 0;
};

Geometry geometry;

int get_attributes(const char* path, struct stat* st, fuse_file_info* /*file*/) {
    *st = {};
    if (std::string_view(path) == "/") {
        st->st_mode = S_IFDIR | 0755;
        st->st_nlink = 2;
        return 0;
    }
    if (std::string_view(path) == file_path) {
        st->st_mode = S_IFREG | 0644;
        st->st_nlink = 1;
        st->st_size = static_cast<off_t>(geometry.size_bytes);
        return 0;
    }
    return -ENOENT;
}

int read_directory(const char* path, void* buffer, fuse_fill_dir_t fill, off_t /*offset*/,
                   fuse_file_info* /*file*/, fuse_readdir_flags /*flags*/) {
    if (std::string_view(path) != "/") {
        return -ENOENT;
    }
    fill(buffer, ".", nullptr, 0, static_cast<fuse_fill_dir_flags>(0));
    fill(buffer, "..", nullptr, 0, static_cast<fuse_fill_dir_flags>(0));
    fill(buffer, file_name.c_str(), nullptr, 0, static_cast<fuse_fill_dir_flags>(0));
    return 0;
}

int open_file(const char* path, fuse_file_info* file) {
    if (std::string_view(path) != file_path) {
        return -ENOENT;
    }
    // No page cache for the file: every read of the loop device reaches read_file, so the bad
    // range fails each time it is read, never served from an earlier good read.
    file->direct_io = 1;
    return 0;
}

int read_file(const char* path, char* buffer, std::size_t size, off_t offset,
              fuse_file_info* /*file*/) {
    if (std::string_view(path) != file_path) {
        return -ENOENT;
    }
    const auto start = static_cast<std::uint64_t>(offset);
    if (start >= geometry.size_bytes) {
        return 0;
    }
    const std::uint64_t end = std::min<std::uint64_t>(start + size, geometry.size_bytes);
    const std::uint64_t bad_end = geometry.bad_offset_bytes + geometry.bad_length_bytes;
    if (start < bad_end && end > geometry.bad_offset_bytes) {
        if (hang) {
            // One thread (-s): the whole filesystem waits with this read, until a signal.
            ::pause();
        }
        return -EIO;
    }
    std::memset(buffer, 0, end - start);
    return static_cast<int>(end - start);
}

int write_file(const char* /*path*/, const char* /*buffer*/, std::size_t /*size*/, off_t /*offset*/,
               fuse_file_info* /*file*/) {
    return -EROFS;
}

std::uint64_t number_argument(const char* text, const char* name) {
    char* end = nullptr;
    errno = 0;
    const unsigned long long value = std::strtoull(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0') {
        std::fprintf(stderr, "eio_fs: %s must be a number of bytes, not '%s'\n", name, text);
        std::exit(64);
    }
    return value;
}

}  // namespace

int main(int argc, char** argv) {
    int first = 1;
    for (; first < argc && std::string_view(argv[first]).starts_with("--"); ++first) {
        const std::string_view option = argv[first];
        if (option == "--hang") {
            hang = true;
        } else if (option == "--name" && first + 1 < argc) {
            file_name = argv[++first];
            file_path = "/" + file_name;
        } else {
            std::fprintf(stderr, "eio_fs: unknown option '%s'\n", argv[first]);
            return 64;
        }
    }
    if (argc - first < 4) {
        std::fprintf(stderr,
                     "usage: eio_fs [--hang] [--name NAME] MOUNTPOINT SIZE_BYTES "
                     "BAD_OFFSET_BYTES BAD_LENGTH_BYTES [FUSE OPTION]...\n");
        return 64;
    }
    geometry.size_bytes = number_argument(argv[first + 1], "SIZE_BYTES");
    geometry.bad_offset_bytes = number_argument(argv[first + 2], "BAD_OFFSET_BYTES");
    geometry.bad_length_bytes = number_argument(argv[first + 3], "BAD_LENGTH_BYTES");

    fuse_operations operations{};
    operations.getattr = get_attributes;
    operations.readdir = read_directory;
    operations.open = open_file;
    operations.read = read_file;
    operations.write = write_file;

    // Foreground (-f), one thread (-s): the test owns the process and stops it by its id.
    std::vector<char*> fuse_argv{argv[0], argv[first], const_cast<char*>("-f"),
                                 const_cast<char*>("-s")};
    for (int i = first + 4; i < argc; ++i) {
        fuse_argv.push_back(argv[i]);
    }
    return fuse_main(static_cast<int>(fuse_argv.size()), fuse_argv.data(), &operations, nullptr);
}
