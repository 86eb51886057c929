#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace diag::sys {

/// One line of /proc/self/mountinfo. Paths have their octal escapes (\040 for a space) undone.
/// Format: Documentation/filesystems/proc.rst, 3.5 "/proc/<pid>/mountinfo".
struct MountEntry {
    unsigned mount_id = 0;
    unsigned parent_id = 0;
    unsigned major = 0;
    unsigned minor = 0;
    /// The directory of the filesystem that is the root of this mount ("/" unless a bind).
    std::string root;
    std::string mount_point;
    /// Per-mount options ("rw,relatime").
    std::string mount_options;
    std::string fs_type;
    std::string source;
    /// Per-superblock options ("rw,errors=remount-ro"); "ro" here means the filesystem itself
    /// is read-only, as after an ext4 error with errors=remount-ro.
    std::string super_options;

    /// True when the comma-separated super or mount options hold exactly `option`.
    [[nodiscard]] bool has_super_option(std::string_view option) const;
    [[nodiscard]] bool has_mount_option(std::string_view option) const;
};

/// Parses mountinfo; lines that do not have the required fields are counted in `skipped`.
struct MountTable {
    std::vector<MountEntry> mounts;
    std::size_t skipped = 0;
};
MountTable parse_mountinfo(std::string_view text);

/// One line of /etc/fstab (fs_spec, fs_file, fs_vfstype, fs_mntops). Format: fstab(5).
struct FstabEntry {
    std::string spec;
    std::string mount_point;
    std::string fs_type;
    std::string options;
};
std::vector<FstabEntry> parse_fstab(std::string_view text);

/// Undoes the kernel's and fstab's octal escapes: "\040" becomes a space.
std::string unescape_octal(std::string_view text);

/// True when comma-separated `options` contains exactly `option`.
bool has_option(std::string_view options, std::string_view option);

}  // namespace diag::sys
