#pragma once

// Builds recorded-device directories (see diag/disk/recorded_access.hpp) in a temporary
// directory for the probe tests. Pages from the shared data are named by absolute path in
// the manifests, never copied.

#include "support/temp_dir.hpp"

#include <diag/disk/recorded_access.hpp>

#include <algorithm>
#include <memory>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

namespace diag::test {

class RecordedDevices {
public:
    /// Writes NAME/device.json.
    void add(const std::string& name, const nlohmann::json& manifest) {
        dir_.write(name + "/device.json", manifest.dump(2));
    }
    /// Writes a data file into a device's directory.
    void add_file(const std::string& name, const std::string& file, const std::string& bytes) {
        dir_.write(name + "/" + file, bytes);
    }
    [[nodiscard]] std::string path() const { return dir_.path().string(); }

    /// The devices as --devices-from would discover them.
    [[nodiscard]] std::vector<diag::disk::BlockDevice> devices() const {
        auto found = diag::disk::discover_recorded_devices(path());
        INFO((found.issues.empty() ? std::string() : found.issues.front().reason));
        REQUIRE(found.issues.empty());
        return found.data;
    }
    [[nodiscard]] diag::disk::BlockDevice device(const std::string& name) const {
        const auto all = devices();
        const auto found =
            std::find_if(all.begin(), all.end(), [&](const auto& d) { return d.name == name; });
        REQUIRE(found != all.end());
        return *found;
    }

private:
    TempDir dir_;
};

}  // namespace diag::test
