#include "diag/net/softnet_stat.hpp"

#include "diag/sys/text_fields.hpp"

#include <charconv>

namespace diag::net {

namespace {

std::optional<std::uint32_t> parse_hex32(std::string_view text) {
    std::uint32_t value = 0;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value, 16);
    if (text.empty() || ec != std::errc{} || ptr != end) {
        return std::nullopt;
    }
    return value;
}

// Column indexes (0-based) of the layouts described in the header.
constexpr std::size_t kReceivedRps = 9;
constexpr std::size_t kFlowLimit = 10;
constexpr std::size_t kBacklog = 11;
constexpr std::size_t kCpuId = 12;
constexpr std::size_t kInputQueue = 13;
constexpr std::size_t kProcessQueue = 14;
constexpr std::size_t kMinColumns = 3;

std::optional<std::uint32_t> column(const std::vector<std::uint32_t>& numbers, std::size_t i) {
    return i < numbers.size() ? std::optional(numbers[i]) : std::nullopt;
}

}  // namespace

SoftnetStat parse_softnet_stat(std::string_view text) {
    SoftnetStat result;
    unsigned line_number = 0;
    for (auto line : sys::split_lines(text)) {
        const auto fields = sys::split_fields(line);
        if (fields.empty()) {
            continue;
        }
        std::vector<std::uint32_t> numbers;
        for (auto field : fields) {
            auto value = parse_hex32(field);
            if (!value) {
                numbers.clear();
                break;
            }
            numbers.push_back(*value);
        }
        if (numbers.size() < kMinColumns) {
            ++result.skipped_lines;
            continue;
        }
        SoftnetCpu cpu;
        cpu.line = line_number++;
        cpu.processed = numbers[0];
        cpu.dropped = numbers[1];
        cpu.time_squeeze = numbers[2];
        cpu.received_rps = column(numbers, kReceivedRps);
        cpu.flow_limit_count = column(numbers, kFlowLimit);
        cpu.backlog_length = column(numbers, kBacklog);
        cpu.cpu = column(numbers, kCpuId);
        cpu.input_queue_length = column(numbers, kInputQueue);
        cpu.process_queue_length = column(numbers, kProcessQueue);
        result.columns = std::max(result.columns, numbers.size());
        result.cpus.push_back(cpu);
    }
    return result;
}

std::uint64_t softnet_delta(std::uint32_t before, std::uint32_t after) {
    // Unsigned arithmetic modulo 2^32 gives the increase across one wrap.
    const std::uint32_t increase = after - before;
    return increase;
}

}  // namespace diag::net
