#include "diag/core/severity.hpp"

#include <array>

namespace diag {

namespace {
constexpr std::array<std::string_view, 4> kLowerNames{"ok", "info", "warning", "critical"};
constexpr std::array<std::string_view, 4> kUpperNames{"OK", "INFO", "WARNING", "CRITICAL"};
}  // namespace

std::string_view to_string(Severity severity) {
    return kLowerNames.at(static_cast<std::size_t>(severity));
}

std::string_view to_upper_string(Severity severity) {
    return kUpperNames.at(static_cast<std::size_t>(severity));
}

std::optional<Severity> parse_severity(std::string_view name) {
    for (std::size_t i = 0; i < kLowerNames.size(); ++i) {
        if (kLowerNames.at(i) == name) {
            return static_cast<Severity>(i);
        }
    }
    return std::nullopt;
}

}  // namespace diag
