#include "diag/crash/core_pattern.hpp"

#include <fmt/format.h>

namespace diag::crash {

namespace {

CoreHandler handler_of(std::string_view program) {
    const auto base = program.substr(program.find_last_of('/') + 1);
    if (base == "systemd-coredump") {
        return CoreHandler::systemd_coredump;
    }
    if (base == "apport") {
        return CoreHandler::apport;
    }
    if (base.starts_with("abrt-hook-ccpp") || base.starts_with("abrt")) {
        return CoreHandler::abrt;
    }
    return CoreHandler::other;
}

// Specifier letters format_corename() knows (fs/coredump.c, Linux 6.x).
constexpr std::string_view kKnownSpecifiers = "%pPiIugdstheEcCf";

std::string optional_text(const auto& value) {
    return value ? fmt::format("{}", *value) : std::string{};
}

std::string expand_one(char spec, const CoreNameFields& fields) {
    switch (spec) {
        case '%':
            return "%";
        case 'p':
            return optional_text(fields.pid);
        case 'P':
            return optional_text(fields.global_pid);
        case 'i':
        case 'I':
            return optional_text(fields.tid);
        case 'u':
            return optional_text(fields.uid);
        case 'g':
            return optional_text(fields.gid);
        case 'd':
            return optional_text(fields.dumpable);
        case 's':
            return optional_text(fields.signal);
        case 't':
            return optional_text(fields.time_seconds);
        case 'h':
            return fields.hostname;
        case 'e':
            return fields.comm;
        case 'E':
            return fields.exe_path;
        case 'c':
            return optional_text(fields.rlimit_core_bytes);
        default:
            return {};
    }
}

}  // namespace

CorePattern parse_core_pattern(std::string_view text) {
    CorePattern pattern;
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
        text.remove_suffix(1);
    }
    pattern.text = std::string(text);
    if (text.empty()) {
        pattern.text = "core";
        text = pattern.text;
    }
    if (text.front() == '|') {
        pattern.is_pipe = true;
        auto command = text.substr(1);
        pattern.program = std::string(command.substr(0, command.find(' ')));
        pattern.handler = handler_of(pattern.program);
    } else {
        const auto slash = text.find_last_of('/');
        if (slash != std::string_view::npos) {
            pattern.directory = std::string(text.substr(0, slash == 0 ? 1 : slash));
            pattern.file_pattern = std::string(text.substr(slash + 1));
        } else {
            pattern.file_pattern = std::string(text);
        }
    }
    for (std::size_t i = 0; i + 1 < text.size(); ++i) {
        if (text[i] != '%') {
            continue;
        }
        const char spec = text[i + 1];
        pattern.has_pid = pattern.has_pid || spec == 'p' || spec == 'P';
        if (spec != '%' && kKnownSpecifiers.find(spec) == std::string_view::npos) {
            pattern.unknown_specifiers.push_back(fmt::format("%{}", spec));
        }
        ++i;
    }
    return pattern;
}

std::string expand_core_pattern(std::string_view pattern, const CoreNameFields& fields) {
    std::string name;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] == '%' && i + 1 < pattern.size()) {
            name += expand_one(pattern[i + 1], fields);
            ++i;
        } else if (pattern[i] != '%') {
            name += pattern[i];
        }
    }
    return name;
}

bool matches_core_pattern(std::string_view file_pattern, std::string_view name) {
    // Backtracking glob match where each specifier (except %%) is a '+' wildcard.
    if (file_pattern.empty()) {
        return name.empty();
    }
    if (file_pattern.size() >= 2 && file_pattern[0] == '%' && file_pattern[1] != '%') {
        const auto rest = file_pattern.substr(2);
        for (std::size_t taken = 1; taken <= name.size(); ++taken) {
            if (matches_core_pattern(rest, name.substr(taken))) {
                return true;
            }
        }
        return false;
    }
    const std::size_t literal = file_pattern.starts_with("%%") ? 2 : 1;
    const char expected = file_pattern[0];
    return !name.empty() && name[0] == expected &&
           matches_core_pattern(file_pattern.substr(literal), name.substr(1));
}

std::string_view handler_name(CoreHandler handler) {
    switch (handler) {
        case CoreHandler::systemd_coredump:
            return "systemd-coredump";
        case CoreHandler::apport:
            return "apport";
        case CoreHandler::abrt:
            return "abrt";
        case CoreHandler::other:
            return "pipe";
        case CoreHandler::none:
            break;
    }
    return "file";
}

}  // namespace diag::crash
