#include "diag/mem/mem_state.hpp"

#include <nlohmann/json.hpp>

namespace diag::mem {

namespace {

void put(nlohmann::json& object, const char* key, const std::optional<std::uint64_t>& value) {
    if (value) {
        object[key] = *value;
    }
}

std::optional<std::uint64_t> get(const nlohmann::json& object, const char* key) {
    const auto it = object.find(key);
    if (it == object.end() || !it->is_number_unsigned()) {
        return std::nullopt;
    }
    return it->get<std::uint64_t>();
}

}  // namespace

MemState make_state(const std::vector<EdacController>& controllers,
                    std::optional<std::uint64_t> hardware_corrupted_bytes,
                    std::chrono::system_clock::time_point now) {
    MemState state;
    state.time = now;
    state.hardware_corrupted_bytes = hardware_corrupted_bytes;
    for (const auto& mc : controllers) {
        state.counts[mc.name] = CountPair{total_ce(mc), total_ue(mc)};
        for (const auto& dimm : mc.dimms) {
            state.counts[mc.name + "/" + dimm.name] = CountPair{dimm.ce_count, dimm.ue_count};
        }
    }
    return state;
}

std::string encode_state(const MemState& state) {
    nlohmann::json json;
    json["version"] = 1;
    json["time_unix_ms"] =
        std::chrono::duration_cast<std::chrono::milliseconds>(state.time.time_since_epoch())
            .count();
    put(json, "hardware_corrupted_bytes", state.hardware_corrupted_bytes);
    auto& counts = json["counts"] = nlohmann::json::object();
    for (const auto& [place, pair] : state.counts) {
        auto& entry = counts[place] = nlohmann::json::object();
        put(entry, "ce_count", pair.ce_count);
        put(entry, "ue_count", pair.ue_count);
    }
    return json.dump(2) + "\n";
}

std::optional<MemState> decode_state(std::string_view text) {
    const auto json = nlohmann::json::parse(text, nullptr, false);
    if (json.is_discarded() || !json.is_object() || json.value("version", 0) != 1) {
        return std::nullopt;
    }
    const auto time = json.find("time_unix_ms");
    const auto counts = json.find("counts");
    if (time == json.end() || !time->is_number_integer() || counts == json.end() ||
        !counts->is_object()) {
        return std::nullopt;
    }
    MemState state;
    state.time =
        std::chrono::system_clock::time_point(std::chrono::milliseconds(time->get<std::int64_t>()));
    state.hardware_corrupted_bytes = get(json, "hardware_corrupted_bytes");
    for (const auto& [place, entry] : counts->items()) {
        if (entry.is_object()) {
            state.counts[place] = CountPair{get(entry, "ce_count"), get(entry, "ue_count")};
        }
    }
    return state;
}

}  // namespace diag::mem
