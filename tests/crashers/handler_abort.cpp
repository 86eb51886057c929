// Installs diag's crash handler through its API, then aborts from a named function: the
// handler must print that function and the process must still die of SIGABRT with a core.
#include <diag/crash/crash_handler.hpp>

#include <cstdio>
#include <cstdlib>

__attribute__((noinline)) void give_up(int reason) {
    if (reason != 0) {
        std::abort();
    }
}

int main(int argc, char** /*argv*/) {
    if (!diag::crash::install_crash_handler(2)) {
        std::fputs("crash handler not installed\n", stderr);
        return 1;
    }
    give_up(argc);
    return 0;
}
