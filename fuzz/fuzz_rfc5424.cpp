// Fuzzes parse_rfc5424: RFC 5424 syslog lines ("<34>1 2003-10-11T22:14:15.003Z host app procid
// msgid [sd] msg"). Invariants: those of log_line_check.hpp (every piece of the record is a piece
// of the line, stamps in range, deterministic, trailing spaces and CR ignored), plus the format's
// own below.

#include "log_line_check.hpp"

namespace {

using diag::fuzz::found_in;
using diag::fuzz::require;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto text = diag::fuzz::as_text(data, size);
    diag::fuzz::check_line_parser(text, diag::logs::parse_rfc5424, diag::logs::LogFormat::rfc5424);
    const auto line = text.substr(0, text.find('\n'));
    const auto parsed = diag::logs::parse_rfc5424(line);
    if (!parsed) {
        return 0;
    }
    require(parsed->record.level.has_value(), "PRI always gives a level");
    require(!parsed->civil || parsed->civil->year, "an RFC 5424 stamp has a year");
    require(!parsed->civil || parsed->civil->utc_offset_seconds, "an RFC 5424 stamp has a zone");
    return 0;
}
