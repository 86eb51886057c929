// A crash with a given number of threads and a given amount of touched heap, for bench/core.sh:
// crasher_bench_load THREADS MIB. Every extra thread sleeps two calls deep; once all have
// started, main writes through a null pointer.
#include <cstdlib>
#include <cstring>
#include <vector>

#include <pthread.h>
#include <unistd.h>

namespace {

pthread_barrier_t g_started;

__attribute__((noinline)) void wait_for_work() {
    pthread_barrier_wait(&g_started);
    while (true) {
        pause();
    }
}

void* worker(void* /*unused*/) {
    wait_for_work();
    return nullptr;
}

__attribute__((noipa)) void fail(int* target) {
    *target = 1;
}

}  // namespace

int main(int argc, char** argv) {
    const int threads = argc > 1 ? std::atoi(argv[1]) : 0;
    const long mib = argc > 2 ? std::atol(argv[2]) : 0;
    constexpr std::size_t kMib = 1024 * 1024;
    std::vector<char*> heap;
    for (long i = 0; i < mib; ++i) {
        heap.push_back(static_cast<char*>(std::malloc(kMib)));
        std::memset(heap.back(), static_cast<int>(i), kMib);
    }
    pthread_barrier_init(&g_started, nullptr, static_cast<unsigned>(threads + 1));
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setstacksize(&attributes, 64 * 1024);
    for (int i = 0; i < threads; ++i) {
        pthread_t thread{};
        pthread_create(&thread, &attributes, worker, nullptr);
    }
    pthread_barrier_wait(&g_started);
    fail(static_cast<int*>(nullptr));
    return static_cast<int>(heap.size());
}
