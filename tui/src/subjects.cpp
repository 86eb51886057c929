#include "diag/tui/subjects.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace diag::tui {

namespace {

std::optional<double> metric_value(const Report& report, const std::string& name,
                                   const std::string& device) {
    for (const auto& metric : report.metrics) {
        if (metric.name != name) {
            continue;
        }
        for (const auto& label : metric.labels) {
            if (label.name == "device" && label.value == device) {
                return metric.value;
            }
        }
    }
    return std::nullopt;
}

// The sum of the counters that are there; absent when none is.
std::optional<double> sum_of(const Report& report, const std::vector<std::string>& names,
                             const std::string& device) {
    std::optional<double> total;
    for (const auto& name : names) {
        if (const auto value = metric_value(report, name, device)) {
            total = total.value_or(0) + *value;
        }
    }
    return total;
}

}  // namespace

std::vector<SubjectRow> subjects_of(const Report& report) {
    std::vector<SubjectRow> rows;
    for (const auto index : ranked_order(report.findings)) {
        const auto& finding = report.findings[index];
        auto it = std::find_if(rows.begin(), rows.end(), [&](const SubjectRow& row) {
            return row.subject == finding.subject;
        });
        if (it == rows.end()) {
            // Ranked order: the first finding of a subject is its worst.
            rows.push_back({finding.subject, finding.severity, 0, finding.summary});
            it = rows.end() - 1;
        }
        ++it->finding_count;
    }
    std::stable_sort(rows.begin(), rows.end(),
                     [](const SubjectRow& a, const SubjectRow& b) { return a.worst > b.worst; });
    return rows;
}

std::vector<const Metric*> metrics_about(const Report& report, const std::string& subject) {
    std::vector<const Metric*> found;
    for (const auto& metric : report.metrics) {
        const bool about = std::any_of(metric.labels.begin(), metric.labels.end(),
                                       [&](const Label& label) { return label.value == subject; });
        if (about) {
            found.push_back(&metric);
        }
    }
    return found;
}

void add_net_sample(NetHistory& history, const Report& report, double at_seconds) {
    std::vector<std::string> devices;
    for (const auto& metric : report.metrics) {
        if (!metric.name.starts_with("diag_nic_")) {
            continue;
        }
        for (const auto& label : metric.labels) {
            if (label.name == "device" &&
                std::find(devices.begin(), devices.end(), label.value) == devices.end()) {
                devices.push_back(label.value);
            }
        }
    }
    for (const auto& device : devices) {
        InterfaceSample sample;
        sample.at_seconds = at_seconds;
        sample.rx_bytes = metric_value(report, "diag_nic_rx_bytes_total", device);
        sample.tx_bytes = metric_value(report, "diag_nic_tx_bytes_total", device);
        sample.errors = sum_of(report,
                               {"diag_nic_rx_errors_total", "diag_nic_tx_errors_total",
                                "diag_nic_rx_dropped_total", "diag_nic_tx_dropped_total"},
                               device);
        sample.carrier_changes = metric_value(report, "diag_nic_carrier_changes_total", device);
        sample.carrier = metric_value(report, "diag_nic_carrier", device);
        auto& samples = history[device];
        samples.push_back(sample);
        if (samples.size() > kNetHistoryLength) {
            samples.erase(samples.begin());
        }
    }
}

std::optional<double> last_rate(const std::vector<InterfaceSample>& samples,
                                std::optional<double> InterfaceSample::*counter) {
    if (samples.size() < 2) {
        return std::nullopt;
    }
    const auto& before = samples[samples.size() - 2];
    const auto& after = samples.back();
    const double seconds = after.at_seconds - before.at_seconds;
    const std::optional<double> from = before.*counter;
    const std::optional<double> to = after.*counter;
    if (!from.has_value() || !to.has_value() || seconds <= 0 || *to < *from) {
        return std::nullopt;
    }
    return (*to - *from) / seconds;
}

std::vector<std::optional<double>> increases(const std::vector<InterfaceSample>& samples,
                                             std::optional<double> InterfaceSample::*counter) {
    std::vector<std::optional<double>> values;
    for (std::size_t i = 1; i < samples.size(); ++i) {
        const auto& before = samples[i - 1].*counter;
        const auto& after = samples[i].*counter;
        if (before && after && *after >= *before) {
            values.emplace_back(*after - *before);
        } else {
            values.emplace_back(std::nullopt);
        }
    }
    return values;
}

std::string sparkline(const std::vector<std::optional<double>>& values, const Glyphs& glyphs) {
    static constexpr std::string_view kBlocks[] = {"\u2581", "\u2582", "\u2583", "\u2584",
                                                   "\u2585", "\u2586", "\u2587", "\u2588"};
    static constexpr std::string_view kAscii = "_.:-=+*#";
    double highest = 0;
    for (const auto& value : values) {
        highest = std::max(highest, value.value_or(0));
    }
    std::string line;
    for (const auto& value : values) {
        if (!value) {
            line += ' ';
            continue;
        }
        std::size_t level = 0;
        if (highest > 0 && *value > 0) {
            // 1..7: any increase shows above the zero mark.
            level = 1 + static_cast<std::size_t>(std::lround(*value / highest * 6.0));
        }
        if (glyphs.utf8) {
            line += kBlocks[level];
        } else {
            line += kAscii[level];
        }
    }
    return line;
}

std::string format_rate(double bytes_per_second) {
    static constexpr const char* kUnits[] = {"B/s", "kB/s", "MB/s", "GB/s"};
    std::size_t unit = 0;
    double value = bytes_per_second;
    while (value >= 1000 && unit + 1 < std::size(kUnits)) {
        value /= 1000;
        ++unit;
    }
    return unit == 0 ? fmt::format("{:.0f} {}", value, kUnits[unit])
                     : fmt::format("{:.1f} {}", value, kUnits[unit]);
}

}  // namespace diag::tui
