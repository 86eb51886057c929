// Fuzzes parse_apache_error: Apache httpd error_log lines, 2.2 and 2.4.
// Invariants: those of log_line_check.hpp (every piece of the record is a piece of the line,
// stamps in range, deterministic, trailing spaces and CR ignored), plus the format's own below.

#include "log_line_check.hpp"

namespace {

using diag::fuzz::found_in;
using diag::fuzz::require;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto text = diag::fuzz::as_text(data, size);
    diag::fuzz::check_line_parser(text, diag::logs::parse_apache_error,
                                  diag::logs::LogFormat::apache_error);
    const auto line = text.substr(0, text.find('\n'));
    const auto parsed = diag::logs::parse_apache_error(line);
    if (!parsed) {
        return 0;
    }
    require(parsed->civil.has_value() && parsed->civil->year && parsed->record.level,
            "an Apache line has a dated stamp and a level");
    const auto code = parsed->record.field("code");
    require(code.empty() || (code.size() == 7 && code.starts_with("AH")),
            "an AH code is AH and five digits");
    return 0;
}
