// Fuzzes detect_format on the first lines of a file.
// Invariants: the answer is journal export only for export fields with a realtime stamp, else
// plain or a format that parses at least half of the non-empty lines,
// no format parses more of them than the one chosen, plain means none reaches half, and the
// order of the lines does not matter.

#include "fuzz_check.hpp"

#include <diag/logs/format_detect.hpp>
#include <diag/logs/journal_entry.hpp>
#include <diag/logs/line_parsers.hpp>

#include <algorithm>
#include <array>
#include <vector>

namespace {

using diag::fuzz::require;
using diag::logs::LogFormat;

constexpr std::array<LogFormat, 8> kFormats{
    LogFormat::rfc3164, LogFormat::rfc5424,      LogFormat::rsyslog_iso, LogFormat::dmesg,
    LogFormat::kmsg,    LogFormat::apache_error, LogFormat::nginx_error, LogFormat::journal_json,
};

std::size_t parsed_count(LogFormat format, const std::vector<std::string_view>& lines) {
    return static_cast<std::size_t>(std::count_if(lines.begin(), lines.end(), [&](auto line) {
        return !line.empty() && diag::logs::parse_line(format, line).has_value();
    }));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto text = diag::fuzz::as_text(data, size);
    std::vector<std::string_view> lines;
    while (!text.empty() && lines.size() < 64) {
        const auto end = std::min(text.find('\n'), text.size());
        lines.push_back(text.substr(0, end));
        text.remove_prefix(std::min(end + 1, text.size()));
    }
    const auto non_empty = static_cast<std::size_t>(
        std::count_if(lines.begin(), lines.end(), [](auto line) { return !line.empty(); }));
    const LogFormat chosen = diag::logs::detect_format(lines);
    std::size_t best = 0;
    for (const auto format : kFormats) {
        best = std::max(best, parsed_count(format, lines));
    }
    if (chosen == LogFormat::journal_export) {
        const auto fields = std::count_if(lines.begin(), lines.end(), [](auto line) {
            return !line.empty() && diag::logs::is_journal_export_line(line);
        });
        require(
            static_cast<std::size_t>(fields) * 2 >= non_empty &&
                std::any_of(lines.begin(), lines.end(),
                            [](auto line) { return line.starts_with("__REALTIME_TIMESTAMP="); }),
            "export is chosen only for export fields with a realtime stamp");
    } else if (chosen == LogFormat::plain) {
        require(non_empty == 0 || best * 2 < non_empty,
                "plain only when no format parses half the lines");
    } else {
        const auto count = parsed_count(chosen, lines);
        require(count * 2 >= non_empty && count > 0, "the chosen format parses half the lines");
        require(count == best, "no format parses more lines than the chosen one");
    }
    std::reverse(lines.begin(), lines.end());
    require(diag::logs::detect_format(lines) == chosen, "the order of the lines does not matter");
    return 0;
}
