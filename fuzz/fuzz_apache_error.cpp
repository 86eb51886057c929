// Fuzzes parse_apache_error: Apache httpd error_log lines, 2.2 and 2.4.
// Invariants: those of log_line_check.hpp (every piece of the record is a piece of the line,
// stamps in range, deterministic, trailing spaces and CR ignored), plus the format's own below.

#include "log_line_check.hpp"

namespace {

using diag::fuzz::require;

void check_apache_error([[maybe_unused]] std::string_view line,
                        const diag::logs::ParsedLine& parsed) {
    require(parsed.civil.has_value() && parsed.civil->year && parsed.record.level,
            "an Apache line has a dated stamp and a level");
    const auto code = parsed.record.field("code");
    require(code.empty() || (code.size() == 7 && code.starts_with("AH")),
            "an AH code is AH and five digits");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return diag::fuzz::run_line_target(data, size, diag::logs::parse_apache_error,
                                       diag::logs::LogFormat::apache_error, "", check_apache_error);
}
