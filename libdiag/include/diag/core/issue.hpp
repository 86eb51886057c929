#pragma once

#include <string>

namespace diag {

/// How an Issue weighs: a gap that is normal in some settings (not root, no such hardware),
/// or an error that should not happen on a healthy box.
enum class IssueLevel { info, error };

/// Something about the collection itself: what could not be read, on what, why, and what to do.
/// Issues are always shown to the user, never only logged.
struct Issue {
    IssueLevel level = IssueLevel::error;
    /// The operation that failed, such as "read" or "statvfs".
    std::string operation;
    /// The file, device or interface it was about.
    std::string subject;
    /// Why it failed, such as "Permission denied" or "no answer within 2000 ms".
    std::string reason;
    /// What the user can do about it; may be empty.
    std::string hint;
};

/// "read /proc/pressure/io: No such file or directory".
std::string describe(const Issue& issue);

}  // namespace diag
