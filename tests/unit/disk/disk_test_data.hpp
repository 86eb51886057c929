#pragma once

// Helpers for the disk tests: reading shared-data files as pages or JSON. The data stays in
// /work/shared/data/smart (see its SOURCES.md); tests skip when it is absent.

#include "support/shared_data.hpp"

#include <diag/disk/page_bytes.hpp>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace diag::test {

/// A shared-data file's bytes.
inline std::vector<std::uint8_t> read_bytes(const std::filesystem::path& path) {
    const std::string text = read_file(path);
    return {text.begin(), text.end()};
}

/// A shared-data file parsed as JSON (the test fails when it does not parse).
inline nlohmann::json read_json(const std::filesystem::path& path) {
    return nlohmann::json::parse(read_file(path));
}

/// Files in `dir` whose names end in `suffix`, sorted, recursing into subfolders.
inline std::vector<std::filesystem::path> files_ending(const std::filesystem::path& dir,
                                                       const std::string& suffix) {
    std::vector<std::filesystem::path> found;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
        const std::string name = entry.path().filename().string();
        if (entry.is_regular_file() && name.size() >= suffix.size() &&
            name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
            found.push_back(entry.path());
        }
    }
    std::sort(found.begin(), found.end());
    return found;
}

/// The blob's path without ".skblob": "<dir>/FUJITSU_MHY2120BH--0085000B".
inline std::string stem_of(const std::filesystem::path& blob) {
    const std::string path = blob.string();
    return path.substr(0, path.size() - std::string(".skblob").size());
}

}  // namespace diag::test
