#pragma once

#include <diag/core/severity.hpp>
#include <diag/core/value.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace diag {

/// One judged fact about the machine, with the evidence behind it and where the rule comes from.
struct Finding {
    Severity severity = Severity::ok;
    /// Stable dotted id, such as "sys.fs.read_only"; scripts and alert rules key on it.
    std::string check;
    /// What it is about: "/var", "eth0", "/dev/sda", "memory".
    std::string subject;
    /// One line for a person.
    std::string summary;
    std::vector<Evidence> evidence;
    /// When it happened, where that is known (a log line, a crash); absent otherwise.
    std::optional<std::chrono::system_clock::time_point> time;
    /// Where the threshold or rule comes from (a kernel document, a paper, a vendor limit).
    std::string source;
};

}  // namespace diag
