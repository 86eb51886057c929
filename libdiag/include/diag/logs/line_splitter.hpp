#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace diag::logs {

/// One line cut from a byte stream.
struct SplitLine {
    /// The line without its LF or CRLF, with leading NUL bytes removed (what is left in a log
    /// file's preallocated blocks after a crash), at most the splitter's limit long.
    std::string_view text;
    /// 1-based.
    std::uint64_t line_number = 0;
    /// Offset of the line's first byte in the stream.
    std::uint64_t byte_offset = 0;
    /// Bytes past the limit that were not kept.
    std::uint64_t dropped_bytes = 0;
};

/// Cuts a byte stream fed in chunks into lines, keeping at most `max_line_bytes` of each so a
/// line of any length (a 100 MB line, a file of NULs without newline) takes bounded memory.
class LineSplitter {
public:
    /// Default cap on the bytes kept from one line.
    static constexpr std::size_t kDefaultMaxLineBytes = std::size_t{64} << 10U;

    using Sink = std::function<void(const SplitLine&)>;

    explicit LineSplitter(Sink sink, std::size_t max_line_bytes = kDefaultMaxLineBytes);

    /// Feeds the next bytes; calls the sink for every line they complete.
    void feed(std::string_view bytes);
    /// Ends the stream: a last line without newline is given to the sink.
    void finish();

    /// True when no part of a line is held back: the next byte fed starts a line.
    [[nodiscard]] bool at_line_start() const { return !has_pending_; }
    /// Passes over whole lines that nobody needs to see (bytes must end with a newline and
    /// start a line): they are counted and their offsets kept, but not given to the sink.
    /// Returns how many lines were passed.
    std::uint64_t skip_lines(std::string_view bytes);

    /// Bytes fed so far.
    [[nodiscard]] std::uint64_t bytes_fed() const { return offset_; }

private:
    void emit();

    Sink sink_;
    std::size_t max_line_bytes_;
    std::string pending_;
    std::uint64_t pending_dropped_ = 0;
    std::uint64_t pending_start_ = 0;
    std::uint64_t offset_ = 0;
    std::uint64_t line_number_ = 0;
    bool has_pending_ = false;
};

}  // namespace diag::logs
