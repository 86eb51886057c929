#include "diag/tui/live_model.hpp"

#include <diag/logs/classifier.hpp>
#include <diag/logs/log_files.hpp>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace diag::tui {

namespace {

using Clock = std::chrono::steady_clock;

// How often the scheduler looks at runs in flight and due ones.
constexpr std::chrono::milliseconds kTick{250};

std::string first_line(const std::expected<std::string, Error>& text) {
    if (!text) {
        return {};
    }
    return text->substr(0, text->find('\n'));
}

std::optional<double> parse_uptime(const std::expected<std::string, Error>& text) {
    if (!text) {
        return std::nullopt;
    }
    // /proc/uptime: "seconds-up idle-seconds" (proc(5)).
    try {
        std::size_t used = 0;
        const double seconds = std::stod(*text, &used);
        return used > 0 && seconds >= 0 ? std::optional(seconds) : std::nullopt;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

}  // namespace

struct LiveModel::Shared {
    struct Run {
        bool in_flight = false;
        Clock::time_point started;
        Clock::time_point due;
        std::chrono::milliseconds limit{0};
    };

    Root root;
    std::vector<CollectorSpec> collectors;
    mutable std::mutex mutex;
    std::condition_variable wake;
    Snapshot snapshot;
    std::vector<Run> runs;
    std::uint64_t version = 0;
    bool timeline_requested = false;
    std::atomic<std::uint64_t> logs_read_bytes{0};
    std::uint64_t logs_total_bytes = 0;
    bool logs_reading = false;
    bool stopping = false;
    std::shared_ptr<const TimelineData> timeline;

    explicit Shared(Root opened) : root(std::move(opened)) {}
};

LiveModel::LiveModel(Root root, std::vector<CollectorSpec> collectors,
                     std::chrono::seconds interval)
    : shared_(std::make_shared<Shared>(std::move(root))) {
    auto& shared = *shared_;
    shared.collectors = std::move(collectors);
    shared.snapshot.live = shared.root.is_live();
    shared.snapshot.root = shared.root.path();
    shared.snapshot.interval = std::clamp(interval, kMinInterval, kMaxInterval);
    const auto now = Clock::now();
    for (const auto& collector : shared.collectors) {
        DomainState domain;
        domain.name = collector.name;
        domain.description = collector.description;
        // As diag-report: a collector makes several probes, each with the deadline.
        domain.limit = collector.extra_time + 3 * shared.root.deadline();
        shared.snapshot.domains.push_back(domain);
        shared.runs.push_back({false, now, now, domain.limit});
    }
    std::thread([shared = shared_] { schedule_loop(shared); }).detach();
}

LiveModel::~LiveModel() {
    std::lock_guard lock(shared_->mutex);
    shared_->stopping = true;
    shared_->wake.notify_all();
}

void LiveModel::schedule_loop(const std::shared_ptr<Shared>& shared) {
    Clock::time_point header_due = Clock::now();
    while (true) {
        const auto now = Clock::now();
        if (now >= header_due) {
            // Outside the lock: the reads have their own deadline and may take that long.
            auto texts = shared->root.read_files(
                {"/proc/sys/kernel/hostname", "/proc/sys/kernel/osrelease", "/proc/uptime"}, 4096);
            std::lock_guard lock(shared->mutex);
            shared->snapshot.host = first_line(texts[0]);
            shared->snapshot.kernel = first_line(texts[1]);
            shared->snapshot.uptime_seconds = parse_uptime(texts[2]);
            header_due =
                shared->root.is_live() ? now + shared->snapshot.interval : Clock::time_point::max();
            ++shared->version;
        }
        std::unique_lock lock(shared->mutex);
        if (shared->stopping) {
            return;
        }
        for (std::size_t i = 0; i < shared->runs.size(); ++i) {
            auto& run = shared->runs[i];
            auto& domain = shared->snapshot.domains[i];
            if (run.in_flight) {
                const auto running =
                    std::chrono::duration_cast<std::chrono::milliseconds>(now - run.started);
                if (running > run.limit) {
                    // The shown seconds change once a second; so does the version.
                    const bool changed = domain.status != DomainStatus::stale ||
                                         running / 1000 != domain.running_for / 1000;
                    domain.status = DomainStatus::stale;
                    domain.running_for = running;
                    shared->version += changed ? 1 : 0;
                }
                continue;
            }
            if (now < run.due || (shared->snapshot.paused && domain.report)) {
                continue;
            }
            run.in_flight = true;
            run.started = now;
            std::thread([shared, i, work = shared->collectors[i].run] {
                Report report = work(shared->root);
                std::lock_guard done_lock(shared->mutex);
                auto& finished = shared->runs[i];
                finished.in_flight = false;
                finished.due = shared->root.is_live() ? Clock::now() + shared->snapshot.interval
                                                      : Clock::time_point::max();
                auto& state = shared->snapshot.domains[i];
                if (state.name == "net") {
                    const auto at = std::chrono::duration<double>(Clock::now().time_since_epoch());
                    add_net_sample(shared->snapshot.net_history, report, at.count());
                }
                state.report = std::move(report);
                state.status = DomainStatus::fresh;
                state.running_for = std::chrono::milliseconds{0};
                ++shared->version;
            }).detach();
        }
        shared->wake.wait_for(lock, kTick, [&] { return shared->stopping; });
    }
}

Snapshot LiveModel::snapshot() const {
    std::lock_guard lock(shared_->mutex);
    Snapshot copy = shared_->snapshot;
    copy.now = std::chrono::system_clock::now();
    if (shared_->logs_reading) {
        copy.logs_progress.emplace(shared_->logs_read_bytes.load(std::memory_order_relaxed),
                                   shared_->logs_total_bytes);
    }
    return copy;
}

std::uint64_t LiveModel::version() const {
    std::lock_guard lock(shared_->mutex);
    return shared_->version;
}

bool LiveModel::settled() const {
    std::lock_guard lock(shared_->mutex);
    const bool domains_done =
        std::none_of(shared_->snapshot.domains.begin(), shared_->snapshot.domains.end(),
                     [](const DomainState& d) { return d.status == DomainStatus::waiting; });
    return domains_done && (!shared_->timeline_requested ||
                            (shared_->timeline != nullptr && shared_->timeline->complete));
}

void LiveModel::toggle_pause() {
    std::lock_guard lock(shared_->mutex);
    shared_->snapshot.paused = !shared_->snapshot.paused;
    ++shared_->version;
}

void LiveModel::step_interval(int seconds) {
    std::lock_guard lock(shared_->mutex);
    auto& interval = shared_->snapshot.interval;
    interval = std::clamp(interval + std::chrono::seconds(seconds), kMinInterval, kMaxInterval);
    ++shared_->version;
}

void LiveModel::request_timeline() {
    std::lock_guard lock(shared_->mutex);
    if (shared_->timeline_requested) {
        return;
    }
    shared_->timeline_requested = true;
    shared_->logs_reading = true;
    std::thread([shared = shared_] {
        const auto publish = [&](TimelineData data, bool still_reading) {
            auto shown = std::make_shared<const TimelineData>(std::move(data));
            std::lock_guard done_lock(shared->mutex);
            shared->timeline = std::move(shown);
            shared->logs_reading = still_reading;
            ++shared->version;
        };
        const std::uint64_t total = log_bytes(shared->root);
        {
            std::lock_guard total_lock(shared->mutex);
            shared->logs_total_bytes = total;
        }
        // The first screens of a big log come from the head of each source; the whole is read
        // after, and replaces it. Scrolling never waits for it.
        if (total > kHeadBytes) {
            auto head = read_timeline(shared->root, {kHeadBytes, nullptr});
            head.complete = false;
            publish(std::move(head), true);
        }
        publish(read_timeline(shared->root, {std::nullopt, &shared->logs_read_bytes}), false);
    }).detach();
}

std::shared_ptr<const TimelineData> LiveModel::timeline() const {
    std::lock_guard lock(shared_->mutex);
    return shared_->timeline;
}

std::uint64_t log_bytes(const Root& root) {
    std::uint64_t total = 0;
    for (const auto& spec : logs::default_sources(root).data) {
        if (spec.kind != logs::SourceKind::file) {
            continue;
        }
        if (auto stat = root.stat_file(spec.path)) {
            total += stat->size_bytes;
        }
    }
    return total;
}

TimelineData read_timeline(const Root& root, const TimelineRead& how) {
    TimelineData data;
    data.ready = true;
    auto classifier =
        logs::Classifier::build(logs::builtin_rules(), logs::builtin_screen_database());
    if (!classifier) {
        data.issues.push_back({IssueLevel::error, "compile", "rules", classifier.error(),
                               "please report this as a bug in diag"});
        return data;
    }
    auto sources = logs::default_sources(root);
    data.issues = sources.issues;
    auto zone = logs::machine_zone(root);
    data.zone = zone.data;
    data.issues.insert(data.issues.end(), zone.issues.begin(), zone.issues.end());

    logs::CollectOptions options;
    options.sources = sources.data;
    options.read.zone = zone.data;
    options.read.boot_time = logs::read_boot_time(root);
    options.read.deadline = root.deadline();
    options.read.progress_bytes = how.progress_bytes;
    options.read.max_bytes_per_source = how.head_bytes;
    if (how.head_bytes) {
        options.read.chunk_bytes = static_cast<std::size_t>(*how.head_bytes);
    }
    auto timeline = logs::collect_timeline(root, options, *classifier);
    data.issues.insert(data.issues.end(), timeline.issues.begin(), timeline.issues.end());
    data.timeline = std::move(timeline.data);
    data.rules = classifier->rules();
    data.incidents = logs::find_incidents(data.timeline.entries, data.rules, {});
    return data;
}

}  // namespace diag::tui
