// Fuzzes parse_rfc3164: RFC 3164 syslog lines ("Jun 14 15:16:01 host tag[pid]: msg").
// Invariants: those of log_line_check.hpp (every piece of the record is a piece of the line,
// stamps in range, deterministic, trailing spaces and CR ignored), plus the format's own below.

#include "log_line_check.hpp"

namespace {

using diag::fuzz::found_in;
using diag::fuzz::require;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto text = diag::fuzz::as_text(data, size);
    diag::fuzz::check_line_parser(text, diag::logs::parse_rfc3164, diag::logs::LogFormat::rfc3164);
    const auto line = text.substr(0, text.find('\n'));
    const auto parsed = diag::logs::parse_rfc3164(line);
    if (!parsed) {
        return 0;
    }
    require(parsed->civil.has_value() && !parsed->civil->year, "an RFC 3164 stamp has no year");
    require(!parsed->record.stamp.empty(), "the stamp is kept as written");
    return 0;
}
