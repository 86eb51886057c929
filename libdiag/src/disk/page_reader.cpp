#include "disk/page_reader.hpp"

#include <algorithm>

namespace diag::disk::detail {

namespace {

// Control characters and bytes above 0x7e are shown as '?': a drive's strings are ASCII, and
// a broken one must not put terminal escapes into diag's output.
char printable(std::uint8_t byte) {
    return byte >= 0x20 && byte < 0x7f ? static_cast<char>(byte) : '?';
}

}  // namespace

std::string trim_field(std::string text) {
    auto blank = [](char c) { return c == ' '; };
    while (!text.empty() && blank(text.back())) {
        text.pop_back();
    }
    const auto first = std::find_if_not(text.begin(), text.end(), blank);
    text.erase(text.begin(), first);
    return text;
}

std::string ata_string(PageBytes page, std::size_t first_word, std::size_t words) {
    std::string text;
    for (std::size_t word = first_word; word < first_word + words; ++word) {
        const std::size_t at = word * 2;
        if (at + 1 >= page.size()) {
            break;
        }
        for (const std::uint8_t byte : {page[at + 1], page[at]}) {
            text += byte == 0 ? ' ' : printable(byte);
        }
    }
    return trim_field(std::move(text));
}

std::string ascii_field(PageBytes page, std::size_t offset, std::size_t length) {
    std::string text;
    for (std::size_t at = offset; at < offset + length && at < page.size(); ++at) {
        text += page[at] == 0 ? ' ' : printable(page[at]);
    }
    return trim_field(std::move(text));
}

}  // namespace diag::disk::detail
