// diag-smart: SMART health of ATA, NVMe and SAS disks, judged by evidence. Probes every disk
// (or the ones named) on its own thread, or judges saved `smartctl --json` output.

#include <diag/cli/tool_main.hpp>
#include <diag/core/error.hpp>
#include <diag/core/root.hpp>
#include <diag/disk/disk_assess.hpp>
#include <diag/disk/smart_collect.hpp>
#include <diag/disk/smartctl_import.hpp>

#include <cerrno>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include <fmt/format.h>

namespace po = boost::program_options;

namespace {

// A saved smartctl output is a few tens of kilobytes; anything past this is not one.
constexpr std::size_t kMaxInputBytes = std::size_t{64} << 20U;

// A file the user named on the command line (not a system path, so not read through the
// Root), or standard input for "-".
std::expected<std::string, diag::Error> read_input(const std::string& path) {
    std::ifstream file;
    if (path != "-") {
        file.open(path, std::ios::binary);
        if (!file) {
            return std::unexpected(diag::system_error("open", path, errno));
        }
    }
    std::istream& in = path == "-" ? std::cin : file;
    std::string text;
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (in.bad()) {
        return std::unexpected(diag::Error{"read", path, "read error", 0});
    }
    if (text.size() > kMaxInputBytes) {
        return std::unexpected(diag::Error{"read", path, "larger than 64 MiB", 0});
    }
    return text;
}

diag::Report judge_smartctl_files(const std::vector<std::string>& files) {
    diag::Report report;
    for (const auto& file : files) {
        auto text = read_input(file);
        if (!text) {
            report.issues.push_back(diag::to_issue(text.error()));
            continue;
        }
        auto imported = diag::disk::import_smartctl_json(*text, file == "-" ? "stdin" : file);
        report.issues.insert(report.issues.end(), imported.issues.begin(), imported.issues.end());
        if (imported.disk) {
            report.merge(diag::disk::assess_disk(*imported.disk));
        }
    }
    return report;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> from_smartctl;
    std::string devices_from;
    diag::disk::SmartOptions smart;
    diag::CommandLine cli({"diag-smart",
                           "SMART health of ATA, NVMe and SAS disks, judged by evidence.",
                           "[OPTION]... [DEVICE]...", "",
                           "Reads every disk under /sys/block (or the DEVICEs named, such as sda "
                           "or /dev/nvme0n1) with ATA, SCSI and NVMe commands, one thread per "
                           "disk, and judges what they say beside the kernel's own error count. "
                           "Needs root to send the commands. Disks without SMART (virtio, loop, "
                           "md, dm, ...) are listed as info issues."});
    cli.tool_options().add_options()(
        "from-smartctl", po::value(&from_smartctl)->composing()->value_name("FILE"),
        "judge saved `smartctl --json` output (- reads standard input); may repeat")(
        "devices-from", po::value(&devices_from)->value_name("DIR"),
        "read recorded devices from DIR (one folder per device, see diag-smart(1)) instead of "
        "the machine's disks")(
        "state-dir", po::value(&smart.state_dir)->value_name("DIR")->default_value(smart.state_dir),
        "keep the last counters per serial in DIR/smart-state.json, so growth shows; an empty "
        "DIR keeps none")("wake", po::bool_switch(&smart.wake),
                          "read disks in standby too (spins them up)")(
        "log-days", po::value(&smart.kernel_log_days)->value_name("N")->default_value(7),
        "read the kernel's logs of the last N days for errors about each disk; 0 reads none");
    cli.hidden_options().add_options()("device", po::value(&smart.devices)->composing());
    cli.positional().add("device", -1);

    diag::ToolSteps steps;
    steps.validate = [&]() -> std::expected<void, std::string> {
        if (!from_smartctl.empty() && (!smart.devices.empty() || !devices_from.empty())) {
            return std::unexpected(
                "give either --from-smartctl or DEVICE/--devices-from, not both");
        }
        if (!devices_from.empty()) {
            smart.devices_from = devices_from;
        }
        if (smart.kernel_log_days < 0) {
            return std::unexpected("--log-days takes a number of days, 0 or more");
        }
        smart.state_dir = diag::from_working_directory(smart.state_dir);
        return {};
    };
    steps.collect = [&](const diag::ToolContext& context) {
        if (!from_smartctl.empty()) {
            return judge_smartctl_files(from_smartctl);
        }
        auto options = smart;
        options.deadline = context.options.timeout;
        return diag::disk::collect_smart(context.root, options);
    };
    return diag::run_tool(cli, argc, argv, steps);
}
