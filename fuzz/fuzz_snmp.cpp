// Fuzzes parse_snmp (/proc/net/snmp and /proc/net/netstat, header and value line pairs).
// Invariants: every key is "Prefix:Name" made of one field of a header line and one of the
// line before it, and its value is a number written on the value line of that pair.

#include "fuzz_check.hpp"

#include <diag/sys/key_values.hpp>
#include <diag/sys/text_fields.hpp>

#include <set>
#include <string>

namespace {

using diag::fuzz::is_one_field;
using diag::fuzz::reference_number;
using diag::fuzz::require;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto text = diag::fuzz::as_text(data, size);
    const auto values = diag::sys::parse_snmp(text);
    const auto lines = diag::sys::split_lines(text);

    // Every number written anywhere in the text; a value must be one of them.
    std::set<std::int64_t> written;
    std::set<std::string, std::less<>> prefixes;
    for (auto line : lines) {
        const auto fields = diag::sys::split_fields(line);
        for (auto field : fields) {
            if (auto number = reference_number<std::int64_t>(field)) {
                written.insert(*number);
            }
        }
        if (!fields.empty() && fields[0].ends_with(':')) {
            prefixes.emplace(fields[0]);
        }
    }
    require(values.size() <= text.size() / 2, "a key and its value take at least two bytes");
    for (const auto& [key, value] : values) {
        require(is_one_field(key), "a key holds no whitespace");
        require(written.contains(value), "a value is a number written in the text");
        bool from_a_prefix = false;
        for (const auto& prefix : prefixes) {
            from_a_prefix =
                from_a_prefix || (key.starts_with(prefix) && key.size() > prefix.size());
        }
        require(from_a_prefix, "a key is a line prefix followed by a name");
        require(diag::sys::find(values, key) == value, "find returns the stored value");
    }
    return 0;
}
