// Fuzzes parse_nginx_error: nginx error.log lines.
// Invariants: those of log_line_check.hpp (every piece of the record is a piece of the line,
// stamps in range, deterministic, trailing spaces and CR ignored), plus the format's own below.

#include "log_line_check.hpp"

namespace {

using diag::fuzz::found_in;
using diag::fuzz::require;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto text = diag::fuzz::as_text(data, size);
    diag::fuzz::check_line_parser(text, diag::logs::parse_nginx_error,
                                  diag::logs::LogFormat::nginx_error, "nginx");
    const auto line = text.substr(0, text.find('\n'));
    const auto parsed = diag::logs::parse_nginx_error(line);
    if (!parsed) {
        return 0;
    }
    require(parsed->civil.has_value() && parsed->civil->year && parsed->record.level,
            "an nginx line has a dated stamp and a level");
    require(parsed->record.pid.has_value() == parsed->record.tid.has_value(),
            "nginx gives pid and tid together");
    return 0;
}
