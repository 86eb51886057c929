#include "diag/logs/line_parsers.hpp"
#include "text_scan.hpp"

namespace diag::logs {

using namespace detail;

std::optional<ParsedLine> parse_dmesg(std::string_view line) {
    ParsedLine parsed;
    auto& record = parsed.record;
    std::string_view rest = line;
    // `dmesg -r` keeps the raw "<6>" level prefix (util-linux dmesg(1), --raw).
    if (consume(rest, "<")) {
        const auto priority = consume_number(rest, 3);
        if (!priority || !consume(rest, ">")) {
            return std::nullopt;
        }
        record.level = level_from_severity(static_cast<unsigned>(*priority & 7U));
    }
    const std::string_view stamp_start = rest;
    record.monotonic_seconds = consume_printk_time(rest);
    if (!record.monotonic_seconds) {
        return std::nullopt;
    }
    record.stamp.assign(trim_right(stamp_start.substr(0, stamp_start.size() - rest.size())));
    record.format = LogFormat::dmesg;
    record.program = "kernel";
    record.message.assign(trim_right(rest));
    return parsed;
}

std::optional<ParsedLine> parse_kmsg(std::string_view line) {
    ParsedLine parsed;
    auto& record = parsed.record;
    std::string_view rest = line;
    const std::size_t semicolon = rest.find(';');
    if (semicolon == std::string_view::npos) {
        return std::nullopt;
    }
    std::string_view prefix = rest.substr(0, semicolon);
    const auto priority = consume_number(prefix, 4);
    if (!priority || !consume(prefix, ",")) {
        return std::nullopt;
    }
    const auto sequence = consume_number(prefix);
    if (!sequence || !consume(prefix, ",")) {
        return std::nullopt;
    }
    const std::string_view usec_text = prefix;
    const auto usec = consume_number(prefix);
    if (!usec || prefix.empty() || prefix[0] != ',') {
        return std::nullopt;
    }
    record.stamp.assign(usec_text.substr(0, usec_text.size() - prefix.size()));
    prefix.remove_prefix(1);
    record.format = LogFormat::kmsg;
    record.level = level_from_severity(static_cast<unsigned>(*priority & 7U));
    // Facility 0 is the kernel; anything else came from user space through /dev/kmsg.
    const auto facility = *priority >> 3U;
    record.program = facility == 0 ? "kernel" : "";
    record.monotonic_seconds = static_cast<double>(*usec) / 1e6;
    record.fields.push_back({"sequence", std::to_string(*sequence)});
    // After the flags, "caller=T123" names the thread or CPU that printed (kernel 5.1+).
    if (const auto caller = prefix.find("caller="); caller != std::string_view::npos) {
        std::string_view value = prefix.substr(caller + 7);
        record.fields.push_back({"caller", std::string(value.substr(0, value.find(',')))});
    }
    record.message.assign(trim_right(rest.substr(semicolon + 1)));
    return parsed;
}

}  // namespace diag::logs
