#include "diag/disk/udev_properties.hpp"

#include "diag/sys/text_fields.hpp"

#include <charconv>

namespace diag::disk {

std::map<std::string, std::string> parse_udev_data(std::string_view text) {
    std::map<std::string, std::string> properties;
    for (const auto line : sys::split_lines(text)) {
        if (!line.starts_with("E:")) {
            continue;
        }
        const auto body = line.substr(2);
        const auto equals = body.find('=');
        if (equals == std::string_view::npos || equals == 0) {
            continue;
        }
        properties[std::string(body.substr(0, equals))] = std::string(body.substr(equals + 1));
    }
    return properties;
}

std::string udev_unescape(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\' && i + 3 < text.size() && text[i + 1] == 'x') {
            unsigned value = 0;
            const char* first = text.data() + i + 2;
            const auto [end, error] = std::from_chars(first, first + 2, value, 16);
            if (error == std::errc{} && end == first + 2) {
                out.push_back(static_cast<char>(value));
                i += 3;
                continue;
            }
        }
        out.push_back(text[i]);
    }
    const auto first = out.find_first_not_of(' ');
    if (first == std::string::npos) {
        return {};
    }
    return out.substr(first, out.find_last_not_of(' ') - first + 1);
}

}  // namespace diag::disk
