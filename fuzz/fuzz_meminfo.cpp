// Fuzzes parse_meminfo (/proc/meminfo). Invariants: keys are the text before the first colon of
// a line, values are never negative, a "kB" value is exactly 1024 times the number written,
// and lines are independent (the whole file decodes as its lines one by one).

#include "fuzz_check.hpp"

#include <diag/sys/key_values.hpp>
#include <diag/sys/text_fields.hpp>

namespace {

using diag::fuzz::reference_number;
using diag::fuzz::require;

void check_line(std::string_view line, const diag::sys::KeyValues& values) {
    require(values.size() <= 1, "one line gives at most one key");
    if (values.empty()) {
        return;
    }
    const auto& [key, value] = *values.begin();
    const auto colon = line.find(':');
    require(colon != std::string_view::npos && key == line.substr(0, colon),
            "the key is the text before the first colon");
    require(value >= 0, "meminfo values are never negative");

    const auto fields = diag::sys::split_fields(line.substr(colon + 1));
    require(!fields.empty(), "a value was read from an empty line");
    const auto written = reference_number<std::int64_t>(fields[0]);
    require(written.has_value(), "the value is the number written");
    if (fields.size() > 1 && fields[1] == "kB") {
        require(value % 1024 == 0 && value / 1024 == *written,
                "a kB value is 1024 times the number written, without overflow");
    } else {
        require(value == *written, "a value without unit is the number written");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto text = diag::fuzz::as_text(data, size);
    const auto values = diag::sys::parse_meminfo(text);

    diag::sys::KeyValues rebuilt;
    for (auto line : diag::sys::split_lines(text)) {
        const auto one = diag::sys::parse_meminfo(diag::fuzz::as_one_line_file(line));
        check_line(line, one);
        for (const auto& [key, value] : one) {
            rebuilt[key] = value;
        }
    }
    require(values == rebuilt, "the file decodes as its lines decode one by one");
    for (const auto& [key, value] : values) {
        require(!key.empty() && key.find_first_of(":\n") == std::string::npos,
                "keys are not empty and hold no colon or newline");
        require(diag::sys::find(values, key) == value, "find returns the stored value");
    }
    return 0;
}
