#pragma once

#include <string>
#include <vector>

namespace diag {

/// Prometheus metric kinds that diag emits.
enum class MetricType { gauge, counter };

/// One label pair of a metric sample.
struct Label {
    std::string name;
    std::string value;
};

/// One sample for the Prometheus output. Names start with "diag_", are in base units
/// (bytes, seconds, ratios) and counters end in "_total".
struct Metric {
    std::string name;
    std::string help;
    MetricType type = MetricType::gauge;
    std::vector<Label> labels;
    double value = 0.0;
};

}  // namespace diag
