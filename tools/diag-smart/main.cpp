// diag-smart: SMART health of ATA, NVMe and SAS disks, judged by evidence.
// This first version judges saved `smartctl --json` output; probing the disks directly comes
// with the probes of issue #3.

#include <diag/cli/tool_main.hpp>
#include <diag/core/error.hpp>
#include <diag/disk/disk_assess.hpp>
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
    std::vector<std::string> devices;
    diag::CommandLine cli({"diag-smart",
                           "SMART health of ATA, NVMe and SAS disks, judged by evidence.",
                           "[OPTION]... --from-smartctl FILE...", "",
                           "Reads smartctl --json output (smartctl 6.x to 7.5) saved from any "
                           "machine. Probing disks directly is not in this version yet."});
    cli.tool_options().add_options()(
        "from-smartctl", po::value(&from_smartctl)->composing()->value_name("FILE"),
        "judge saved `smartctl --json` output (- reads standard input); may repeat");
    cli.hidden_options().add_options()("device", po::value(&devices)->composing());
    cli.positional().add("device", -1);

    diag::ToolSteps steps;
    steps.validate = [&]() -> std::expected<void, std::string> {
        if (from_smartctl.empty()) {
            // TODO(#3): probe DEVICE... (all disks by default) through SG_IO and NVMe ioctls.
            return std::unexpected(
                "probing disks is not implemented yet; give --from-smartctl "
                "FILE with the output of smartctl --json -x DEVICE");
        }
        if (!devices.empty()) {
            return std::unexpected("give either DEVICE or --from-smartctl, not both");
        }
        return {};
    };
    steps.collect = [&](const diag::ToolContext&) { return judge_smartctl_files(from_smartctl); };
    return diag::run_tool(cli, argc, argv, steps);
}
