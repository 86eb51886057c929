#pragma once

#include <string>
#include <string_view>

namespace diag {

/// Makes text from the machine safe for a terminal: C0 and C1 control characters, DEL and bytes
/// that are not valid UTF-8 become visible escapes ("\x1b", "\n", "\t"), and a backslash is
/// doubled, so a log line or a device name cannot move the cursor or change colours.
std::string escape_for_terminal(std::string_view text);

/// Replaces bytes that are not valid UTF-8 with '?', for formats that demand UTF-8.
std::string sanitize_utf8(std::string_view text);

}  // namespace diag
