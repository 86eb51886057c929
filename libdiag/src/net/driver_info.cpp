#include "diag/net/driver_info.hpp"

#include "diag/sys/text_fields.hpp"

namespace diag::net {

std::optional<DriverInfo> parse_ethtool_driver_text(std::string_view text) {
    DriverInfo info;
    bool have_driver = false;
    for (auto line : sys::split_lines(text)) {
        const auto colon = line.find(':');
        if (colon == std::string_view::npos || line.starts_with('#')) {
            continue;
        }
        const auto key = line.substr(0, colon);
        auto value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') {
            value.remove_prefix(1);
        }
        while (!value.empty() && value.back() == ' ') {
            value.remove_suffix(1);
        }
        if (key == "driver") {
            info.driver = std::string(value);
            have_driver = !value.empty();
        } else if (key == "version") {
            info.version = std::string(value);
        } else if (key == "firmware-version") {
            info.firmware_version = std::string(value);
        } else if (key == "bus-info") {
            info.bus_info = std::string(value);
        }
    }
    return have_driver ? std::optional(info) : std::nullopt;
}

}  // namespace diag::net
