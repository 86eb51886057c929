#include "diag/net/proc_net_dev.hpp"

#include "diag/sys/text_fields.hpp"

#include <array>

namespace diag::net {

namespace {

constexpr std::size_t kColumns = 16;

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
        text.remove_suffix(1);
    }
    return text;
}

}  // namespace

LinkCounters ProcNetDevRow::exact_counters() const {
    LinkCounters counters;
    counters.set(LinkCounter::rx_bytes, rx_bytes);
    counters.set(LinkCounter::rx_packets, rx_packets);
    counters.set(LinkCounter::rx_errors, rx_errors);
    counters.set(LinkCounter::rx_fifo_errors, rx_fifo);
    counters.set(LinkCounter::rx_compressed, rx_compressed);
    counters.set(LinkCounter::multicast, rx_multicast);
    counters.set(LinkCounter::tx_bytes, tx_bytes);
    counters.set(LinkCounter::tx_packets, tx_packets);
    counters.set(LinkCounter::tx_errors, tx_errors);
    counters.set(LinkCounter::tx_dropped, tx_dropped);
    counters.set(LinkCounter::tx_fifo_errors, tx_fifo);
    counters.set(LinkCounter::collisions, tx_collisions);
    counters.set(LinkCounter::tx_compressed, tx_compressed);
    return counters;
}

ProcNetDev parse_proc_net_dev(std::string_view text) {
    ProcNetDev result;
    for (auto line : sys::split_lines(text)) {
        if (trim(line).empty() || line.find('|') != std::string_view::npos) {
            continue;  // the two header lines and blank lines
        }
        const auto colon = line.rfind(':');
        const auto name =
            colon == std::string_view::npos ? std::string_view{} : trim(line.substr(0, colon));
        if (name.empty()) {
            ++result.skipped_lines;
            continue;
        }
        const auto fields = sys::split_fields(line.substr(colon + 1));
        std::array<std::uint64_t, kColumns> numbers{};
        bool good = fields.size() == kColumns;
        for (std::size_t i = 0; good && i < kColumns; ++i) {
            const auto value = sys::parse_uint(fields[i]);
            good = value.has_value();
            numbers.at(i) = value.value_or(0);
        }
        if (!good) {
            ++result.skipped_lines;
            continue;
        }
        ProcNetDevRow row;
        row.name = std::string(name);
        std::size_t i = 0;
        for (auto* field :
             {&row.rx_bytes, &row.rx_packets, &row.rx_errors, &row.rx_dropped_and_missed,
              &row.rx_fifo, &row.rx_frame_group, &row.rx_compressed, &row.rx_multicast,
              &row.tx_bytes, &row.tx_packets, &row.tx_errors, &row.tx_dropped, &row.tx_fifo,
              &row.tx_collisions, &row.tx_carrier_group, &row.tx_compressed}) {
            *field = numbers.at(i++);
        }
        result.rows.push_back(std::move(row));
    }
    return result;
}

}  // namespace diag::net
