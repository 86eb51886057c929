// Fuzzes parse_rfc3164: RFC 3164 syslog lines ("Jun 14 15:16:01 host tag[pid]: msg").
// Invariants: those of log_line_check.hpp (every piece of the record is a piece of the line,
// stamps in range, deterministic, trailing spaces and CR ignored), plus the format's own below.

#include "log_line_check.hpp"

namespace {

using diag::fuzz::require;

void check_rfc3164([[maybe_unused]] std::string_view line, const diag::logs::ParsedLine& parsed) {
    require(parsed.civil.has_value() && !parsed.civil->year, "an RFC 3164 stamp has no year");
    require(!parsed.record.stamp.empty(), "the stamp is kept as written");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return diag::fuzz::run_line_target(data, size, diag::logs::parse_rfc3164,
                                       diag::logs::LogFormat::rfc3164, "", check_rfc3164);
}
