// diag: the front command. "diag sys -v" runs "diag-sys -v"; "diag" alone lists the tools.

#include <diag/cli/tool_main.hpp>
#include <diag/version.hpp>

#include <array>
#include <cerrno>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include <unistd.h>

namespace {

struct ToolEntry {
    std::string_view name;
    std::string_view summary;
};

constexpr std::array<ToolEntry, 7> kTools{{
    {"core", "backtraces of core dumps and hung processes, with the likely cause"},
    {"logs", "one timeline from syslog, kernel, Apache and nginx logs, with incidents"},
    {"nic", "network interfaces by layer: errors, drops, rates, link flaps, speed, duplex"},
    {"mem", "memory error history (EDAC, poisoned pages) and a fast memory tester"},
    {"report", "the whole box at once, every collector, findings ranked"},
    {"smart", "SMART health of ATA, NVMe and SAS disks, judged by published evidence"},
    {"sys", "memory, pressure, load, CPU, kernel taint, filesystems, TCP, clock"},
}};

// Directory of this executable, so "diag sys" runs the diag-sys installed beside it.
std::string own_directory() {
    std::array<char, 4096> path{};
    const ssize_t length = ::readlink("/proc/self/exe", path.data(), path.size() - 1);
    if (length <= 0) {
        return {};
    }
    std::string exe(path.data(), static_cast<std::size_t>(length));
    return exe.substr(0, exe.find_last_of('/'));
}

void print_tools() {
    fmt::print(
        "Usage: diag TOOL [OPTION]...\n"
        "Troubleshooting and diagnostics for a failing Linux box.\n\nTools:\n");
    for (const auto& tool : kTools) {
        fmt::print("  {:<10} {}\n", tool.name, tool.summary);
    }
    fmt::print("\n'diag TOOL --help' shows a tool's options. See diag(7).\n");
}

}  // namespace

int main(int argc, char** argv) {
    constexpr int kUsage = 64;
    diag::install_tool_crash_handler();
    if (argc < 2) {
        print_tools();
        return 0;
    }
    const std::string_view first = argv[1];
    if (first == "-h" || first == "--help") {
        print_tools();
        return 0;
    }
    if (first == "-V" || first == "--version") {
        fmt::print("diag {}\n", diag::kVersion);
        return 0;
    }
    bool known = false;
    for (const auto& tool : kTools) {
        known = known || tool.name == first;
    }
    if (!known) {
        fmt::print(stderr, "diag: unknown tool '{}'\nTry 'diag --help' for the list.\n", first);
        return kUsage;
    }
    const std::string program = fmt::format("diag-{}", first);
    std::vector<char*> args;
    args.push_back(const_cast<char*>(program.c_str()));
    for (int i = 2; i < argc; ++i) {
        args.push_back(argv[i]);
    }
    args.push_back(nullptr);

    if (const auto dir = own_directory(); !dir.empty()) {
        const std::string beside = dir + "/" + program;
        ::execv(beside.c_str(), args.data());
    }
    ::execvp(program.c_str(), args.data());
    fmt::print(stderr, "diag: run {}: {}\n", program, std::strerror(errno));
    return 127;
}
