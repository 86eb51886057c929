#include "diag/core/error.hpp"

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace diag {

Error system_error(std::string operation, std::string object, int errno_value) {
    // strerrordesc_np is thread-safe and never formats into a shared buffer.
    const char* text = ::strerrordesc_np(errno_value);
    std::string reason = text != nullptr ? text : fmt::format("error {}", errno_value);
    return Error{std::move(operation), std::move(object), std::move(reason), errno_value};
}

std::string describe(const Error& error) {
    if (error.object.empty()) {
        return fmt::format("{}: {}", error.operation, error.reason);
    }
    return fmt::format("{} {}: {}", error.operation, error.object, error.reason);
}

Issue to_issue(const Error& error, IssueLevel level) {
    Issue issue{level, error.operation, error.object, error.reason, {}};
    if (error.errno_value == EACCES || error.errno_value == EPERM) {
        issue.hint = "run as root";
    }
    return issue;
}

std::string describe(const Issue& issue) {
    std::string text = issue.subject.empty()
                           ? fmt::format("{}: {}", issue.operation, issue.reason)
                           : fmt::format("{} {}: {}", issue.operation, issue.subject, issue.reason);
    if (!issue.hint.empty()) {
        text += fmt::format(" ({})", issue.hint);
    }
    return text;
}

}  // namespace diag
