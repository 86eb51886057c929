#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace diag {

/// Facts about one run of a tool, shown in every output form.
struct RunInfo {
    /// Executable name, such as "diag-sys".
    std::string tool;
    std::vector<std::string> argv;
    /// "/" for the live box, else the captured root's directory.
    std::string root = "/";
    std::chrono::system_clock::time_point started;
    std::chrono::milliseconds duration{0};
    /// Read from the root; empty when it could not be read.
    std::string hostname;
    std::string kernel_release;
};

}  // namespace diag
