#include "diag/net/nic_sampler.hpp"

#include "diag/net/link_watch.hpp"

#include <algorithm>
#include <thread>

namespace diag::net {

namespace {

bool same_issue(const Issue& a, const Issue& b) {
    return a.operation == b.operation && a.subject == b.subject && a.reason == b.reason;
}

void keep_new_issues(std::vector<Issue>& kept, const std::vector<Issue>& more) {
    for (const auto& issue : more) {
        if (std::none_of(kept.begin(), kept.end(),
                         [&](const Issue& k) { return same_issue(k, issue); })) {
            kept.push_back(issue);
        }
    }
}

// Settings and driver identity do not change within a run; later samples inherit them.
void inherit_settings(const NicSnapshot& first, NicSnapshot& later) {
    for (auto& interface : later.interfaces) {
        if (const auto* was = first.find(interface.name); was != nullptr) {
            if (!interface.settings) {
                interface.settings = was->settings;
            }
            if (!interface.driver) {
                interface.driver = was->driver;
            }
        }
    }
}

}  // namespace

Collected<NicSamples> sample_nic(const Root& root, const NicProbeOptions& options,
                                 const NicSampling& sampling) {
    Collected<NicSamples> out;
    auto first = probe_nic(root, options);
    out.issues = std::move(first.issues);
    out.data.snapshots.push_back(std::move(first.data));

    auto watch = LinkWatch::open();
    if (watch) {
        watch->prime(out.data.snapshots.front().interfaces);
        out.data.watched = true;
    } else {
        out.add_issue(to_issue(watch.error(), IssueLevel::info));
    }
    NicProbeOptions later_options = options;
    later_options.link_settings = false;

    const auto start = std::chrono::steady_clock::now();
    const auto interval = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(sampling.interval_seconds));
    for (unsigned n = 1; n <= sampling.count; ++n) {
        const auto due = start + n * interval;
        if (watch) {
            auto events = watch->collect_until(due);
            out.data.events.insert(out.data.events.end(), events.begin(), events.end());
        } else {
            std::this_thread::sleep_until(due);
        }
        auto next = probe_nic(root, later_options);
        keep_new_issues(out.issues, next.issues);
        inherit_settings(out.data.snapshots.front(), next.data);
        out.data.snapshots.push_back(std::move(next.data));
        if (sampling.on_sample && !sampling.on_sample(out.data)) {
            break;
        }
    }
    if (watch) {
        if (const auto& error = watch->error(); error.has_value()) {
            out.add_issue(to_issue(*error, IssueLevel::info));
        }
    }
    return out;
}

}  // namespace diag::net
