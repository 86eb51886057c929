// Fuzzes parse_pressure (/proc/pressure/{cpu,memory,io}, Documentation/accounting/psi.rst).
// Invariants: averages are percentages (finite, 0 to 100), each value is the one written after
// its key, and the last "some" and "full" lines decide what the file holds.

#include "fuzz_check.hpp"

#include <diag/sys/pressure.hpp>
#include <diag/sys/text_fields.hpp>

#include <cmath>

namespace {

using diag::fuzz::reference_number;
using diag::fuzz::require;
using diag::sys::PressureLine;

// The text after "key=" in the line's fields; the last one wins, as in the decoder.
std::optional<std::string_view> written_value(std::string_view line, std::string_view key) {
    std::optional<std::string_view> found;
    for (auto field : diag::sys::split_fields(line)) {
        if (field.starts_with(key) && field.size() > key.size() && field[key.size()] == '=') {
            found = field.substr(key.size() + 1);
        }
    }
    return found;
}

void check_percentage(std::string_view line, std::string_view key, double value) {
    require(std::isfinite(value) && value >= 0.0 && value <= 100.0,
            "a stall average is a percentage from 0 to 100");
    const auto text = written_value(line, key);
    require(text && reference_number<double>(*text) == value, "an average is the number written");
}

void check_line(std::string_view line, const std::optional<PressureLine>& decoded) {
    if (!decoded) {
        return;
    }
    check_percentage(line, "avg10", decoded->avg10_pct);
    check_percentage(line, "avg60", decoded->avg60_pct);
    check_percentage(line, "avg300", decoded->avg300_pct);
    const auto total = written_value(line, "total");
    require(total && reference_number<std::uint64_t>(*total) == decoded->total_us,
            "total is the number of microseconds written");
}

bool same(const std::optional<PressureLine>& a, const std::optional<PressureLine>& b) {
    if (!a || !b) {
        return a.has_value() == b.has_value();
    }
    return a->avg10_pct == b->avg10_pct && a->avg60_pct == b->avg60_pct &&
           a->avg300_pct == b->avg300_pct && a->total_us == b->total_us;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto text = diag::fuzz::as_text(data, size);
    const auto pressure = diag::sys::parse_pressure(text);

    std::optional<PressureLine> last_some;
    std::optional<PressureLine> last_full;
    for (auto line : diag::sys::split_lines(text)) {
        const auto fields = diag::sys::split_fields(line);
        if (fields.empty()) {
            continue;
        }
        const auto alone = diag::sys::parse_pressure(diag::fuzz::as_one_line_file(line));
        if (fields[0] == "some") {
            require(!alone.full, "a some line gives no full values");
            check_line(line, alone.some);
            last_some = alone.some;
        } else if (fields[0] == "full") {
            require(!alone.some, "a full line gives no some values");
            check_line(line, alone.full);
            last_full = alone.full;
        } else {
            require(!alone.some && !alone.full, "only some and full lines give values");
        }
    }
    require(same(pressure.some, last_some), "the last some line decides");
    require(same(pressure.full, last_full), "the last full line decides");
    return 0;
}
