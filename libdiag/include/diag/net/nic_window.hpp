#pragma once

#include <diag/net/link_counters.hpp>
#include <diag/net/nic_snapshot.hpp>
#include <diag/net/oper_state.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace diag::net {

/// How one counter moved over a window of samples.
struct CounterDelta {
    /// Increase over the window; after a reset the counter is taken to have restarted at 0.
    std::uint64_t delta = 0;
    /// delta divided by the window's seconds.
    double per_second = 0.0;
    /// The highest rate between two consecutive samples.
    double peak_per_second = 0.0;
    /// Times the counter went down between two samples (a driver reload, a device re-created).
    unsigned resets = 0;
};

/// A change of carrier seen while sampling, from an RTM_NEWLINK notification or from the
/// carrier counters between two samples.
struct LinkEvent {
    std::string interface;
    /// When it was seen: exact for notifications, the later sample's time otherwise.
    std::chrono::system_clock::time_point time;
    /// The carrier after the change.
    bool carrier_up = false;
    /// True when the time is only known to lie between two samples.
    bool between_samples = false;
};

/// One interface over the window.
struct InterfaceWindow {
    std::string name;
    std::array<std::optional<CounterDelta>, kLinkCounterCount> counters{};
    std::optional<CounterDelta> carrier_changes;
    std::optional<CounterDelta> carrier_down;
    /// Driver statistics by name (the first of a repeated name), where both ends had them.
    std::map<std::string, CounterDelta, std::less<>> driver_stats;
    /// The interface was re-created (its index changed) during the window.
    bool recreated = false;

    [[nodiscard]] const std::optional<CounterDelta>& get(LinkCounter counter) const {
        return counters.at(static_cast<std::size_t>(counter));
    }
};

/// Everything that moved between the first and the last of a series of snapshots.
struct NicWindow {
    double seconds = 0.0;
    std::chrono::system_clock::time_point start;
    std::chrono::system_clock::time_point end;
    std::size_t samples = 0;
    /// Interfaces present in the first and the last sample.
    std::vector<InterfaceWindow> interfaces;
    /// Sums over the CPUs of /proc/net/softnet_stat (32-bit columns, wraps allowed).
    std::optional<CounterDelta> softnet_processed;
    std::optional<CounterDelta> softnet_dropped;
    std::optional<CounterDelta> softnet_time_squeeze;
    /// /proc/net/snmp and netstat counters ("Tcp:RetransSegs") present in every sample.
    std::map<std::string, CounterDelta, std::less<>> snmp;
    /// Carrier changes, in time order.
    std::vector<LinkEvent> events;

    [[nodiscard]] const InterfaceWindow* find(std::string_view name) const;
};

/// Computes the window from snapshots in time order (at least two). Rates use the snapshots'
/// monotonic times. Interfaces are matched by name; one missing from a middle sample is
/// skipped there. `notifications` are carrier changes seen between samples; when an interface
/// has none, one event per carrier_down_count step is made at the sample that showed it.
NicWindow compute_window(std::span<const NicSnapshot> samples,
                         std::vector<LinkEvent> notifications = {});

}  // namespace diag::net
