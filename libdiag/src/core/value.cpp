#include "diag/core/value.hpp"

#include <fmt/format.h>

namespace diag {

std::string to_display_string(const Value& value) {
    struct Visitor {
        std::string operator()(std::int64_t v) const { return fmt::format("{}", v); }
        std::string operator()(std::uint64_t v) const { return fmt::format("{}", v); }
        std::string operator()(double v) const { return fmt::format("{:.4g}", v); }
        std::string operator()(bool v) const { return v ? "yes" : "no"; }
        std::string operator()(const std::string& v) const { return v; }
    };
    return std::visit(Visitor{}, value);
}

}  // namespace diag
