// Fuzzes parse_proc_net_dev (/proc/net/dev: two header lines, then "name: 16 numbers").
// Invariants: every row comes from its own line, its name holds no line break, and the exact
// counters repeat the row's single-counter columns while the summed columns stay absent.

#include "fuzz_check.hpp"

#include <diag/net/proc_net_dev.hpp>
#include <diag/sys/text_fields.hpp>

using diag::fuzz::require;
using diag::net::LinkCounter;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto text = diag::fuzz::as_text(data, size);
    const auto dev = diag::net::parse_proc_net_dev(text);
    const auto lines = diag::sys::split_lines(text).size();

    require(dev.rows.size() + dev.skipped_lines <= lines, "a line gives one row or one skip");
    for (const auto& row : dev.rows) {
        require(row.name.find('\n') == std::string::npos, "a name holds no line break");
        const auto counters = row.exact_counters();
        require(counters.get(LinkCounter::rx_bytes) == row.rx_bytes, "rx_bytes is kept");
        require(counters.get(LinkCounter::tx_packets) == row.tx_packets, "tx_packets is kept");
        require(counters.get(LinkCounter::collisions) == row.tx_collisions, "collisions kept");
        require(!counters.get(LinkCounter::rx_dropped),
                "rx drop + missed is a sum, not rx_dropped");
        require(!counters.get(LinkCounter::rx_crc_errors), "the frame column is a sum");
        require(!counters.get(LinkCounter::tx_carrier_errors), "the carrier column is a sum");
    }
    return 0;
}
