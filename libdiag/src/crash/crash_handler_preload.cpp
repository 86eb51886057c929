// libdiag-crash-handler.so: LD_PRELOAD=libdiag-crash-handler.so PROGRAM installs the crash
// handler before PROGRAM's main runs. DIAG_CRASH_HANDLER_FD names another descriptor than
// stderr for the report.

#include "diag/crash/crash_handler.hpp"

#include <charconv>
#include <cstdlib>
#include <string_view>

namespace {

int report_fd() {
    const char* given = std::getenv("DIAG_CRASH_HANDLER_FD");  // NOLINT(concurrency-mt-unsafe)
    int fd = 2;
    if (given != nullptr) {
        const std::string_view text(given);
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), fd);
        if (error != std::errc{} || end != text.data() + text.size() || fd < 0) {
            fd = 2;
        }
    }
    return fd;
}

// A preloaded library has no caller to report to: a handler that could not be installed
// leaves the program as it was.
[[gnu::constructor]] void install_at_load() {
    [[maybe_unused]] const auto installed = diag::crash::install_crash_handler(report_fd());
}

}  // namespace
