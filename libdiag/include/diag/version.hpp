#pragma once

#include <string_view>

namespace diag {

/// The toolkit's version, from the CMake project version.
extern const std::string_view kVersion;

}  // namespace diag
