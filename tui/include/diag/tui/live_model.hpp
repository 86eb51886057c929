#pragma once

#include <diag/collectors.hpp>
#include <diag/core/root.hpp>
#include <diag/tui/snapshot.hpp>
#include <diag/tui/timeline_data.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace diag::tui {

/// The model behind the screens: runs the registered collectors off the UI thread, each under
/// its deadline, again every interval on the live box and once for a captured tree. A run that
/// misses its deadline leaves its domain stale (with the last report that came) and is not
/// started again until it returns; its thread is abandoned as run_with_deadline does, so a stuck
/// probe never holds up the screen. Reads only: nothing here changes the machine.
class LiveModel {
public:
    /// Starts collecting at once. `interval` is the refresh interval of live mode (1 to 300 s).
    LiveModel(Root root, std::vector<CollectorSpec> collectors, std::chrono::seconds interval);
    ~LiveModel();
    LiveModel(const LiveModel&) = delete;
    LiveModel& operator=(const LiveModel&) = delete;

    /// A copy of everything the screens show, with the clock read now.
    [[nodiscard]] Snapshot snapshot() const;
    /// Grows whenever something shown changed: a report came, a domain went stale.
    [[nodiscard]] std::uint64_t version() const;
    /// True when every domain has answered or gone stale, and the logs are read if asked for.
    [[nodiscard]] bool settled() const;

    /// Stops or resumes refreshing; runs in flight still report.
    void toggle_pause();
    /// Adds seconds to the interval, kept between 1 and 300.
    void step_interval(int seconds);

    /// Starts reading the logs for the Timeline and Incidents screens, once: first the head of
    /// every source, shown at once, then the whole of them, with progress in the snapshot.
    void request_timeline();
    /// The logs, when read; null before request_timeline and while they are read.
    [[nodiscard]] std::shared_ptr<const TimelineData> timeline() const;

    /// Shortest and longest refresh interval.
    static constexpr std::chrono::seconds kMinInterval{1};
    static constexpr std::chrono::seconds kMaxInterval{300};

private:
    struct Shared;
    // The scheduler owns its share of the state and is never joined: a header read stuck in
    // the kernel must not hold up quitting.
    static void schedule_loop(const std::shared_ptr<Shared>& shared);

    std::shared_ptr<Shared> shared_;
};

/// How read_timeline reads.
struct TimelineRead {
    /// Read only this far into each source (a first look), or everything when absent.
    std::optional<std::uint64_t> head_bytes;
    /// Bytes read so far are added here, when set.
    std::atomic<std::uint64_t>* progress_bytes = nullptr;
};

/// Head of each source read for the first look: a few screens of each.
inline constexpr std::uint64_t kHeadBytes = std::uint64_t{256} * 1024;

/// Reads the logs of a root into TimelineData: the default sources, classified with the
/// built-in rules, merged, and grouped into incidents. A source that fails is an Issue.
TimelineData read_timeline(const Root& root, const TimelineRead& how = {});

/// Bytes of the root's default log sources, for the progress of read_timeline.
std::uint64_t log_bytes(const Root& root);

}  // namespace diag::tui
