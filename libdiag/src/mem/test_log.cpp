#include "diag/mem/test_log.hpp"

#include <algorithm>
#include <cstdint>
#include <type_traits>

#include <nlohmann/json.hpp>

namespace diag::mem {

namespace {

using Json = nlohmann::json;

Json to_json(const SavedFailure& failure) {
    Json json{{"test", failure.test},
              {"pass", failure.pass},
              {"virtual_address", failure.virtual_address},
              {"expected", failure.expected},
              {"actual", failure.actual},
              {"count", failure.count}};
    if (failure.physical_address) {
        json["physical_address"] = *failure.physical_address;
    }
    return json;
}

Json to_json(const SavedTestRun& run) {
    Json failures = Json::array();
    const std::size_t listed = std::min(run.failures.size(), kSavedFailuresMax);
    for (std::size_t i = 0; i < listed; ++i) {
        failures.push_back(to_json(run.failures[i]));
    }
    return Json{
        {"time_unix_ms",
         std::chrono::duration_cast<std::chrono::milliseconds>(run.time.time_since_epoch())
             .count()},
        {"size_bytes", run.size_bytes},
        {"plan", run.plan},
        {"finished", run.finished},
        {"passes_completed", run.passes_completed},
        {"stopped_by", run.stopped_by},
        {"failure_count", run.failure_count},
        {"elapsed_seconds", run.elapsed_seconds},
        {"bytes_moved", run.bytes_moved},
        {"failures", std::move(failures)},
    };
}

template <class T>
bool read(const Json& object, const char* key, T& out) {
    const auto it = object.find(key);
    if (it == object.end()) {
        return false;
    }
    if constexpr (std::is_same_v<T, std::uint64_t>) {
        if (!it->is_number_unsigned()) {
            return false;
        }
    } else if constexpr (std::is_same_v<T, double>) {
        if (!it->is_number()) {
            return false;
        }
    } else if constexpr (std::is_same_v<T, std::string>) {
        if (!it->is_string()) {
            return false;
        }
    } else {
        if (!it->is_array() ||
            !std::ranges::all_of(*it, [](const Json& item) { return item.is_string(); })) {
            return false;
        }
    }
    out = it->get<T>();
    return true;
}

std::optional<SavedFailure> failure_from(const Json& json) {
    SavedFailure failure;
    if (!json.is_object() || !read(json, "test", failure.test) ||
        !read(json, "pass", failure.pass) ||
        !read(json, "virtual_address", failure.virtual_address) ||
        !read(json, "expected", failure.expected) || !read(json, "actual", failure.actual) ||
        !read(json, "count", failure.count)) {
        return std::nullopt;
    }
    std::uint64_t physical = 0;
    if (read(json, "physical_address", physical)) {
        failure.physical_address = physical;
    }
    return failure;
}

std::optional<SavedTestRun> run_from(const Json& json) {
    SavedTestRun run;
    if (!json.is_object()) {
        return std::nullopt;
    }
    const auto time = json.find("time_unix_ms");
    if (time == json.end() || !time->is_number_integer()) {
        return std::nullopt;
    }
    run.time =
        std::chrono::system_clock::time_point(std::chrono::milliseconds(time->get<std::int64_t>()));
    if (!read(json, "size_bytes", run.size_bytes) || !read(json, "plan", run.plan) ||
        !read(json, "finished", run.finished) ||
        !read(json, "passes_completed", run.passes_completed) ||
        !read(json, "stopped_by", run.stopped_by) ||
        !read(json, "failure_count", run.failure_count) ||
        !read(json, "elapsed_seconds", run.elapsed_seconds) ||
        !read(json, "bytes_moved", run.bytes_moved)) {
        return std::nullopt;
    }
    const auto failures = json.find("failures");
    if (failures != json.end() && failures->is_array()) {
        for (const auto& item : *failures) {
            if (auto failure = failure_from(item)) {
                run.failures.push_back(std::move(*failure));
            }
        }
    }
    return run;
}

}  // namespace

std::string encode_test_log(const std::vector<SavedTestRun>& runs) {
    Json list = Json::array();
    const std::size_t first = runs.size() > kTestLogRunsMax ? runs.size() - kTestLogRunsMax : 0;
    for (std::size_t i = first; i < runs.size(); ++i) {
        list.push_back(to_json(runs[i]));
    }
    const Json json{{"version", 1}, {"runs", std::move(list)}};
    return json.dump(2) + "\n";
}

std::optional<std::vector<SavedTestRun>> decode_test_log(std::string_view text) {
    const auto json = Json::parse(text, nullptr, false);
    if (json.is_discarded() || !json.is_object() || json.value("version", 0) != 1) {
        return std::nullopt;
    }
    const auto runs = json.find("runs");
    if (runs == json.end() || !runs->is_array()) {
        return std::nullopt;
    }
    std::vector<SavedTestRun> out;
    for (const auto& item : *runs) {
        if (auto run = run_from(item)) {
            out.push_back(std::move(*run));
        }
    }
    return out;
}

}  // namespace diag::mem
