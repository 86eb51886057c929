// Fuzzes parse_rsyslog_iso: rsyslog's ISO 8601 stamped lines ("2024-01-02T03:04:05.123456+01:00
// host tag: msg"). Invariants: those of log_line_check.hpp (every piece of the record is a piece of
// the line, stamps in range, deterministic, trailing spaces and CR ignored), plus the format's own
// below.

#include "log_line_check.hpp"

namespace {

using diag::fuzz::found_in;
using diag::fuzz::require;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto text = diag::fuzz::as_text(data, size);
    diag::fuzz::check_line_parser(text, diag::logs::parse_rsyslog_iso,
                                  diag::logs::LogFormat::rsyslog_iso);
    const auto line = text.substr(0, text.find('\n'));
    const auto parsed = diag::logs::parse_rsyslog_iso(line);
    if (!parsed) {
        return 0;
    }
    require(parsed->civil.has_value() && parsed->civil->year, "an ISO stamp has a year");
    return 0;
}
