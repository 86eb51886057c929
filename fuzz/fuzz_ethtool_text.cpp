// Fuzzes the readers of saved ethtool text: `ethtool -S` (parse_ethtool_stats_text),
// `ethtool -i` (parse_ethtool_driver_text) and `ethtool` (parse_ethtool_settings_text), with
// the driver-statistic classifier and the common-speed helper on what they return.
// Invariants: a failed listing has no statistics; a repeated name occurs at least twice; find
// returns the first entry of a name; names hold no line break; a common speed is one of ours.

#include "fuzz_check.hpp"

#include <diag/net/driver_info.hpp>
#include <diag/net/driver_stats.hpp>
#include <diag/net/link_settings.hpp>
#include <diag/sys/text_fields.hpp>

#include <algorithm>

using diag::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto text = diag::fuzz::as_text(data, size);
    const auto stats = diag::net::parse_ethtool_stats_text(text);
    const auto lines = diag::sys::split_lines(text).size();

    require(!stats.error || stats.stats.empty(), "a failed listing has no statistics");
    require(stats.stats.size() + stats.skipped_lines <= lines, "a line gives one entry at most");
    for (const auto& stat : stats.stats) {
        require(stat.name.find('\n') == std::string::npos, "a name holds no line break");
        const auto first = std::find_if(stats.stats.begin(), stats.stats.end(),
                                        [&](const auto& s) { return s.name == stat.name; });
        require(stats.find(stat.name) == first->value, "find returns the first entry");
        static_cast<void>(diag::net::classify_driver_stat(stat.name));
    }
    for (const auto& name : stats.repeated_names) {
        const auto count = std::count_if(stats.stats.begin(), stats.stats.end(),
                                         [&](const auto& s) { return s.name == name; });
        require(count >= 2, "a repeated name occurs at least twice");
    }

    if (const auto driver = diag::net::parse_ethtool_driver_text(text)) {
        require(driver->driver.find('\n') == std::string::npos, "a driver name is one line");
    }

    const auto settings = diag::net::parse_ethtool_settings_text(text);
    if (const auto best =
            diag::net::best_common_speed_mbps(settings.supported, settings.partner_advertised)) {
        require(*best > 0, "a common speed is a speed");
    }
    return 0;
}
