// Fuzzes parse_rsyslog_iso: rsyslog's ISO 8601 stamped lines ("2024-01-02T03:04:05.123456+01:00
// host tag: msg"). Invariants: those of log_line_check.hpp (every piece of the record is a piece of
// the line, stamps in range, deterministic, trailing spaces and CR ignored), plus the format's own
// below.

#include "log_line_check.hpp"

namespace {

using diag::fuzz::require;

void check_rsyslog_iso([[maybe_unused]] std::string_view line,
                       const diag::logs::ParsedLine& parsed) {
    require(parsed.civil.has_value() && parsed.civil->year, "an ISO stamp has a year");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return diag::fuzz::run_line_target(data, size, diag::logs::parse_rsyslog_iso,
                                       diag::logs::LogFormat::rsyslog_iso, "", check_rsyslog_iso);
}
