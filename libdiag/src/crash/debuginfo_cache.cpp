#include "diag/crash/debuginfo_cache.hpp"

#include "diag/core/child_run.hpp"
#include "diag/core/unique_fd.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include <elfutils/libdwelf.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

namespace diag::crash {

namespace {

// NOLINTNEXTLINE(*-avoid-non-const-global-variables): libdwfl's callbacks take no context.
thread_local std::string g_cache_directory;

// The cache leaves this much free on its file system, and takes no file larger than this.
constexpr std::uint64_t kKeepFreeBytes = 1ULL << 30U;
constexpr std::uint64_t kLargestFileBytes = 1ULL << 30U;
constexpr mode_t kFileMode = 0644;
constexpr mode_t kDirectoryMode = 0755;

struct ElfDeleter {
    void operator()(Elf* elf) const { elf_end(elf); }
};
using ElfPtr = std::unique_ptr<Elf, ElfDeleter>;

std::string hex(const unsigned char* bits, std::size_t length) {
    std::string text;
    for (std::size_t i = 0; i < length; ++i) {
        text += fmt::format("{:02x}", bits[i]);
    }
    return text;
}

std::string build_id_of(int fd) {
    elf_version(EV_CURRENT);
    ElfPtr elf(elf_begin(fd, ELF_C_READ_MMAP, nullptr));
    if (!elf) {
        return {};
    }
    const void* bits = nullptr;
    const auto length = dwelf_elf_gnu_build_id(elf.get(), &bits);
    return length > 0
               ? hex(static_cast<const unsigned char*>(bits), static_cast<std::size_t>(length))
               : std::string();
}

// mkdir -p with kDirectoryMode; true when the directory is there.
bool make_directories(const std::string& path) {
    for (std::size_t slash = path.find('/', 1);; slash = path.find('/', slash + 1)) {
        const std::string part = path.substr(0, slash);
        if (::mkdir(part.c_str(), kDirectoryMode) != 0 && errno != EEXIST) {
            return false;
        }
        if (slash == std::string::npos) {
            return true;
        }
    }
}

std::uint64_t align_up(std::uint64_t value, std::uint64_t alignment) {
    return alignment <= 1 ? value : (value + alignment - 1) / alignment * alignment;
}

// Copies `in` into `out` with compressed sections inflated, laid out here (ELF_F_LAYOUT):
// the header, the program headers, each section at its alignment, the section headers last.
std::expected<void, std::string> copy_inflated(Elf* in, Elf* out) {
    GElf_Ehdr ehdr;
    std::size_t phnum = 0;
    std::size_t shstrndx = 0;
    if (gelf_getehdr(in, &ehdr) == nullptr || elf_getphdrnum(in, &phnum) != 0 ||
        elf_getshdrstrndx(in, &shstrndx) != 0 || shstrndx >= SHN_LORESERVE) {
        return std::unexpected(std::string("read ELF header: ") + elf_errmsg(-1));
    }
    if (gelf_newehdr(out, gelf_getclass(in)) == nullptr ||
        (phnum > 0 && gelf_newphdr(out, phnum) == nullptr)) {
        return std::unexpected(std::string("new ELF header: ") + elf_errmsg(-1));
    }
    for (std::size_t i = 0; i < phnum; ++i) {
        GElf_Phdr phdr;
        if (gelf_getphdr(in, static_cast<int>(i), &phdr) == nullptr ||
            gelf_update_phdr(out, static_cast<int>(i), &phdr) == 0) {
            return std::unexpected(std::string("copy program header: ") + elf_errmsg(-1));
        }
    }
    std::uint64_t offset = ehdr.e_ehsize + phnum * ehdr.e_phentsize;
    ehdr.e_phoff = phnum > 0 ? ehdr.e_ehsize : 0;
    for (Elf_Scn* scn = elf_nextscn(in, nullptr); scn != nullptr; scn = elf_nextscn(in, scn)) {
        GElf_Shdr shdr;
        if (gelf_getshdr(scn, &shdr) == nullptr) {
            return std::unexpected(std::string("read section header: ") + elf_errmsg(-1));
        }
        if ((shdr.sh_flags & SHF_COMPRESSED) != 0U &&
            (elf_compress(scn, 0, 0) < 0 || gelf_getshdr(scn, &shdr) == nullptr)) {
            return std::unexpected(std::string("inflate section: ") + elf_errmsg(-1));
        }
        Elf_Scn* copy = elf_newscn(out);
        if (copy == nullptr) {
            return std::unexpected(std::string("new section: ") + elf_errmsg(-1));
        }
        if (shdr.sh_type != SHT_NOBITS && shdr.sh_size > 0) {
            Elf_Data* data = elf_rawdata(scn, nullptr);
            Elf_Data* copied = elf_newdata(copy);
            if (data == nullptr || copied == nullptr || data->d_size != shdr.sh_size) {
                return std::unexpected(std::string("copy section data: ") + elf_errmsg(-1));
            }
            *copied = *data;
            copied->d_off = 0;
        }
        offset = align_up(offset, shdr.sh_addralign);
        shdr.sh_offset = offset;
        if (shdr.sh_type != SHT_NOBITS) {
            offset += shdr.sh_size;
        }
        if (gelf_update_shdr(copy, &shdr) == 0) {
            return std::unexpected(std::string("write section header: ") + elf_errmsg(-1));
        }
    }
    ehdr.e_shoff = align_up(offset, sizeof(std::uint64_t));
    ehdr.e_shstrndx = static_cast<decltype(ehdr.e_shstrndx)>(shstrndx);
    if (gelf_update_ehdr(out, &ehdr) == 0) {
        return std::unexpected(std::string("write ELF header: ") + elf_errmsg(-1));
    }
    elf_flagelf(out, ELF_C_SET, ELF_F_LAYOUT);
    if (elf_update(out, ELF_C_WRITE) < 0) {
        return std::unexpected(std::string("write ELF file: ") + elf_errmsg(-1));
    }
    return {};
}

// The size of the file once inflated: the headers and every section's inflated size.
std::uint64_t inflated_bytes(Elf* elf) {
    std::uint64_t total = 0;
    for (Elf_Scn* scn = elf_nextscn(elf, nullptr); scn != nullptr; scn = elf_nextscn(elf, scn)) {
        GElf_Shdr shdr;
        if (gelf_getshdr(scn, &shdr) == nullptr) {
            continue;
        }
        GElf_Chdr chdr;
        total += (shdr.sh_flags & SHF_COMPRESSED) != 0U && gelf_getchdr(scn, &chdr) != nullptr
                     ? chdr.ch_size
                     : shdr.sh_size;
    }
    return total;
}

bool room_for(const std::string& directory, std::uint64_t bytes) {
    struct statvfs fs {};
    if (::statvfs(directory.c_str(), &fs) != 0) {
        return false;
    }
    const std::uint64_t free_bytes = static_cast<std::uint64_t>(fs.f_bavail) * fs.f_frsize;
    return bytes <= kLargestFileBytes && free_bytes > bytes + kKeepFreeBytes;
}

}  // namespace

void set_debuginfo_cache(std::string directory) {
    g_cache_directory = std::move(directory);
}

bool has_compressed_sections(int fd) {
    elf_version(EV_CURRENT);
    ElfPtr elf(elf_begin(fd, ELF_C_READ_MMAP, nullptr));
    if (!elf) {
        return false;
    }
    for (Elf_Scn* scn = elf_nextscn(elf.get(), nullptr); scn != nullptr;
         scn = elf_nextscn(elf.get(), scn)) {
        GElf_Shdr shdr;
        if (gelf_getshdr(scn, &shdr) != nullptr && (shdr.sh_flags & SHF_COMPRESSED) != 0U) {
            return true;
        }
    }
    return false;
}

std::expected<void, std::string> write_inflated_elf(int fd, const std::string& path) {
    elf_version(EV_CURRENT);
    ElfPtr in(elf_begin(fd, ELF_C_READ_MMAP, nullptr));
    if (!in || elf_kind(in.get()) != ELF_K_ELF) {
        return std::unexpected("not an ELF file");
    }
    std::string temporary = path + ".XXXXXX";
    UniqueFd out_fd(::mkstemp(temporary.data()));
    if (!out_fd.valid()) {
        return std::unexpected(fmt::format("create {}: {}", temporary, std::strerror(errno)));
    }
    auto written = [&]() -> std::expected<void, std::string> {
        if (::fchmod(out_fd.get(), kFileMode) != 0) {
            return std::unexpected(std::string("chmod: ") + std::strerror(errno));
        }
        ElfPtr out(elf_begin(out_fd.get(), ELF_C_WRITE, nullptr));
        if (!out) {
            return std::unexpected(std::string("elf_begin: ") + elf_errmsg(-1));
        }
        if (auto copied = copy_inflated(in.get(), out.get()); !copied) {
            return copied;
        }
        out.reset();
        if (::fsync(out_fd.get()) != 0) {
            return std::unexpected(std::string("fsync: ") + std::strerror(errno));
        }
        if (::rename(temporary.c_str(), path.c_str()) != 0) {
            return std::unexpected(std::string("rename: ") + std::strerror(errno));
        }
        return {};
    }();
    if (!written) {
        ::unlink(temporary.c_str());
    }
    return written;
}

namespace {

// A regular file at path whose GNU build-id is `id`, open; -1 otherwise.
int open_with_build_id(const std::string& path, const std::string& id) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return -1;
    }
    if (build_id_of(fd) != id) {
        ::close(fd);
        return -1;
    }
    return fd;
}

