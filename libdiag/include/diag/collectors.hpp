#pragma once

#include <diag/core/report.hpp>
#include <diag/core/root.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace diag {

/// One domain collector as diag-report runs it: probe, decode and assess, returning a Report.
struct CollectorSpec {
    /// Short domain name: "sys", "disk", "net".
    std::string name;
    /// What the collector covers, for diag-report --list.
    std::string description;
    /// Longest the collector may take beyond the per-probe deadline (a sampling interval).
    std::chrono::milliseconds extra_time{0};
    std::function<Report(const Root&)> run;
};

/// Every collector the toolkit has, in a fixed order. Each domain tool adds itself here.
std::vector<CollectorSpec> registered_collectors();

}  // namespace diag
