#include "diag/logs/line_splitter.hpp"

#include <algorithm>
#include <array>
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

namespace {

// Newlines in bytes, counted 64 lanes at a time into byte counters (at most 64 per lane per
// block, so they cannot overflow): a loop the compiler turns into vector compares.
std::uint64_t count_newlines(std::string_view bytes) {
    constexpr std::size_t kLanes = 64;
    constexpr std::size_t kBlock = kLanes * 64;
    std::uint64_t lines = 0;
    const char* data = bytes.data();
    std::size_t left = bytes.size();
    while (left >= kLanes) {
        const std::size_t block = std::min(kBlock, left - left % kLanes);
        std::array<unsigned char, kLanes> lanes{};
        for (std::size_t at = 0; at < block; at += kLanes) {
            for (std::size_t lane = 0; lane < kLanes; ++lane) {
                lanes[lane] = static_cast<unsigned char>(lanes[lane] + (data[at + lane] == '\n'));
            }
        }
        for (const unsigned char count : lanes) {
            lines += count;
        }
        data += block;
        left -= block;
    }
    for (std::size_t i = 0; i < left; ++i) {
        lines += data[i] == '\n' ? 1U : 0U;
    }
    return lines;
}

}  // namespace

std::uint64_t LineSplitter::skip_lines(std::string_view bytes) {
    const std::uint64_t lines = count_newlines(bytes);
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
