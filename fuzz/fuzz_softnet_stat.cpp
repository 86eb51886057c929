// Fuzzes parse_softnet_stat (/proc/net/softnet_stat: one line of hex columns per online CPU, in
// the 11-, 13- and 15-column layouts) and softnet_delta.
// Invariants: every CPU comes from its own line, in order; a CPU id or a queue length is only
// read from a line wide enough to hold it; a delta of 32-bit counters is below 2^32.

#include "fuzz_check.hpp"

#include <diag/net/softnet_stat.hpp>
#include <diag/sys/text_fields.hpp>

#include <cstring>

using diag::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto text = diag::fuzz::as_text(data, size);
    const auto stat = diag::net::parse_softnet_stat(text);
    const auto lines = diag::sys::split_lines(text).size();

    require(stat.cpus.size() + stat.skipped_lines <= lines, "a line gives one CPU or one skip");
    constexpr std::size_t kCpuIdColumns = 13;
    constexpr std::size_t kQueueColumns = 15;
    for (std::size_t i = 0; i < stat.cpus.size(); ++i) {
        const auto& cpu = stat.cpus[i];
        require(cpu.line < lines, "a CPU's line is a line of the text");
        require(i == 0 || cpu.line > stat.cpus[i - 1].line, "CPUs are in line order");
        require(!cpu.cpu || stat.columns >= kCpuIdColumns, "a CPU id needs 13 columns");
        require(!cpu.process_queue_length || stat.columns >= kQueueColumns,
                "queue lengths need 15 columns");
    }

    constexpr std::uint64_t kWrap = std::uint64_t{1} << 32U;
    std::uint32_t before = 0;
    std::uint32_t after = 0;
    if (size >= sizeof before + sizeof after) {
        std::memcpy(&before, data, sizeof before);
        std::memcpy(&after, data + sizeof before, sizeof after);
    }
    const auto delta = diag::net::softnet_delta(before, after);
    require(delta < kWrap, "one wrap at most");
    require(static_cast<std::uint32_t>(before + delta) == after, "before plus delta is after");
    require(diag::net::softnet_delta(after, after) == 0, "no change is no delta");
    return 0;
}
