#pragma once

#include <chrono>
#include <condition_variable>
#include <expected>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace diag {

/// Returned by run_with_deadline when the work did not finish in time.
struct DeadlineMissed {
    std::chrono::milliseconds limit;
};

/// Runs fn on its own thread and waits at most `limit` for its result.
///
/// A read of a dying disk or a hung NFS mount can block in the kernel for ever, and no thread
/// can be cancelled there. So a late thread is abandoned, not joined: it keeps the state it
/// shares with this call alive and drops its result when it finally returns. fn must therefore
/// own everything it touches (capture by value). The process can still exit normally.
template <class F>
auto run_with_deadline(F fn, std::chrono::milliseconds limit)
    -> std::expected<std::invoke_result_t<F>, DeadlineMissed> {
    using Result = std::invoke_result_t<F>;
    struct Shared {
        std::mutex mutex;
        std::condition_variable done_cv;
        std::optional<Result> result;
    };
    auto shared = std::make_shared<Shared>();

    std::thread worker([shared, work = std::move(fn)]() mutable {
        Result value = work();
        std::lock_guard lock(shared->mutex);
        shared->result.emplace(std::move(value));
        shared->done_cv.notify_one();
    });
    worker.detach();

    std::unique_lock lock(shared->mutex);
    shared->done_cv.wait_for(lock, limit, [&] { return shared->result.has_value(); });
    auto& result = shared->result;
    if (!result.has_value()) {
        return std::unexpected(DeadlineMissed{limit});
    }
    return std::move(*result);
}

}  // namespace diag

namespace diag {

/// Runs every task at once, each on its own thread, and waits until all have finished or the
/// common deadline passed. Slot i holds task i's result, or nullopt when it was late (its
/// thread is abandoned as in run_with_deadline). Total wait is at most `limit`, not n times it.
template <class F>
auto run_all_with_deadline(std::vector<F> tasks, std::chrono::milliseconds limit)
    -> std::vector<std::optional<std::invoke_result_t<F>>> {
    using Result = std::invoke_result_t<F>;
    struct Shared {
        std::mutex mutex;
        std::condition_variable done_cv;
        std::vector<std::optional<Result>> results;
        std::size_t finished = 0;
    };
    auto shared = std::make_shared<Shared>();
    shared->results.resize(tasks.size());
    for (std::size_t i = 0; i < tasks.size(); ++i) {
        std::thread([shared, i, work = std::move(tasks[i])]() mutable {
            Result value = work();
            std::lock_guard lock(shared->mutex);
            shared->results[i].emplace(std::move(value));
            ++shared->finished;
            shared->done_cv.notify_one();
        }).detach();
    }
    std::unique_lock lock(shared->mutex);
    const std::size_t total = tasks.size();
    shared->done_cv.wait_for(lock, limit, [&] { return shared->finished == total; });
    return shared->results;
}

}  // namespace diag
