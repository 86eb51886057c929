#include "diag/disk/smart_history.hpp"

#include "diag/disk/ata_raw_value.hpp"

#include <array>
#include <chrono>
#include <ctime>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace diag::disk {

namespace {

using nlohmann::json;

constexpr int kStateVersion = 1;

struct KeyCheck {
    std::string_view key;
    std::string_view check;
};

constexpr std::array kKeyChecks{
    KeyCheck{"5", "disk.smart.reallocated"},
    KeyCheck{"187", "disk.smart.reported_uncorrectable"},
    KeyCheck{"188", "disk.smart.command_timeout"},
    KeyCheck{"197", "disk.smart.pending"},
    KeyCheck{"198", "disk.smart.offline_uncorrectable"},
    KeyCheck{"199", "disk.smart.crc_errors"},
    KeyCheck{"error_log", "disk.smart.error_log"},
    KeyCheck{"grown_defects", "disk.scsi.grown_defects"},
    KeyCheck{"uncorrected_errors", "disk.scsi.uncorrected_errors"},
    KeyCheck{"media_errors", "disk.nvme.media_errors"},
    KeyCheck{"kernel_io_errors", "disk.kernel.io_errors"},
};

Severity one_level_up(Severity severity) {
    switch (severity) {
        case Severity::ok:
            return Severity::info;
        case Severity::info:
            return Severity::warning;
        case Severity::warning:
        case Severity::critical:
            break;
    }
    return Severity::critical;
}

}  // namespace

std::string_view check_for_key(std::string_view key) {
    for (const auto& entry : kKeyChecks) {
        if (entry.key == key) {
            return entry.check;
        }
    }
    return {};
}

std::expected<SmartState, std::string> parse_smart_state(std::string_view text) {
    try {
        const auto root = json::parse(text);
        if (root.value("version", 0) != kStateVersion) {
            return std::unexpected(
                fmt::format("version {} is not {}", root.value("version", 0), kStateVersion));
        }
        SmartState state;
        const json empty = json::object();
        const json& all_disks = root.contains("disks") ? root.at("disks") : empty;
        for (const auto& [serial, disk] : all_disks.items()) {
            DiskHistory history;
            history.model = disk.value("model", "");
            history.device = disk.value("device", "");
            history.last_seen = disk.value("last_seen", "");
            const json& values = disk.contains("values") ? disk.at("values") : empty;
            for (const auto& [key, value] : values.items()) {
                history.values[key] = {value.at("value").get<std::uint64_t>(),
                                       value.value("since", "")};
            }
            state.disks[serial] = std::move(history);
        }
        const json& tunnels = root.contains("tunnels") ? root.at("tunnels") : empty;
        for (const auto& [key, tunnel] : tunnels.items()) {
            state.tunnels[key] = tunnel.get<std::string>();
        }
        return state;
    } catch (const std::exception& e) {
        return std::unexpected(std::string(e.what()));
    }
}

std::string render_smart_state(const SmartState& state) {
    json disks = json::object();
    for (const auto& [serial, history] : state.disks) {
        json values = json::object();
        for (const auto& [key, value] : history.values) {
            values[key] = {{"value", value.value}, {"since", value.since}};
        }
        disks[serial] = {{"model", history.model},
                         {"device", history.device},
                         {"last_seen", history.last_seen},
                         {"values", values}};
    }
    json tunnels = json::object();
    for (const auto& [key, tunnel] : state.tunnels) {
        tunnels[key] = tunnel;
    }
    return json{{"version", kStateVersion}, {"disks", disks}, {"tunnels", tunnels}}.dump(2) + "\n";
}

std::map<std::string, std::uint64_t> tracked_values(const DiskRecord& record,
                                                    std::optional<std::uint64_t> kernel_io_errors) {
    std::map<std::string, std::uint64_t> values;
    if (record.ata && record.ata->smart) {
        for (const int id : {5, 187, 188, 197, 198, 199}) {
            if (const auto* attribute = record.ata->smart->find(static_cast<std::uint8_t>(id))) {
                if (const auto count = read_raw(*attribute, record.ata->quirks).count) {
                    values[std::to_string(id)] = *count;
                }
            }
        }
    }
    if (record.ata && record.ata->error_log) {
        values["error_log"] = record.ata->error_log->error_count;
    }
    if (record.scsi) {
        if (record.scsi->grown_defects) {
            values["grown_defects"] = *record.scsi->grown_defects;
        }
        std::optional<std::uint64_t> uncorrected;
        for (const auto& page : {record.scsi->read, record.scsi->write, record.scsi->verify}) {
            if (page && page->total_uncorrected) {
                uncorrected = uncorrected.value_or(0) + *page->total_uncorrected;
            }
        }
        if (uncorrected) {
            values["uncorrected_errors"] = *uncorrected;
        }
    }
    if (record.nvme && record.nvme->health && record.nvme->health->media_errors) {
        if (const auto errors = record.nvme->health->media_errors->to_u64()) {
            values["media_errors"] = *errors;
        }
    }
    if (kernel_io_errors) {
        values["kernel_io_errors"] = *kernel_io_errors;
    }
    return values;
}

std::size_t apply_history(Report& report, const std::string& subject,
                          const std::map<std::string, std::uint64_t>& now,
                          const DiskHistory& previous) {
    std::size_t grown = 0;
    for (const auto& [key, value] : now) {
        const auto before = previous.values.find(key);
        if (before == previous.values.end() || value <= before->second.value) {
            continue;
        }
        ++grown;
        const auto check = check_for_key(key);
        for (auto& finding : report.findings) {
            if (finding.check != check || finding.subject != subject) {
                continue;
            }
            finding.severity = one_level_up(finding.severity);
            finding.summary += fmt::format(" ({}: {} -> {} since {})", key, before->second.value,
                                           value, before->second.since);
            finding.evidence.push_back({"previous_count", before->second.value});
            finding.evidence.push_back({"previous_since", before->second.since});
            finding.source +=
                "; diag raises a counter that grew since the last run by one "
                "severity level (history in --state-dir)";
        }
    }
    return grown;
}

void remember(SmartState& state, const DiskRecord& record,
              const std::map<std::string, std::uint64_t>& now, const std::string& today) {
    if (record.identity.serial.empty()) {
        return;
    }
    auto& history = state.disks[record.identity.serial];
    history.model = record.identity.model;
    history.device = record.identity.device;
    history.last_seen = today;
    for (const auto& [key, value] : now) {
        auto& tracked = history.values[key];
        if (tracked.since.empty() || tracked.value != value) {
            tracked = {value, today};
        }
    }
}

std::string utc_date_today() {
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm utc{};
    ::gmtime_r(&now, &utc);
    return fmt::format("{:04}-{:02}-{:02}", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday);
}

}  // namespace diag::disk