// Where the standard search looks without debuginfod, validated by build-id: the build-id path
// under /usr/lib/debug, then the .gnu_debuglink name beside the file, in .debug/ beside it and
// under /usr/lib/debug. dwfl_standard_find_debuginfo is not called for these: on a hit it keeps
// its own handle on the file it found, which would be used instead of an inflated copy.
std::string find_local_debug_file(const std::string& id, const char* file_name,
                                  const char* debuglink_file, int& fd) {
    std::vector<std::string> candidates{
        fmt::format("/usr/lib/debug/.build-id/{}/{}.debug", id.substr(0, 2), id.substr(2))};
    if (debuglink_file != nullptr && file_name != nullptr) {
        std::string dir = file_name;
        dir = dir.substr(0, dir.find_last_of('/') == std::string::npos ? 0 : dir.find_last_of('/'));
        candidates.push_back(dir + "/" + debuglink_file);
        candidates.push_back(dir + "/.debug/" + debuglink_file);
        candidates.push_back("/usr/lib/debug" + dir + "/" + debuglink_file);
    }
    for (const auto& candidate : candidates) {
        fd = open_with_build_id(candidate, id);
        if (fd >= 0) {
            return candidate;
        }
    }
    return {};
}

}  // namespace

int find_debuginfo_cached(Dwfl_Module* module, void** userdata, const char* module_name,
                          Dwarf_Addr base, const char* file_name, const char* debuglink_file,
                          GElf_Word debuglink_crc, char** debuginfo_file_name) {
    const unsigned char* bits = nullptr;
    GElf_Addr vaddr = 0;
    const int length = dwfl_module_build_id(module, &bits, &vaddr);
    const char* urls = std::getenv("DEBUGINFOD_URLS");
    const bool debuginfod = urls != nullptr && urls[0] != '\0';
    if (g_cache_directory.empty() || length < 2) {
        return dwfl_standard_find_debuginfo(module, userdata, module_name, base, file_name,
                                            debuglink_file, debuglink_crc, debuginfo_file_name);
    }
    const std::string id = hex(bits, static_cast<std::size_t>(length));
    // The build-id names the contents: a copy made from any earlier file with it will do.
    const std::string cached = g_cache_directory + "/" + id + ".debug";
    if (const int fd = open_with_build_id(cached, id); fd >= 0) {
        std::free(*debuginfo_file_name);  // NOLINT(*-no-malloc): libdwfl frees it with free()
        *debuginfo_file_name = ::strdup(cached.c_str());
        return fd;
    }
    int found = -1;
    // libdwfl passes no file name for a core's main executable; its module name is the path.
    const char* main_file = file_name != nullptr                              ? file_name
                            : module_name != nullptr && module_name[0] == '/' ? module_name
                                                                              : nullptr;
    const std::string path = find_local_debug_file(id, main_file, debuglink_file, found);
    if (found < 0) {
        // Not on this box: debuginfod may have it. Without servers, nothing more to try (and
        // no reason to load libdebuginfod and its TLS stack).
        return debuginfod ? dwfl_standard_find_debuginfo(module, userdata, module_name, base,
                                                         file_name, debuglink_file, debuglink_crc,
                                                         debuginfo_file_name)
                          : -1;
    }
    std::free(*debuginfo_file_name);  // NOLINT(*-no-malloc): libdwfl frees it with free()
    *debuginfo_file_name = ::strdup(path.c_str());
    if (!has_compressed_sections(found)) {
        return found;
    }
    // This unwind reads the file as found; the inflated copy is written once the report is out
    // (by the collecting child, after the caller has its answer), for the next unwinds.
    const int copy_fd = ::dup(found);
    if (copy_fd >= 0) {
        after_report([copy_fd, directory = g_cache_directory, cached] {
            const UniqueFd fd(copy_fd);
            ElfPtr elf(elf_begin(fd.get(), ELF_C_READ_MMAP, nullptr));
            const std::uint64_t bytes = elf ? inflated_bytes(elf.get()) : 0;
            elf.reset();
            if (bytes > 0 && make_directories(directory) && room_for(directory, bytes)) {
                // A copy that could not be written costs only a slower next run: said at -v.
                if (auto written = write_inflated_elf(fd.get(), cached); !written) {
                    spdlog::info("debuginfo cache {}: {}", cached, written.error());
                }
            }
        });
    }
    return found;
}

}  // namespace diag::crash
