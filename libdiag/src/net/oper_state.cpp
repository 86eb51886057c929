#include "diag/net/oper_state.hpp"

#include <array>

namespace diag::net {

namespace {

// The strings net/core/net-sysfs.c prints for each IF_OPER_* value (operstates[]).
constexpr std::array<std::string_view, 7> kNames{"unknown", "notpresent", "down", "lowerlayerdown",
                                                 "testing", "dormant",    "up"};

}  // namespace

std::optional<OperState> oper_state_from_code(unsigned code) {
    if (code >= kNames.size()) {
        return std::nullopt;
    }
    return static_cast<OperState>(code);
}

std::optional<OperState> parse_oper_state(std::string_view text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
        text.remove_suffix(1);
    }
    for (std::size_t i = 0; i < kNames.size(); ++i) {
        if (kNames.at(i) == text) {
            return static_cast<OperState>(i);
        }
    }
    return std::nullopt;
}

std::string_view to_string(OperState state) {
    return kNames.at(static_cast<std::size_t>(state));
}

}  // namespace diag::net
