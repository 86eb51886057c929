#include "diag/net/nic_window.hpp"

#include <algorithm>
#include <functional>
#include <set>

namespace diag::net {

namespace {

// Folds a series of readings into a CounterDelta. A reading that went down is a reset (the
// counter restarted at zero), unless the counter is 32 bits wide and wrapped.
class DeltaBuilder {
public:
    explicit DeltaBuilder(bool wraps_at_32_bits = false) : wraps_(wraps_at_32_bits) {}

    void add(std::uint64_t value, double time_seconds) {
        if (count_ > 0) {
            std::uint64_t step = 0;
            if (value >= last_) {
                step = value - last_;
            } else if (wraps_) {
                step = static_cast<std::uint32_t>(value - last_);
            } else {
                step = value;
                ++delta_.resets;
            }
            delta_.delta += step;
            const double dt = time_seconds - last_time_;
            if (dt > 0) {
                delta_.peak_per_second =
                    std::max(delta_.peak_per_second, static_cast<double>(step) / dt);
            }
        } else {
            first_time_ = time_seconds;
        }
        last_ = value;
        last_time_ = time_seconds;
        ++count_;
    }
    /// The delta when at least two readings were added.
    [[nodiscard]] std::optional<CounterDelta> result() const {
        if (count_ < 2) {
            return std::nullopt;
        }
        CounterDelta out = delta_;
        const double seconds = last_time_ - first_time_;
        out.per_second = seconds > 0 ? static_cast<double>(out.delta) / seconds : 0.0;
        return out;
    }

private:
    bool wraps_ = false;
    CounterDelta delta_;
    std::uint64_t last_ = 0;
    double first_time_ = 0.0;
    double last_time_ = 0.0;
    std::size_t count_ = 0;
};

template <class Get>
std::optional<CounterDelta> series(std::span<const NicSnapshot> samples, Get get,
                                   bool wraps = false) {
    DeltaBuilder builder(wraps);
    for (const auto& sample : samples) {
        if (auto value = get(sample)) {
            builder.add(*value, sample.monotonic_seconds);
        }
    }
    return builder.result();
}

// Sum of one softnet column over CPUs, as a 32-bit-wrapping series per CPU added together.
std::optional<CounterDelta> softnet_series(std::span<const NicSnapshot> samples,
                                           std::uint32_t SoftnetCpu::*column) {
    std::set<unsigned> keys;
    for (const auto& sample : samples) {
        if (sample.softnet) {
            for (const auto& cpu : sample.softnet->cpus) {
                keys.insert(cpu.cpu.value_or(cpu.line));
            }
        }
    }
    std::optional<CounterDelta> total;
    for (unsigned key : keys) {
        auto one = series(
            samples,
            [&](const NicSnapshot& s) -> std::optional<std::uint64_t> {
                if (!s.softnet) {
                    return std::nullopt;
                }
                for (const auto& cpu : s.softnet->cpus) {
                    if (cpu.cpu.value_or(cpu.line) == key) {
                        return cpu.*column;
                    }
                }
                return std::nullopt;
            },
            true);
        if (!one) {
            continue;
        }
        if (!total) {
            total = CounterDelta{};
        }
        total->delta += one->delta;
        total->per_second += one->per_second;
        total->peak_per_second += one->peak_per_second;
    }
    return total;
}

InterfaceWindow interface_window(std::span<const NicSnapshot> samples, const std::string& name,
                                 std::vector<LinkEvent>& events, bool notified) {
    InterfaceWindow window;
    window.name = name;
    std::optional<int> index;
    for (const auto& sample : samples) {
        if (const auto* i = sample.find(name); i != nullptr && i->index) {
            window.recreated = window.recreated || (index && *index != *i->index);
            index = i->index;
        }
    }
    const bool wraps = samples.back().find(name)->counters_32bit;
    for (auto counter : all_link_counters()) {
        window.counters.at(static_cast<std::size_t>(counter)) = series(
            samples,
            [&](const NicSnapshot& s) -> std::optional<std::uint64_t> {
                const auto* i = s.find(name);
                return i != nullptr ? i->counters.get(counter) : std::nullopt;
            },
            wraps);
    }
    auto carrier_field = [&](std::optional<std::uint32_t> Interface::*field) {
        return series(samples, [&](const NicSnapshot& s) -> std::optional<std::uint64_t> {
            const auto* i = s.find(name);
            return i != nullptr ? (i->*field).transform([](auto v) { return std::uint64_t{v}; })
                                : std::nullopt;
        });
    };
    window.carrier_changes = carrier_field(&Interface::carrier_changes);
    window.carrier_down = carrier_field(&Interface::carrier_down_count);

    if (const auto* last = samples.back().find(name); last != nullptr && last->driver_stats) {
        for (const auto& stat : last->driver_stats->stats) {
            if (window.driver_stats.contains(stat.name)) {
                continue;
            }
            auto delta = series(samples, [&](const NicSnapshot& s) -> std::optional<std::uint64_t> {
                const auto* i = s.find(name);
                return i != nullptr && i->driver_stats ? i->driver_stats->find(stat.name)
                                                       : std::nullopt;
            });
            if (delta) {
                window.driver_stats.emplace(stat.name, *delta);
            }
        }
    }
    if (!notified) {
        // No notifications: one event per step of the down count, at the sample showing it.
        std::optional<std::uint32_t> previous;
        for (const auto& sample : samples) {
            const auto* i = sample.find(name);
            const auto down = i != nullptr ? i->carrier_down_count : std::nullopt;
            if (!down.has_value()) {
                continue;
            }
            if (previous.has_value() && *down > *previous) {
                for (auto n = *previous; n < *down; ++n) {
                    events.push_back({name, sample.taken, false, true});
                }
            }
            previous = down;
        }
    }
    return window;
}

}  // namespace

const InterfaceWindow* NicWindow::find(std::string_view name) const {
    const auto it = std::find_if(interfaces.begin(), interfaces.end(),
                                 [&](const InterfaceWindow& w) { return w.name == name; });
    return it == interfaces.end() ? nullptr : &*it;
}

NicWindow compute_window(std::span<const NicSnapshot> samples,
                         std::vector<LinkEvent> notifications) {
    NicWindow window;
    if (samples.size() < 2) {
        return window;
    }
    const auto& first = samples.front();
    const auto& last = samples.back();
    window.samples = samples.size();
    window.start = first.taken;
    window.end = last.taken;
    window.seconds = last.monotonic_seconds - first.monotonic_seconds;

    window.events = std::move(notifications);
    std::set<std::string, std::less<>> notified;
    for (const auto& event : window.events) {
        notified.insert(event.interface);
    }
    for (const auto& interface : last.interfaces) {
        if (first.find(interface.name) != nullptr) {
            window.interfaces.push_back(interface_window(samples, interface.name, window.events,
                                                         notified.contains(interface.name)));
        }
    }
    std::stable_sort(window.events.begin(), window.events.end(),
                     [](const LinkEvent& a, const LinkEvent& b) { return a.time < b.time; });

    window.softnet_processed = softnet_series(samples, &SoftnetCpu::processed);
    window.softnet_dropped = softnet_series(samples, &SoftnetCpu::dropped);
    window.softnet_time_squeeze = softnet_series(samples, &SoftnetCpu::time_squeeze);

    if (last.snmp) {
        for (const auto& [key, value] : *last.snmp) {
            auto delta = series(samples, [&](const NicSnapshot& s) -> std::optional<std::uint64_t> {
                if (!s.snmp) {
                    return std::nullopt;
                }
                auto v = sys::find(*s.snmp, key);
                return v && *v >= 0 ? std::optional(static_cast<std::uint64_t>(*v)) : std::nullopt;
            });
            if (delta) {
                window.snmp.emplace(key, *delta);
            }
        }
    }
    return window;
}

}  // namespace diag::net
