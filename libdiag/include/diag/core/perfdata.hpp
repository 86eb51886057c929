#pragma once

#include <diag/core/threshold_range.hpp>

#include <optional>
#include <string>

namespace diag {

/// One Nagios performance data item: 'label'=value[UOM];warn;crit;min;max.
struct Perfdata {
    std::string label;
    double value = 0.0;
    /// One of "", "s", "ms", "us", "%", "B", "KB", "MB", "GB", "TB", "c".
    std::string uom;
    std::optional<ThresholdRange> warn;
    std::optional<ThresholdRange> crit;
    std::optional<double> min;
    std::optional<double> max;
};

}  // namespace diag
