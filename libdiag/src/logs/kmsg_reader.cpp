#include "diag/logs/kmsg_reader.hpp"

#include "diag/core/deadline.hpp"
#include "diag/logs/line_splitter.hpp"

#include <array>
#include <cerrno>
#include <memory>

#include <fmt/format.h>

#include <unistd.h>

namespace diag::logs {

namespace {

// One /dev/kmsg record is at most PRINTK_MESSAGE_MAX (2048) plus its dictionary; a read with
// a smaller buffer fails with EINVAL (Documentation/ABI/testing/dev-kmsg).
constexpr std::size_t kRecordBufferBytes = 8192;

// Caps the ring read in one go: log_buf_len is at most 2^25 (kernel/printk/printk.c,
// LOG_BUF_LEN_MAX), and records keep coming while we read.
constexpr std::size_t kMaxRingBytes = std::size_t{32} << 20U;

struct RingRead {
    std::string bytes;
    std::uint64_t overwritten = 0;
    int error = 0;
};

// Reads records until the ring is drained (EAGAIN); each read(2) gives one whole record.
RingRead drain(int fd) {
    RingRead ring;
    std::array<char, kRecordBufferBytes> buffer{};
    while (ring.bytes.size() < kMaxRingBytes) {
        const ssize_t got = ::read(fd, buffer.data(), buffer.size());
        if (got > 0) {
            ring.bytes.append(buffer.data(), static_cast<std::size_t>(got));
            if (ring.bytes.back() != '\n') {
                ring.bytes += '\n';
            }
            continue;
        }
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got < 0 && errno == EPIPE) {
            // Records were overwritten since the last read; the next read goes on after them.
            ++ring.overwritten;
            continue;
        }
        if (got < 0 && errno != EAGAIN) {
            ring.error = errno;
        }
        break;
    }
    return ring;
}

}  // namespace

Collected<SourceSummary> read_kmsg(const Root& root, std::optional<UtcTime> boot_time,
                                   std::chrono::milliseconds deadline,
                                   const RecordReader::Sink& sink) {
    Collected<SourceSummary> result;
    auto& summary = result.data;
    summary.path = root.display("/dev/kmsg");
    summary.format = LogFormat::kmsg;
    auto opened = root.open_char_device("/dev/kmsg");
    if (!opened) {
        auto issue = to_issue(opened.error(), IssueLevel::info);
        if (issue.hint.empty()) {
            issue.hint = "the kernel's ring needs root or CAP_SYSLOG to read";
        }
        result.add_issue(std::move(issue));
        return result;
    }
    summary.opened = true;
    auto fd = std::make_shared<UniqueFd>(std::move(*opened));
    auto ring = run_with_deadline([fd] { return drain(fd->get()); }, deadline);
    if (!ring) {
        result.add_issue(Issue{IssueLevel::error, "read", summary.path,
                               fmt::format("no answer within {} ms", deadline.count()), ""});
        return result;
    }
    if (ring->error != 0) {
        result.add_issue(system_error("read", summary.path, ring->error));
    }
    if (ring->overwritten > 0) {
        summary.note = "older records were overwritten while reading";
    }
    summary.bytes_read = ring->bytes.size();
    ReaderSettings settings{LogFormat::kmsg, summary.path, {}, {}, {}, boot_time};
    RecordReader reader(settings, sink);
    LineSplitter splitter([&](const SplitLine& line) { reader.add_line(line); });
    splitter.feed(ring->bytes);
    splitter.finish();
    reader.finish();
    summary.stats = reader.stats();
    return result;
}

}  // namespace diag::logs
