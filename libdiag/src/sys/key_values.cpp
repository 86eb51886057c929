#include "diag/sys/key_values.hpp"

#include "diag/sys/text_fields.hpp"

#include <limits>

namespace diag::sys {

KeyValues parse_meminfo(std::string_view text) {
    KeyValues values;
    for (auto line : split_lines(text)) {
        const auto colon = line.find(':');
        if (colon == std::string_view::npos || colon == 0) {
            continue;
        }
        const auto fields = split_fields(line.substr(colon + 1));
        if (fields.empty()) {
            continue;
        }
        auto number = parse_int(fields[0]);
        if (!number || *number < 0) {
            continue;
        }
        constexpr std::int64_t kKibibyte = 1024;
        const bool kilobytes = fields.size() > 1 && fields[1] == "kB";
        // A kB value whose bytes do not fit in 64 bits is no real meminfo line: skip it rather
        // than overflow (found by fuzz/fuzz_meminfo).
        if (kilobytes && *number > std::numeric_limits<std::int64_t>::max() / kKibibyte) {
            continue;
        }
        values[std::string(line.substr(0, colon))] = kilobytes ? *number * kKibibyte : *number;
    }
    return values;
}

KeyValues parse_vmstat(std::string_view text) {
    KeyValues values;
    for (auto line : split_lines(text)) {
        const auto fields = split_fields(line);
        if (fields.size() != 2) {
            continue;
        }
        if (auto number = parse_int(fields[1])) {
            values[std::string(fields[0])] = *number;
        }
    }
    return values;
}

KeyValues parse_snmp(std::string_view text) {
    KeyValues values;
    const auto lines = split_lines(text);
    for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
        const auto header = split_fields(lines[i]);
        const auto data = split_fields(lines[i + 1]);
        if (header.empty() || data.empty() || header[0] != data[0] || !header[0].ends_with(':')) {
            continue;
        }
        // A header line is made of names; its value line of numbers. Skip if this is not one.
        if (header.size() > 1 && parse_int(header[1])) {
            continue;
        }
        const std::string prefix(header[0]);
        const std::size_t count = std::min(header.size(), data.size());
        for (std::size_t k = 1; k < count; ++k) {
            if (auto number = parse_int(data[k])) {
                values[prefix + std::string(header[k])] = *number;
            }
        }
        ++i;
    }
    return values;
}

std::optional<std::int64_t> find(const KeyValues& values, std::string_view key) {
    if (auto it = values.find(key); it != values.end()) {
        return it->second;
    }
    return std::nullopt;
}

}  // namespace diag::sys
