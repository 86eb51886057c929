#include "diag/logs/line_splitter.hpp"

#include <cstring>
#include <utility>

namespace diag::logs {

LineSplitter::LineSplitter(Sink sink, std::size_t max_line_bytes)
    : sink_(std::move(sink)), max_line_bytes_(max_line_bytes) {}

void LineSplitter::feed(std::string_view bytes) {
    while (!bytes.empty()) {
        if (!has_pending_) {
            has_pending_ = true;
            pending_start_ = offset_;
        }
        if (pending_.empty() && pending_dropped_ == 0) {
            // NUL runs in front of a line are skipped here, before they can fill the buffer.
            std::size_t nuls = 0;
            while (nuls < bytes.size() && bytes[nuls] == '\0') {
                ++nuls;
            }
            offset_ += nuls;
            bytes.remove_prefix(nuls);
            pending_start_ = offset_;
            if (bytes.empty()) {
                break;
            }
        }
        const void* found = std::memchr(bytes.data(), '\n', bytes.size());
        const std::size_t take =
            found == nullptr
                ? bytes.size()
                : static_cast<std::size_t>(static_cast<const char*>(found) - bytes.data());
        const std::size_t room =
            pending_.size() < max_line_bytes_ ? max_line_bytes_ - pending_.size() : 0;
        const std::size_t kept = std::min(room, take);
        pending_.append(bytes.data(), kept);
        pending_dropped_ += take - kept;
        offset_ += take;
        bytes.remove_prefix(take);
        if (found != nullptr) {
            ++offset_;
            bytes.remove_prefix(1);
            emit();
        }
    }
}

std::uint64_t LineSplitter::skip_lines(std::string_view bytes) {
    // A plain loop over the bytes, which the compiler turns into vector compares.
    std::uint64_t lines = 0;
    for (const char c : bytes) {
        lines += c == '\n' ? 1U : 0U;
    }
    offset_ += bytes.size();
    line_number_ += lines;
    return lines;
}

void LineSplitter::finish() {
    if (has_pending_) {
        emit();
    }
}

void LineSplitter::emit() {
    std::string_view text = pending_;
    // CRLF files (the loghub samples, Windows-written logs): the CR belongs to the line end.
    if (!text.empty() && text.back() == '\r' && pending_dropped_ == 0) {
        text.remove_suffix(1);
    }
    ++line_number_;
    sink_(SplitLine{text, line_number_, pending_start_, pending_dropped_});
    pending_.clear();
    pending_dropped_ = 0;
    has_pending_ = false;
}

}  // namespace diag::logs
