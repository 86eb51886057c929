// Fuzzes parse_nginx_error: nginx error.log lines.
// Invariants: those of log_line_check.hpp (every piece of the record is a piece of the line,
// stamps in range, deterministic, trailing spaces and CR ignored), plus the format's own below.

#include "log_line_check.hpp"

namespace {

using diag::fuzz::require;

void check_nginx_error([[maybe_unused]] std::string_view line,
                       const diag::logs::ParsedLine& parsed) {
    require(parsed.civil.has_value() && parsed.civil->year && parsed.record.level,
            "an nginx line has a dated stamp and a level");
    require(parsed.record.pid.has_value() == parsed.record.tid.has_value(),
            "nginx gives pid and tid together");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return diag::fuzz::run_line_target(data, size, diag::logs::parse_nginx_error,
                                       diag::logs::LogFormat::nginx_error, "nginx",
                                       check_nginx_error);
}
