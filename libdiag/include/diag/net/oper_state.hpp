#pragma once

#include <optional>
#include <string_view>

namespace diag::net {

/// RFC 2863 operational state as Linux keeps it (IF_OPER_*, include/uapi/linux/if.h).
/// Meaning: Documentation/networking/operstates.rst.
enum class OperState {
    unknown = 0,
    not_present = 1,
    down = 2,
    lower_layer_down = 3,
    testing = 4,
    dormant = 5,
    up = 6,
};

/// The state for a netlink IFLA_OPERSTATE byte; nullopt for values past IF_OPER_UP.
std::optional<OperState> oper_state_from_code(unsigned code);

/// Parses /sys/class/net/IF/operstate ("up", "lowerlayerdown", ...); a trailing newline is fine.
std::optional<OperState> parse_oper_state(std::string_view text);

/// The sysfs spelling: "up", "down", "lowerlayerdown", ...
std::string_view to_string(OperState state);

}  // namespace diag::net
