#pragma once

// Debian's debug files keep their DWARF zlib-compressed (SHF_COMPRESSED), and libdw inflates
// every debug section of a file before the first source line can be read: for libc that is
// most of an unwind. The cache keeps one inflated copy per build-id, so the next unwind of a
// stack through the same library reads it as it is.

#include <expected>
#include <string>

#include <elfutils/libdwfl.h>

namespace diag::crash {

/// Where inflated debug files are kept for this thread's unwinds; empty keeps none.
void set_debuginfo_cache(std::string directory);

/// A Dwfl_Callbacks::find_debuginfo. With a cache directory and a module build-id: a cached
/// inflated copy with that build-id is used first; else the debug file is looked for on this box
/// as the standard search does (build-id path, .gnu_debuglink beside
/// the file, in .debug/, under /usr/lib/debug), each candidate checked by build-id; a found file
/// with compressed sections is used as it is and inflated into the cache after the report
/// (after_report), atomically with mode 0644, when the file system keeps 1 GiB free. Not found
/// here: dwfl_standard_find_debuginfo when DEBUGINFOD_URLS names servers, else nothing. Any failure
/// of the cache falls back to the file found, silently: the cache only saves time. Without a
/// cache directory or a build-id: dwfl_standard_find_debuginfo.
int find_debuginfo_cached(Dwfl_Module* module, void** userdata, const char* module_name,
                          Dwarf_Addr base, const char* file_name, const char* debuglink_file,
                          GElf_Word debuglink_crc, char** debuginfo_file_name);

/// Writes the ELF file open on `fd` to `path` with every compressed section inflated and
/// everything else as it is: a temporary file in the same directory, fsynced, renamed. False
/// with the reason when anything fails; nothing is left behind then.
std::expected<void, std::string> write_inflated_elf(int fd, const std::string& path);

/// True when the ELF file open on `fd` has a compressed section.
bool has_compressed_sections(int fd);

}  // namespace diag::crash
