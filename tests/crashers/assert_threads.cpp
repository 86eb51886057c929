// Starts 12 identical worker threads that wait for ever, then fails an assertion in main.
#include <cassert>
#include <condition_variable>
#include <latch>
#include <mutex>
#include <thread>
#include <vector>

namespace {
std::mutex g_mutex;
std::condition_variable g_never;
bool g_stop = false;
}  // namespace

__attribute__((noipa)) void worker(std::latch* started) {
    std::unique_lock lock(g_mutex);
    started->count_down();
    g_never.wait(lock, [] { return g_stop; });
}

__attribute__((noipa)) void check_queue(int pending) {
    assert(pending == 0 && "queue drained before shutdown");
}

int main() {
    constexpr int kWorkers = 12;
    std::latch started(kWorkers);
    std::vector<std::thread> workers;
    for (int i = 0; i < kWorkers; ++i) {
        workers.emplace_back(worker, &started);
    }
    started.wait();
    std::lock_guard lock(g_mutex);  // every worker is now in the wait
    check_queue(3);
    return 0;
}
