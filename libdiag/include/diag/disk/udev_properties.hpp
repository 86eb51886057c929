#pragma once

#include <map>
#include <string>
#include <string_view>

namespace diag::disk {

/// The properties ("E:KEY=VALUE" lines) of a udev database file, /run/udev/data/bMAJOR:MINOR
/// (systemd's udev database format; other line kinds such as S: links are skipped). A line
/// without '=' is skipped; a later key replaces an earlier one.
std::map<std::string, std::string> parse_udev_data(std::string_view text);

/// Undoes udev's \xNN escaping of *_ENC values ("TOSHIBA\x20KSDB4U86" gives "TOSHIBA KSDB4U86")
/// and trims spaces. A malformed escape is kept as it is.
std::string udev_unescape(std::string_view text);

}  // namespace diag::disk
