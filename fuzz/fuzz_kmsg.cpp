// Fuzzes parse_kmsg: /dev/kmsg records ("6,1234,12345678,-;msg").
// Invariants: those of log_line_check.hpp (every piece of the record is a piece of the line,
// stamps in range, deterministic, trailing spaces and CR ignored), plus the format's own below.

#include "log_line_check.hpp"

namespace {

using diag::fuzz::found_in;
using diag::fuzz::require;

void check_kmsg([[maybe_unused]] std::string_view line, const diag::logs::ParsedLine& parsed) {
    require(parsed.record.monotonic_seconds.has_value() && parsed.record.level.has_value(),
            "a kmsg record has seconds since boot and a level");
    require(!parsed.record.field("sequence").empty(), "a kmsg record has a sequence number");
    require(found_in(line, parsed.record.field("sequence")),
            "the sequence number is the one written");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return diag::fuzz::run_line_target(data, size, diag::logs::parse_kmsg,
                                       diag::logs::LogFormat::kmsg, "kernel", check_kmsg);
}
