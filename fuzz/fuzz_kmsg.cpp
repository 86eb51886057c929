// Fuzzes parse_kmsg: /dev/kmsg records ("6,1234,12345678,-;msg").
// Invariants: those of log_line_check.hpp (every piece of the record is a piece of the line,
// stamps in range, deterministic, trailing spaces and CR ignored), plus the format's own below.

#include "log_line_check.hpp"

namespace {

using diag::fuzz::found_in;
using diag::fuzz::require;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto text = diag::fuzz::as_text(data, size);
    diag::fuzz::check_line_parser(text, diag::logs::parse_kmsg, diag::logs::LogFormat::kmsg,
                                  "kernel");
    const auto line = text.substr(0, text.find('\n'));
    const auto parsed = diag::logs::parse_kmsg(line);
    if (!parsed) {
        return 0;
    }
    require(parsed->record.monotonic_seconds.has_value() && parsed->record.level.has_value(),
            "a kmsg record has seconds since boot and a level");
    require(!parsed->record.field("sequence").empty(), "a kmsg record has a sequence number");
    require(found_in(line, parsed->record.field("sequence")),
            "the sequence number is the one written");
    return 0;
}
