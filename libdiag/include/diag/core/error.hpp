#pragma once

#include <diag/core/issue.hpp>

#include <string>

namespace diag {

/// The failure of one all-or-nothing step, shaped so its text names operation, object and reason.
struct Error {
    std::string operation;
    std::string object;
    std::string reason;
    /// errno of the failing call, 0 where there was none.
    int errno_value = 0;
};

/// Builds an Error from a failed system call and errno.
Error system_error(std::string operation, std::string object, int errno_value);

/// "open /dev/sdb: Permission denied".
std::string describe(const Error& error);

/// The Issue for a failed step, with a hint derived from errno where one is obvious
/// (EACCES and EPERM suggest running as root).
Issue to_issue(const Error& error, IssueLevel level = IssueLevel::error);

}  // namespace diag
