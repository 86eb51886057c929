// Fuzzes parse_mountinfo (/proc/self/mountinfo, Documentation/filesystems/proc.rst 3.5),
// parse_fstab (fstab(5)), unescape_octal and has_option.
// Invariants: every non-empty mountinfo line is either a mount or counted as skipped; numbers
// are the ones written (never cut down to fit); paths are their fields unescaped; lines decode
// independently; octal escapes of any bytes unescape back to those bytes.

#include "fuzz_check.hpp"

#include <diag/sys/mounts.hpp>
#include <diag/sys/text_fields.hpp>

#include <string>

namespace {

using diag::fuzz::is_one_field;
using diag::fuzz::reference_number;
using diag::fuzz::require;
using diag::sys::MountEntry;

bool same(const MountEntry& a, const MountEntry& b) {
    return a.mount_id == b.mount_id && a.parent_id == b.parent_id && a.major == b.major &&
           a.minor == b.minor && a.root == b.root && a.mount_point == b.mount_point &&
           a.mount_options == b.mount_options && a.fs_type == b.fs_type && a.source == b.source &&
           a.super_options == b.super_options;
}

// Writes every byte as a three-digit octal escape, the way the kernel writes a space (\040).
std::string escape_every_byte(std::string_view text) {
    std::string out;
    for (char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        out += '\\';
        out += static_cast<char>('0' + ((byte >> 6U) & 7U));
        out += static_cast<char>('0' + ((byte >> 3U) & 7U));
        out += static_cast<char>('0' + (byte & 7U));
    }
    return out;
}

void check_unescape(std::string_view text) {
    const auto plain = diag::sys::unescape_octal(text);
    require(plain.size() <= text.size(), "unescaping never lengthens text");
    if (text.find('\\') == std::string_view::npos) {
        require(plain == text, "text without a backslash is unchanged");
    }
    constexpr std::size_t kRoundTripBytes = 256;
    const auto sample = text.substr(0, kRoundTripBytes);
    require(diag::sys::unescape_octal(escape_every_byte(sample)) == sample,
            "octal escapes of any bytes unescape back to those bytes");
}

void check_options(std::string_view options) {
    std::string_view rest = options;
    while (!rest.empty()) {
        const auto comma = rest.find(',');
        const auto option = rest.substr(0, comma);
        require(diag::sys::has_option(options, option), "every listed option is found");
        if (comma == std::string_view::npos) {
            break;
        }
        rest.remove_prefix(comma + 1);
    }
    require(!diag::sys::has_option(options, std::string(options) + ","),
            "an option longer than the whole list is not found");
}

void check_mount_line(std::string_view line, const MountEntry& entry) {
    const auto fields = diag::sys::split_fields(line);
    require(fields.size() >= 9, "a mount has six fields, the separator, a type and a source");
    require(reference_number<std::uint64_t>(fields[0]) == entry.mount_id,
            "the mount id is the number written");
    require(reference_number<std::uint64_t>(fields[1]) == entry.parent_id,
            "the parent id is the number written");
    const auto colon = fields[2].find(':');
    require(colon != std::string_view::npos, "major:minor has a colon");
    require(reference_number<std::uint64_t>(fields[2].substr(0, colon)) == entry.major,
            "the major number is the one written");
    require(reference_number<std::uint64_t>(fields[2].substr(colon + 1)) == entry.minor,
            "the minor number is the one written");
    require(entry.root == diag::sys::unescape_octal(fields[3]), "root is field 4 unescaped");
    require(entry.mount_point == diag::sys::unescape_octal(fields[4]),
            "the mount point is field 5 unescaped");
    require(entry.mount_options == fields[5], "mount options are field 6");
    require(is_one_field(entry.fs_type), "the filesystem type is one field");
    require(!entry.source.empty(), "the source is not empty");
    check_options(entry.mount_options);
    check_options(entry.super_options);
}

void check_mountinfo(std::string_view text) {
    const auto table = diag::sys::parse_mountinfo(text);
    std::size_t non_empty = 0;
    std::size_t skipped = 0;
    std::vector<MountEntry> rebuilt;
    for (auto line : diag::sys::split_lines(text)) {
        if (line.empty()) {
            continue;
        }
        ++non_empty;
        auto alone = diag::sys::parse_mountinfo(diag::fuzz::as_one_line_file(line));
        require(alone.mounts.size() + alone.skipped == 1, "a line is a mount or skipped");
        skipped += alone.skipped;
        for (auto& entry : alone.mounts) {
            check_mount_line(line, entry);
            rebuilt.push_back(std::move(entry));
        }
    }
    require(table.mounts.size() + table.skipped == non_empty,
            "every non-empty line is a mount or skipped");
    require(table.skipped == skipped && table.mounts.size() == rebuilt.size(),
            "the file decodes as its lines decode one by one");
    for (std::size_t i = 0; i < rebuilt.size(); ++i) {
        require(same(table.mounts[i], rebuilt[i]), "mounts keep the order of their lines");
    }
}

void check_fstab(std::string_view text) {
    const auto entries = diag::sys::parse_fstab(text);
    std::size_t rebuilt = 0;
    for (auto line : diag::sys::split_lines(text)) {
        const auto alone = diag::sys::parse_fstab(diag::fuzz::as_one_line_file(line));
        require(alone.size() <= 1, "a line gives at most one entry");
        for (const auto& entry : alone) {
            require(rebuilt < entries.size() && entries[rebuilt].spec == entry.spec &&
                        entries[rebuilt].mount_point == entry.mount_point &&
                        entries[rebuilt].fs_type == entry.fs_type &&
                        entries[rebuilt].options == entry.options,
                    "the file decodes as its lines decode one by one");
            const auto fields = diag::sys::split_fields(line);
            require(!fields[0].starts_with('#'), "comment lines give no entry");
            require(entry.spec == diag::sys::unescape_octal(fields[0]) &&
                        entry.mount_point == diag::sys::unescape_octal(fields[1]),
                    "spec and mount point are their fields unescaped");
            require(is_one_field(entry.fs_type) && is_one_field(entry.options),
                    "type and options are single fields");
            ++rebuilt;
        }
    }
    require(rebuilt == entries.size(), "no entry comes from nowhere");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto text = diag::fuzz::as_text(data, size);
    check_unescape(text);
    check_mountinfo(text);
    check_fstab(text);
    return 0;
}
