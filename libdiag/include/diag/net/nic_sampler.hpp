#pragma once

#include <diag/core/collected.hpp>
#include <diag/core/root.hpp>
#include <diag/net/nic_snapshot.hpp>
#include <diag/net/nic_window.hpp>

#include <functional>
#include <vector>

namespace diag::net {

/// Snapshots taken `interval_seconds` apart, and the carrier changes seen between them.
struct NicSamples {
    std::vector<NicSnapshot> snapshots;
    std::vector<LinkEvent> events;
    /// True when link notifications were watched, so `events` are exact in time.
    bool watched = false;
};

/// How to sample.
struct NicSampling {
    double interval_seconds = 1.0;
    /// Intervals to measure: count + 1 snapshots are taken.
    unsigned count = 1;
    /// Called after every snapshot after the first with the samples so far (for --watch);
    /// returning false stops the sampling early.
    std::function<bool(const NicSamples&)> on_sample;
};

/// Takes the snapshots on the live machine, reading link settings only in the first, and watches
/// RTM_NEWLINK notifications in between for the exact time of each carrier change. Issues of the
/// later snapshots are only kept when they are new.
Collected<NicSamples> sample_nic(const Root& root, const NicProbeOptions& options,
                                 const NicSampling& sampling);

}  // namespace diag::net
