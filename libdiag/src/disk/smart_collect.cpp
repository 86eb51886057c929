#include "diag/disk/smart_collect.hpp"

#include "diag/core/atomic_file.hpp"
#include "diag/core/deadline.hpp"
#include "diag/disk/block_discovery.hpp"
#include "diag/disk/disk_assess.hpp"
#include "diag/disk/disk_probe.hpp"
#include "diag/disk/recorded_access.hpp"
#include "diag/disk/smart_history.hpp"
#include "diag/logs/subject_events.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <sys/stat.h>

namespace diag::disk {

namespace {

constexpr mode_t kStateFileMode = 0600;
constexpr mode_t kStateDirMode = 0700;

std::string joined(const std::vector<std::string>& names) {
    std::string text;
    for (const auto& name : names) {
        text += (text.empty() ? "" : ",") + name;
    }
    return text;
}

Collected<std::vector<BlockDevice>> discover_devices(const Root& root,
                                                     const SmartOptions& options) {
    if (options.devices_from) {
        auto found = discover_recorded_devices(*options.devices_from);
        if (!options.devices.empty()) {
            std::erase_if(found.data, [&](const BlockDevice& device) {
                return std::none_of(options.devices.begin(), options.devices.end(),
                                    [&](const std::string& name) {
                                        return name == device.name || name == device.device_path;
                                    });
            });
        }
        return found;
    }
    if (!options.devices.empty()) {
        return discover_named_devices(root, options.devices);
    }
    return discover_block_devices(root);
}

// The state is this machine's own record (like --prom's file), read through a Root of "/".
struct StateFile {
    std::string path;
    SmartState state;
    bool usable = false;
};

StateFile load_state(const SmartOptions& options, Report& report) {
    StateFile file;
    if (options.state_dir.empty()) {
        return file;
    }
    file.path = options.state_dir + "/" + kSmartStateFile;
    auto live = Root::open("/", options.deadline);
    if (!live) {
        report.issues.push_back(to_issue(live.error(), IssueLevel::info));
        return file;
    }
    auto text = live->read_file(file.path);
    if (!text) {
        if (text.error().errno_value != ENOENT) {
            report.issues.push_back(to_issue(text.error(), IssueLevel::error));
            return file;
        }
        file.usable = true;  // the first run: nothing to compare with yet
        return file;
    }
    auto parsed = parse_smart_state(*text);
    if (!parsed) {
        report.issues.push_back({IssueLevel::error, "parse", file.path, parsed.error(),
                                 "history starts over; move the file away to keep it"});
        file.usable = true;
        return file;
    }
    file.state = std::move(*parsed);
    file.usable = true;
    return file;
}

void save_state(const StateFile& file, Report& report) {
    if (!file.usable) {
        return;
    }
    const auto slash = file.path.find_last_of('/');
    const std::string dir = file.path.substr(0, slash);
    if (::mkdir(dir.c_str(), kStateDirMode) != 0 && errno != EEXIST) {
        report.issues.push_back(
            to_issue(system_error("create state directory", dir, errno), IssueLevel::info));
        return;
    }
    auto written = write_file_atomically(file.path, render_smart_state(file.state), kStateFileMode);
    if (!written) {
        report.issues.push_back(to_issue(written.error(), IssueLevel::info));
    }
}

std::shared_ptr<DeviceAccess> make_access(const Root& root, const SmartOptions& options,
                                          Report& report) {
    if (options.devices_from) {
        return std::make_shared<RecordedAccess>(*options.devices_from);
    }
    if (root.is_live()) {
        return make_sgio_access(options.deadline);
    }
    report.issues.push_back({IssueLevel::info, "probe SMART", root.path(),
                             "a captured tree: no commands can reach its disks, so only "
                             "what its sysfs says is judged",
                             "run diag-smart on the machine itself, or give --devices-from"});
    return nullptr;
}

std::optional<AtaTunnel> tunnel_by_name(std::string_view name) {
    for (const auto tunnel :
         {AtaTunnel::sat16, AtaTunnel::sat12, AtaTunnel::usbjmicron, AtaTunnel::usbsunplus}) {
        if (to_string(tunnel) == name) {
            return tunnel;
        }
    }
    return std::nullopt;
}

// The kernel log's disk events of the last `days`, read once for every disk under the
// deadline; nullopt when they are not wanted or could not be read (an Issue says why).
std::optional<std::vector<logs::SubjectEvent>> read_disk_events(const Root& root, int days,
                                                                std::chrono::milliseconds limit,
                                                                Report& report) {
    using std::chrono::floor;
    using std::chrono::microseconds;
    const auto now = floor<microseconds>(std::chrono::system_clock::now());
    logs::SubjectQuery query{"device", "", "disk.", now - std::chrono::days(days)};
    auto read = run_with_deadline([root, query] { return logs::events_about(root, query); }, limit);
    if (!read) {
        report.issues.push_back({IssueLevel::error, "read", "kernel log",
                                 fmt::format("not read within {} ms", limit.count()),
                                 "diag-logs --level warning reads it without a deadline"});
        return std::nullopt;
    }
    // A tree or box without a log folder has no kernel log to add: said once, as info.
    for (auto& issue : read->issues) {
        if (issue.reason == std::strerror(ENOENT)) {
            issue.level = IssueLevel::info;
        }
        const bool said =
            std::any_of(report.issues.begin(), report.issues.end(), [&](const Issue& earlier) {
                return earlier.operation == issue.operation && earlier.subject == issue.subject &&
                       earlier.reason == issue.reason;
            });
        if (!said) {
            report.issues.push_back(std::move(issue));
        }
    }
    return std::move(read->data);
}

void judge(const ProbedDisk& disk, StateFile& state, const std::string& today,
           const std::optional<std::vector<logs::SubjectEvent>>& log_events, int log_days,
           Report& report) {
    report.issues.insert(report.issues.end(), disk.issues.begin(), disk.issues.end());
    Report judged = assess_kernel_io(disk.device);
    if (log_events) {
        judged.merge(assess_kernel_log(disk.device, *log_events, log_days));
    }
    if (disk.record) {
        judged.merge(assess_disk(*disk.record));
    }
    if (disk.record && state.usable) {
        const auto values = tracked_values(*disk.record, disk.device.kernel_io_errors);
        const auto& serial = disk.record->identity.serial;
        if (const auto found = state.state.disks.find(serial);
            !serial.empty() && found != state.state.disks.end()) {
            apply_history(judged, disk.device.device_path, values, found->second);
        }
        remember(state.state, *disk.record, values, today);
    }
    if (disk.tunnel && disk.device.transport == BlockTransport::usb) {
        state.state.tunnels[bridge_key(disk.device)] = std::string(to_string(*disk.tunnel));
    }
    report.merge(std::move(judged));
}

}  // namespace

Report assess_kernel_io(const BlockDevice& device) {
    Report report;
    if (!device.kernel_io_errors) {
        return report;
    }
    const std::uint64_t errors = *device.kernel_io_errors;
    Finding finding{errors > 0 ? Severity::info : Severity::ok,
                    "disk.kernel.io_errors",
                    device.device_path,
                    errors > 0 ? fmt::format("the kernel counted {} commands to this disk that "
                                             "ended in an error since it was attached",
                                             errors)
                               : "the kernel counted no commands that ended in an error",
                    {{"kernel_io_errors", errors}},
                    std::nullopt,
                    "device/ioerr_cnt (drivers/scsi/scsi_sysfs.c): commands the SCSI midlayer "
                    "completed with an error since the disk was attached; pass-through "
                    "commands that end with a check condition count too, so growth matters "
                    "more than the number; I/O counters from stat "
                    "(Documentation/block/stat.rst)"};
    if (device.io_stat) {
        finding.evidence.push_back({"read_ios", device.io_stat->read_ios});
        finding.evidence.push_back({"write_ios", device.io_stat->write_ios});
        finding.evidence.push_back({"in_flight", device.io_stat->in_flight});
        finding.evidence.push_back({"io_ticks_ms", device.io_stat->io_ticks_ms});
    }
    if (!device.holders.empty()) {
        finding.evidence.push_back({"member_of", joined(device.holders)});
    }
    report.findings.push_back(std::move(finding));
    ++report.assessed_count;
    report.metrics.push_back(
        {"diag_smart_kernel_io_errors",
         "Commands the kernel completed with an error for this disk "
         "(device/ioerr_cnt) since it was attached.",
         MetricType::gauge,
         {{"device", device.device_path}, {"model", device.model}, {"serial", device.serial}},
         static_cast<double>(errors)});
    return report;
}

std::vector<std::string> kernel_log_names(const BlockDevice& device) {
    std::vector<std::string> names{device.name};
    // The sysfs path names the libata port (".../ata3/host2/...") and the NVMe controller
    // (".../nvme/nvme0/nvme0n1"), which is how the kernel's ATA and NVMe lines name the disk.
    std::string_view rest = device.sysfs_path;
    std::string_view previous;
    while (!rest.empty()) {
        const auto slash = rest.find('/');
        const auto part = rest.substr(0, slash);
        const bool ata_port =
            part.size() > 3 && part.starts_with("ata") &&
            std::all_of(part.begin() + 3, part.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (ata_port || (previous == "nvme" && part.starts_with("nvme") && part != device.name)) {
            names.emplace_back(part);
        }
        previous = part;
        rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    }
    return names;
}

namespace {

// The disk's own name and its partitions; its ATA port alone ("ata3") or with a device number
// ("ata3.00"); its NVMe controller.
bool names_this_disk(const std::vector<std::string>& names, std::string_view named) {
    if (logs::same_subject("device", named, names.front())) {
        return true;
    }
    return std::any_of(names.begin() + 1, names.end(), [&](const std::string& other) {
        return named == other || (named.starts_with(other) && named.size() > other.size() &&
                                  named[other.size()] == '.');
    });
}

}  // namespace

Report assess_kernel_log(const BlockDevice& device, const std::vector<logs::SubjectEvent>& events,
                         int days) {
    const auto names = kernel_log_names(device);
    Report report;
    std::map<std::string, std::uint64_t> per_rule;
    const logs::SubjectEvent* first = nullptr;
    const logs::SubjectEvent* last = nullptr;
    Severity worst = Severity::ok;
    for (const auto& event : events) {
        const auto named = std::find_if(event.fields.begin(), event.fields.end(),
                                        [](const auto& field) { return field.name == "device"; });
        if (named == event.fields.end() || !names_this_disk(names, named->value)) {
            continue;
        }
        ++per_rule[event.rule_id];
        worst = std::max(worst, event.severity);
        first = first == nullptr ? &event : first;
        last = &event;
    }
    ++report.assessed_count;
    const char* const source =
        "diag-logs' disk rules (diag-logs(1), RULES) over the kernel's logs: kern.log, syslog, "
        "the journal and /dev/kmsg";
    if (last == nullptr) {
        report.findings.push_back({Severity::ok,
                                   "disk.kernel.log_events",
                                   device.device_path,
                                   fmt::format("the kernel logged no errors about this disk in "
                                               "the last {} days",
                                               days),
                                   {{"days", static_cast<std::int64_t>(days)}},
                                   std::nullopt,
                                   source});
        return report;
    }
    std::uint64_t count = 0;
    std::string rules;
    for (const auto& [rule, n] : per_rule) {
        count += n;
        rules += fmt::format("{}{} {}", rules.empty() ? "" : ", ", n, rule);
    }
    const auto stamp = [](const logs::SubjectEvent& event) {
        return event.time ? fmt::format("{:%Y-%m-%dT%H:%M:%SZ}",
                                        std::chrono::floor<std::chrono::seconds>(*event.time))
                          : std::string("unknown");
    };
    Finding finding{worst,
                    "disk.kernel.log_events",
                    device.device_path,
                    fmt::format("the kernel logged {} error{} about this disk in the last {} "
                                "days ({}); the last: {}",
                                count, count == 1 ? "" : "s", days, rules, last->message),
                    {{"events", count},
                     {"by_rule", rules},
                     {"days", static_cast<std::int64_t>(days)},
                     {"first_time", stamp(*first)},
                     {"last_time", stamp(*last)},
                     {"last_source", last->source},
                     {"last_message", last->message}},
                    std::nullopt,
                    source};
    if (last->time) {
        finding.time =
            std::chrono::time_point_cast<std::chrono::system_clock::duration>(*last->time);
    }
    report.findings.push_back(std::move(finding));
    return report;
}

Report collect_smart(const Root& root, const SmartOptions& options) {
    Report report;
    auto found = discover_devices(root, options);
    report.issues = std::move(found.issues);
    auto access = make_access(root, options, report);
    auto state = load_state(options, report);
    const std::string today = utc_date_today();

    std::vector<ProbedDisk> disks;
    if (access) {
        ProbeOptions probe;
        probe.wake = options.wake;
        for (const auto& [key, name] : state.state.tunnels) {
            if (const auto tunnel = tunnel_by_name(name)) {
                probe.remembered_tunnels[key] = *tunnel;
            }
        }
        disks = probe_disks(access, found.data, probe, options.deadline);
    } else {
        for (const auto& device : found.data) {
            if (has_smart(device.transport)) {
                disks.push_back(
                    ProbedDisk{device, std::nullopt, {}, std::nullopt, {}, std::nullopt, false});
            }
        }
    }
    std::optional<std::vector<logs::SubjectEvent>> log_events;
    if (!options.devices_from && options.kernel_log_days > 0 && !disks.empty()) {
        log_events = read_disk_events(root, options.kernel_log_days, options.deadline, report);
    }
    for (const auto& disk : disks) {
        judge(disk, state, today, log_events, options.kernel_log_days, report);
    }
    if (access && !disks.empty()) {
        save_state(state, report);
    }
    return report;
}

}  // namespace diag::disk
