#include "diag/crash/core_enable.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <map>
#include <utility>

#include <fmt/format.h>

#include <sys/resource.h>

namespace diag::crash {

namespace {

// systemd-coredump treats a limit below one page as "no core" (src/coredump/coredump.c,
// "Resource limits disable core dumping"); x86-64 pages are 4 KiB.
constexpr std::uint64_t kPageBytes = 4096;

std::optional<std::uint64_t> parse_unsigned(std::string_view text) {
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

std::optional<CoreLimitBytes> parse_limit_word(std::string_view word) {
    if (word == "unlimited") {
        return CoreLimitBytes{};
    }
    if (auto bytes = parse_unsigned(word)) {
        return std::optional<CoreLimitBytes>(std::in_place, bytes);
    }
    return std::nullopt;
}

std::string_view next_word(std::string_view& text) {
    const auto start = text.find_first_not_of(' ');
    if (start == std::string_view::npos) {
        text = {};
        return {};
    }
    text.remove_prefix(start);
    const auto end = std::min(text.find(' '), text.size());
    const auto word = text.substr(0, end);
    text.remove_prefix(end);
    return word;
}

std::string trimmed(std::string_view text) {
    const auto start = text.find_first_not_of(" \t\n");
    if (start == std::string_view::npos) {
        return {};
    }
    const auto end = text.find_last_not_of(" \t\n");
    return std::string(text.substr(start, end - start + 1));
}

// Storage= in a coredump.conf text (systemd.syntax(7): "Key=value" lines, '#' and ';' start
// comments); empty when the text does not set it.
std::string storage_setting(std::string_view text) {
    std::string storage;
    while (!text.empty()) {
        const auto end = std::min(text.find('\n'), text.size());
        const auto line = trimmed(text.substr(0, end));
        text.remove_prefix(std::min(end + 1, text.size()));
        if (line.starts_with("Storage=")) {
            storage = trimmed(std::string_view(line).substr(8));
        }
    }
    return storage;
}

std::optional<int> parent_pid(std::string_view stat) {
    // proc(5): "pid (comm) state ppid ...", comm may hold spaces and parentheses.
    const auto close = stat.rfind(')');
    if (close == std::string_view::npos) {
        return std::nullopt;
    }
    auto rest = stat.substr(close + 1);
    next_word(rest);
    const auto ppid = next_word(rest);
    int value = 0;
    const auto [end, error] = std::from_chars(ppid.data(), ppid.data() + ppid.size(), value);
    if (error != std::errc{} || end != ppid.data() + ppid.size()) {
        return std::nullopt;
    }
    return value;
}

void assess_pipe(const CoreSetup& setup, CoreVerdict& verdict) {
    const auto& pattern = setup.pattern;
    const auto soft = setup.limit ? setup.limit->soft_bytes : CoreLimitBytes{};
    if (!setup.pipe_program_present) {
        verdict.summary =
            fmt::format("no core: the core_pattern program {} does not exist", pattern.program);
        return;
    }
    verdict.reasons.push_back(
        "RLIMIT_CORE is not enforced by the kernel for a pipe (core(5)); the handler may");
    if (soft == 1U) {
        // fs/coredump.c do_coredump: a limit of 1 with a pipe aborts the dump.
        verdict.summary = "no core: RLIMIT_CORE is 1, which the kernel takes as \"no pipe\"";
        verdict.limit_blocks = true;
        return;
    }
    if (pattern.handler == CoreHandler::systemd_coredump) {
        if (soft && *soft < kPageBytes) {
            verdict.summary = fmt::format(
                "no core kept: systemd-coredump honours RLIMIT_CORE ({}) and logs only a "
                "journal entry",
                describe_limit(soft));
            verdict.limit_blocks = true;
        } else if (setup.coredump_storage == "none") {
            verdict.summary =
                "no core kept: systemd-coredump has Storage=none (journal entry "
                "only)";
        } else if (setup.coredump_storage == "journal") {
            verdict.summary =
                "core kept inside the journal (Storage=journal); coredumpctl "
                "dump extracts it";
        } else {
            verdict.core_kept = true;
            verdict.summary =
                "core goes to systemd-coredump, kept compressed under "
                "/var/lib/systemd/coredump (diag-core --list)";
        }
        return;
    }
    if (pattern.handler == CoreHandler::apport) {
        verdict.core_kept = true;
        verdict.summary = "core goes to apport, which writes a report under /var/crash";
        return;
    }
    verdict.summary =
        fmt::format("core piped to {}; what it keeps is up to that program", pattern.program);
}

void assess_file(const CoreSetup& setup, CoreVerdict& verdict) {
    const auto& pattern = setup.pattern;
    const auto soft = setup.limit ? setup.limit->soft_bytes : CoreLimitBytes{};
    const auto directory = !pattern.directory.empty() ? pattern.directory
                           : !setup.working_directory.empty()
                               ? setup.working_directory
                               : std::string("the working directory");
    if (!setup.limit) {
        verdict.summary = "unknown: RLIMIT_CORE could not be read";
        return;
    }
    if (soft == 0U) {
        verdict.summary = "no core: RLIMIT_CORE is 0 (ulimit -c 0)";
        verdict.limit_blocks = true;
        return;
    }
    verdict.core_kept = true;
    verdict.summary = fmt::format("core written to {}/{}", directory, pattern.file_pattern);
    if (soft) {
        verdict.reasons.push_back(fmt::format(
            "cores above {} are cut short (a truncated core loses stacks)", describe_limit(soft)));
        verdict.limit_blocks = true;
    }
}

}  // namespace

std::optional<CoreLimit> parse_core_limit(std::string_view limits_text) {
    constexpr std::string_view kName = "Max core file size";
    const auto at = limits_text.find(kName);
    if (at == std::string_view::npos) {
        return std::nullopt;
    }
    auto line = limits_text.substr(at + kName.size());
    line = line.substr(0, line.find('\n'));
    const auto soft = parse_limit_word(next_word(line));
    const auto hard = parse_limit_word(next_word(line));
    if (!soft || !hard) {
        return std::nullopt;
    }
    return CoreLimit{*soft, *hard};
}

std::string describe_limit(const CoreLimitBytes& bytes) {
    return bytes ? fmt::format("{} bytes", *bytes) : std::string("unlimited");
}

CoreVerdict assess_core_setup(const CoreSetup& setup) {
    CoreVerdict verdict;
    verdict.reasons.push_back(fmt::format("core_pattern: {} ({})", setup.pattern.text,
                                          handler_name(setup.pattern.handler)));
    if (setup.limit) {
        const auto owner =
            setup.pid == 0 ? std::string("this shell") : fmt::format("pid {}", setup.pid);
        verdict.reasons.push_back(fmt::format("RLIMIT_CORE of {}: soft {}, hard {}", owner,
                                              describe_limit(setup.limit->soft_bytes),
                                              describe_limit(setup.limit->hard_bytes)));
    }
    if (setup.pattern.is_pipe) {
        assess_pipe(setup, verdict);
    } else {
        assess_file(setup, verdict);
    }
    if (setup.suid_dumpable == 0) {
        verdict.reasons.push_back(
            "fs.suid_dumpable is 0: set-user-ID programs and processes that changed their "
            "credentials leave no core (core(5))");
    }
    return verdict;
}

Collected<CoreSetup> read_core_setup(const Root& root, int pid) {
    Collected<CoreSetup> result;
    auto& setup = result.data;
    setup.pid = pid;
    const auto proc = pid == 0 ? std::string("/proc/self") : fmt::format("/proc/{}", pid);
    if (auto text = root.read_file("/proc/sys/kernel/core_pattern")) {
        setup.pattern = parse_core_pattern(*text);
    } else {
        result.add_issue(text.error());
    }
    if (auto limits = root.read_file(proc + "/limits")) {
        setup.limit = parse_core_limit(*limits);
    } else {
        result.add_issue(limits.error());
    }
    if (auto text = root.read_file("/proc/sys/fs/suid_dumpable")) {
        if (auto value = parse_unsigned(trimmed(*text))) {
            setup.suid_dumpable = static_cast<int>(*value);
        }
    }
    if (setup.pattern.is_pipe) {
        setup.pipe_program_present = root.exists(setup.pattern.program);
    }
    // coredump.conf(5): the main file, then drop-ins in name order, the last setting wins.
    if (auto text = root.read_file("/etc/systemd/coredump.conf")) {
        setup.coredump_storage = storage_setting(*text);
    }
    if (auto names = root.list_dir("/etc/systemd/coredump.conf.d")) {
        for (const auto& name : *names) {
            if (auto text = root.read_file("/etc/systemd/coredump.conf.d/" + name)) {
                if (auto storage = storage_setting(*text); !storage.empty()) {
                    setup.coredump_storage = storage;
                }
            }
        }
    }
    if (!setup.pattern.is_pipe && setup.pattern.directory.empty()) {
        setup.working_directory = root.read_link(proc + "/cwd").value_or("");
    }
    return result;
}

std::vector<int> process_tree(const Root& root, int pid) {
    std::multimap<int, int> children;
    if (auto names = root.list_dir("/proc")) {
        for (const auto& name : *names) {
            int child = 0;
            const auto [end, error] =
                std::from_chars(name.data(), name.data() + name.size(), child);
            if (error != std::errc{} || end != name.data() + name.size()) {
                continue;
            }
            if (auto stat = root.read_file("/proc/" + name + "/stat")) {
                if (auto parent = parent_pid(*stat)) {
                    children.emplace(*parent, child);
                }
            }
        }
    }
    std::vector<int> tree{pid};
    for (std::size_t i = 0; i < tree.size(); ++i) {
        const auto [first, last] = children.equal_range(tree[i]);
        for (auto at = first; at != last; ++at) {
            tree.push_back(at->second);
        }
    }
    return tree;
}

std::expected<CoreLimit, std::string> raise_core_limit(int pid) {
    rlimit old{};
    if (::prlimit(pid, RLIMIT_CORE, nullptr, &old) != 0) {
        return std::unexpected(fmt::format("prlimit pid {}: {}", pid, std::strerror(errno)));
    }
    rlimit wanted{RLIM_INFINITY, RLIM_INFINITY};
    if (::prlimit(pid, RLIMIT_CORE, &wanted, nullptr) != 0) {
        // Without CAP_SYS_RESOURCE the hard limit cannot rise; the soft one can reach it.
        wanted = {old.rlim_max, old.rlim_max};
        if (::prlimit(pid, RLIMIT_CORE, &wanted, nullptr) != 0) {
            return std::unexpected(fmt::format("prlimit pid {}: {}", pid, std::strerror(errno)));
        }
    }
    const auto bytes = [](rlim_t value) {
        return value == RLIM_INFINITY ? CoreLimitBytes{} : CoreLimitBytes{value};
    };
    return CoreLimit{bytes(wanted.rlim_cur), bytes(wanted.rlim_max)};
}

}  // namespace diag::crash
