// Fuzzes parse_rfc5424: RFC 5424 syslog lines ("<34>1 2003-10-11T22:14:15.003Z host app procid
// msgid [sd] msg"). Invariants: those of log_line_check.hpp (every piece of the record is a piece
// of the line, stamps in range, deterministic, trailing spaces and CR ignored), plus the format's
// own below.

#include "log_line_check.hpp"

namespace {

using diag::fuzz::require;

void check_rfc5424([[maybe_unused]] std::string_view line, const diag::logs::ParsedLine& parsed) {
    require(parsed.record.level.has_value(), "PRI always gives a level");
    require(!parsed.civil || parsed.civil->year, "an RFC 5424 stamp has a year");
    require(!parsed.civil || parsed.civil->utc_offset_seconds, "an RFC 5424 stamp has a zone");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return diag::fuzz::run_line_target(data, size, diag::logs::parse_rfc5424,
                                       diag::logs::LogFormat::rfc5424, "", check_rfc5424);
}
