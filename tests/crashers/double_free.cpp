// Frees the same block twice; glibc detects it and aborts with a message.
#include <cstdlib>

__attribute__((noipa)) void release(void* block) {
    std::free(block);
    asm volatile("" ::: "memory");  // keeps release's frame: no tail call into free
}

int main() {
    void* block = std::malloc(64);
    release(block);
    release(block);
    return 0;
}
