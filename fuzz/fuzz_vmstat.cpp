// Fuzzes parse_vmstat (/proc/vmstat) and the line and field splitters every decoder uses.
// Invariants: a key is one field, its value the number written after it; split_lines and
// split_fields return pieces of their input, in order, with no separator inside.

#include "fuzz_check.hpp"

#include <diag/sys/key_values.hpp>
#include <diag/sys/text_fields.hpp>

#include <algorithm>

namespace {

using diag::fuzz::is_one_field;
using diag::fuzz::reference_number;
using diag::fuzz::require;

// Each piece must be a view into `whole`, after the previous one.
template <class Pieces>
void check_pieces_in_order(std::string_view whole, const Pieces& pieces) {
    const char* cursor = whole.data();
    for (auto piece : pieces) {
        require(
            piece.data() >= cursor && piece.data() + piece.size() <= whole.data() + whole.size(),
            "a piece lies inside its input, after the previous piece");
        cursor = piece.data() + piece.size();
    }
}

void check_splitters(std::string_view text) {
    const auto lines = diag::sys::split_lines(text);
    check_pieces_in_order(text, lines);
    std::size_t newlines = 0;
    for (char c : text) {
        newlines += c == '\n' ? 1 : 0;
    }
    const bool open_last_line = !text.empty() && text.back() != '\n';
    require(lines.size() == newlines + (open_last_line ? 1 : 0),
            "one line per newline, plus an unterminated last line");
    std::string_view rest = text;
    for (auto line : lines) {
        require(line.find('\n') == std::string_view::npos, "a line holds no newline");
        // The line is the text up to its newline, less one carriage return before it.
        const auto raw = rest.substr(0, rest.find('\n'));
        require(line == raw ||
                    (raw.ends_with('\r') && line.size() + 1 == raw.size() && raw.starts_with(line)),
                "a line is its text up to the newline, without a final carriage return");
        rest.remove_prefix(std::min(rest.size(), raw.size() + 1));
        const auto fields = diag::sys::split_fields(line);
        check_pieces_in_order(line, fields);
        for (auto field : fields) {
            require(is_one_field(field), "a field is not empty and holds no space or tab");
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto text = diag::fuzz::as_text(data, size);
    check_splitters(text);

    const auto values = diag::sys::parse_vmstat(text);
    diag::sys::KeyValues rebuilt;
    for (auto line : diag::sys::split_lines(text)) {
        const auto one = diag::sys::parse_vmstat(diag::fuzz::as_one_line_file(line));
        require(one.size() <= 1, "one line gives at most one counter");
        for (const auto& [key, value] : one) {
            const auto fields = diag::sys::split_fields(line);
            require(fields.size() == 2 && fields[0] == key, "the key is the first of two fields");
            require(reference_number<std::int64_t>(fields[1]) == value,
                    "the value is the number written");
            rebuilt[key] = value;
        }
    }
    require(values == rebuilt, "the file decodes as its lines decode one by one");
    for (const auto& [key, value] : values) {
        require(is_one_field(key), "a key is one field");
    }
    return 0;
}
