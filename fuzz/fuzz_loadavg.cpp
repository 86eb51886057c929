// Fuzzes parse_loadavg (/proc/loadavg) and parse_uptime_seconds (/proc/uptime), proc(5).
// Invariants: averages and uptime are finite, not negative and the numbers written; the
// runnable/total task counts are the ones written, or both 0 when they cannot be held.

#include "fuzz_check.hpp"

#include <diag/sys/loadavg.hpp>
#include <diag/sys/text_fields.hpp>

#include <array>
#include <cmath>
#include <limits>

namespace {

using diag::fuzz::reference_number;
using diag::fuzz::require;

std::vector<std::string_view> first_line_fields(std::string_view text) {
    const auto lines = diag::sys::split_lines(text);
    return lines.empty() ? std::vector<std::string_view>{} : diag::sys::split_fields(lines[0]);
}

void check_count(std::string_view text, unsigned decoded, bool readable) {
    if (!readable) {
        require(decoded == 0, "task counts are 0 when they are not both readable");
        return;
    }
    require(reference_number<std::uint64_t>(text) == decoded, "a task count is the number written");
}

void check_load(std::string_view text) {
    const auto load = diag::sys::parse_loadavg(text);
    if (!load) {
        return;
    }
    const auto fields = first_line_fields(text);
    require(fields.size() >= 3, "the three averages are on the first line");
    const std::array<double, 3> averages{load->load1, load->load5, load->load15};
    for (std::size_t i = 0; i < averages.size(); ++i) {
        require(std::isfinite(averages.at(i)) && averages.at(i) >= 0.0,
                "a load average is finite and not negative");
        require(reference_number<double>(fields[i]) == averages.at(i),
                "a load average is the number written");
    }

    std::string_view runnable_text;
    std::string_view tasks_text;
    if (fields.size() >= 4 && fields[3].find('/') != std::string_view::npos) {
        runnable_text = fields[3].substr(0, fields[3].find('/'));
        tasks_text = fields[3].substr(fields[3].find('/') + 1);
    }
    constexpr auto kMax = std::numeric_limits<unsigned>::max();
    const auto runnable = reference_number<std::uint64_t>(runnable_text);
    const auto tasks = reference_number<std::uint64_t>(tasks_text);
    const bool readable = runnable && tasks && *runnable <= kMax && *tasks <= kMax;
    check_count(runnable_text, load->runnable, readable);
    check_count(tasks_text, load->tasks, readable);
}

void check_uptime(std::string_view text) {
    const auto uptime = diag::sys::parse_uptime_seconds(text);
    if (!uptime) {
        return;
    }
    const auto fields = first_line_fields(text);
    require(!fields.empty(), "uptime is on the first line");
    require(std::isfinite(*uptime) && *uptime >= 0.0, "uptime is finite and not negative");
    require(reference_number<double>(fields[0]) == *uptime, "uptime is the number written");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto text = diag::fuzz::as_text(data, size);
    check_load(text);
    check_uptime(text);
    return 0;
}
