// Fuzzes parse_dmesg: dmesg's text ("[   12.345678] msg", optionally "<6>" first).
// Invariants: those of log_line_check.hpp (every piece of the record is a piece of the line,
// stamps in range, deterministic, trailing spaces and CR ignored), plus the format's own below.

#include "log_line_check.hpp"

namespace {

using diag::fuzz::require;

void check_dmesg([[maybe_unused]] std::string_view line, const diag::logs::ParsedLine& parsed) {
    require(parsed.record.monotonic_seconds.has_value() && !parsed.civil,
            "a dmesg line has seconds since boot and no wall time");
    require(parsed.record.program == "kernel", "dmesg lines are the kernel's");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return diag::fuzz::run_line_target(data, size, diag::logs::parse_dmesg,
                                       diag::logs::LogFormat::dmesg, "kernel", check_dmesg);
}
