// Fuzzes parse_dmesg: dmesg's text ("[   12.345678] msg", optionally "<6>" first).
// Invariants: those of log_line_check.hpp (every piece of the record is a piece of the line,
// stamps in range, deterministic, trailing spaces and CR ignored), plus the format's own below.

#include "log_line_check.hpp"

namespace {

using diag::fuzz::found_in;
using diag::fuzz::require;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto text = diag::fuzz::as_text(data, size);
    diag::fuzz::check_line_parser(text, diag::logs::parse_dmesg, diag::logs::LogFormat::dmesg,
                                  "kernel");
    const auto line = text.substr(0, text.find('\n'));
    const auto parsed = diag::logs::parse_dmesg(line);
    if (!parsed) {
        return 0;
    }
    require(parsed->record.monotonic_seconds.has_value() && !parsed->civil,
            "a dmesg line has seconds since boot and no wall time");
    require(parsed->record.program == "kernel", "dmesg lines are the kernel's");
    return 0;
}
