// Two threads take two mutexes in opposite orders and deadlock for certain: each takes its
// first mutex, both meet at a barrier, then each asks for the other's. main waits in join, a
// futex wait that is no mutex wait. Prints "deadlocked" when both are about to block.
#include <cstdio>

#include <pthread.h>

namespace {

pthread_mutex_t g_first = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t g_second = PTHREAD_MUTEX_INITIALIZER;
pthread_barrier_t g_both_hold;

struct Order {
    pthread_mutex_t* hold;
    pthread_mutex_t* want;
    const char* name;
};

__attribute__((noinline)) void lock_both(const Order& order) {
    pthread_mutex_lock(order.hold);
    if (pthread_barrier_wait(&g_both_hold) == PTHREAD_BARRIER_SERIAL_THREAD) {
        std::puts("deadlocked");
        std::fflush(stdout);
    }
    pthread_mutex_lock(order.want);
    pthread_mutex_unlock(order.want);
    pthread_mutex_unlock(order.hold);
}

void* run(void* argument) {
    const auto& order = *static_cast<const Order*>(argument);
    pthread_setname_np(pthread_self(), order.name);
    lock_both(order);
    return nullptr;
}

}  // namespace

int main() {
    pthread_barrier_init(&g_both_hold, nullptr, 2);
    Order forward{&g_first, &g_second, "locker-a"};
    Order backward{&g_second, &g_first, "locker-b"};
    pthread_t a{};
    pthread_t b{};
    pthread_create(&a, nullptr, run, &forward);
    pthread_create(&b, nullptr, run, &backward);
    pthread_join(a, nullptr);
    pthread_join(b, nullptr);
    return 0;
}
