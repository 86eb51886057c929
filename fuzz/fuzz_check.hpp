#pragma once

// Shared helpers of the libFuzzer targets: turn the fuzzer's bytes into text and stop the run
// when a decoder breaks one of its promises.

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <source_location>
#include <string>
#include <string_view>

namespace diag::fuzz {

/// The fuzzer's input as text, bytes unchanged (it may hold NUL and invalid UTF-8).
inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

/// Aborts, naming the broken invariant and where it is checked, when `holds` is false.
/// libFuzzer treats the abort as a crash and saves the input that caused it.
inline void require(bool holds, const char* invariant,
                    std::source_location where = std::source_location::current()) {
    if (holds) {
        return;
    }
    std::fprintf(stderr, "fuzz: invariant broken at %s:%u: %s\n", where.file_name(),
                 static_cast<unsigned>(where.line()), invariant);
    std::abort();
}

/// One line of a file (from split_lines) as a one-line file that a decoder splits back into
/// exactly that line. Passing the line itself would not do: the decoder drops a final '\r'
/// from each line, so a line that still ends in '\r' would lose a second one.
inline std::string as_one_line_file(std::string_view line) {
    return std::string(line) + "\r\n";
}

/// True when text could be one field of a line split on spaces and tabs: not empty, and no
/// space, tab or newline in it.
inline bool is_one_field(std::string_view text) {
    return !text.empty() && text.find_first_of(" \t\n") == std::string_view::npos;
}

/// A whole decimal number read by the standard library, independently of the decoders' own
/// helpers; nullopt when text is not exactly one number of type T.
template <class T>
std::optional<T> reference_number(std::string_view text) {
    T value{};
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc{} || ptr != end) {
        return std::nullopt;
    }
    return value;
}

}  // namespace diag::fuzz
