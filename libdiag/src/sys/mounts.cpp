#include "diag/sys/mounts.hpp"

#include "diag/sys/text_fields.hpp"

#include <limits>

namespace diag::sys {

std::string unescape_octal(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto is_octal = [](char c) { return c >= '0' && c <= '7'; };
        if (text[i] == '\\' && i + 3 < text.size() && is_octal(text[i + 1]) &&
            is_octal(text[i + 2]) && is_octal(text[i + 3])) {
            const int value =
                (text[i + 1] - '0') * 64 + (text[i + 2] - '0') * 8 + (text[i + 3] - '0');
            if (value < 256) {
                out += static_cast<char>(value);
                i += 3;
                continue;
            }
        }
        out += text[i];
    }
    return out;
}

bool has_option(std::string_view options, std::string_view option) {
    while (!options.empty()) {
        const auto comma = options.find(',');
        if (options.substr(0, comma) == option) {
            return true;
        }
        if (comma == std::string_view::npos) {
            break;
        }
        options.remove_prefix(comma + 1);
    }
    return false;
}

bool MountEntry::has_super_option(std::string_view option) const {
    return has_option(super_options, option);
}

bool MountEntry::has_mount_option(std::string_view option) const {
    return has_option(mount_options, option);
}

MountTable parse_mountinfo(std::string_view text) {
    MountTable table;
    for (auto line : split_lines(text)) {
        if (line.empty()) {
            continue;
        }
        const auto fields = split_fields(line);
        // id parent major:minor root mount_point options [optional...] - type source super
        std::size_t dash = 6;
        while (dash < fields.size() && fields[dash] != "-") {
            ++dash;
        }
        if (fields.size() < 6 || dash + 2 >= fields.size()) {
            ++table.skipped;
            continue;
        }
        MountEntry entry;
        auto id = parse_uint(fields[0]);
        auto parent = parse_uint(fields[1]);
        const auto colon = fields[2].find(':');
        if (!id || !parent || colon == std::string_view::npos) {
            ++table.skipped;
            continue;
        }
        auto major = parse_uint(fields[2].substr(0, colon));
        auto minor = parse_uint(fields[2].substr(colon + 1));
        // The kernel's ids and device numbers fit in 32 bits; a larger one is not cut down to
        // fit (found by fuzz/fuzz_mounts: parent 99999999999999991 read as 1569325047).
        constexpr std::uint64_t kMax = std::numeric_limits<unsigned>::max();
        if (!major || !minor || *id > kMax || *parent > kMax || *major > kMax || *minor > kMax) {
            ++table.skipped;
            continue;
        }
        entry.mount_id = static_cast<unsigned>(*id);
        entry.parent_id = static_cast<unsigned>(*parent);
        entry.major = static_cast<unsigned>(*major);
        entry.minor = static_cast<unsigned>(*minor);
        entry.root = unescape_octal(fields[3]);
        entry.mount_point = unescape_octal(fields[4]);
        entry.mount_options = std::string(fields[5]);
        entry.fs_type = std::string(fields[dash + 1]);
        entry.source = unescape_octal(fields[dash + 2]);
        entry.super_options = dash + 3 < fields.size() ? std::string(fields[dash + 3]) : "";
        table.mounts.push_back(std::move(entry));
    }
    return table;
}

std::vector<FstabEntry> parse_fstab(std::string_view text) {
    std::vector<FstabEntry> entries;
    for (auto line : split_lines(text)) {
        const auto fields = split_fields(line);
        if (fields.size() < 3 || fields[0].starts_with('#')) {
            continue;
        }
        entries.push_back(FstabEntry{unescape_octal(fields[0]), unescape_octal(fields[1]),
                                     std::string(fields[2]),
                                     fields.size() > 3 ? std::string(fields[3]) : "defaults"});
    }
    return entries;
}

}  // namespace diag::sys
