#include "diag/core/log.hpp"

#include <memory>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace diag {

void init_logging(const std::string& tool, int verbosity, bool quiet) {
    auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    auto logger = std::make_shared<spdlog::logger>(tool, std::move(sink));
    logger->set_pattern("%n: %l: %v");
    spdlog::level::level_enum level = spdlog::level::warn;
    if (quiet) {
        level = spdlog::level::err;
    } else if (verbosity == 1) {
        level = spdlog::level::info;
    } else if (verbosity >= 2) {
        level = spdlog::level::debug;
    }
    logger->set_level(level);
    spdlog::set_default_logger(std::move(logger));
}

}  // namespace diag
