#include "diag/crash/live_process.hpp"

#include "diag/core/deadline.hpp"
#include "diag/crash/core_analysis.hpp"

#include <charconv>
#include <cstddef>
#include <map>

#include <fmt/format.h>

#include <sys/uio.h>

namespace diag::crash {

namespace {

std::string trimmed(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
        text.pop_back();
    }
    return text;
}

const LiveThread* thread_info(const LiveProcess& process, int tid) {
    for (const auto& thread : process.threads) {
        if (thread.tid == tid) {
            return &thread;
        }
    }
    return nullptr;
}

const LockWait* lock_wait_of(const LiveProcess& process, int tid) {
    for (const auto& wait : process.lock_waits) {
        if (wait.tid == tid) {
            return &wait;
        }
    }
    return nullptr;
}

std::string describe_thread(const LiveProcess& process, int tid) {
    const auto* info = thread_info(process, tid);
    if (info == nullptr) {
        return fmt::format("{}", tid);
    }
    auto text = fmt::format("{} \"{}\" state {}", tid, info->name, info->state.value_or('?'));
    if (info->state == 'D') {
        text += " (UNINTERRUPTIBLE: waiting on I/O or a kernel lock)";
    }
    if (!info->wchan.empty() && info->wchan != "0") {
        text += fmt::format(" wchan {}", info->wchan);
    }
    if (const auto* wait = lock_wait_of(process, tid)) {
        text += fmt::format(" waits for mutex {:#x}", wait->mutex_address);
        text += wait->owner_tid ? fmt::format(" held by {}", *wait->owner_tid)
                                : std::string(" (owner unknown)");
    }
    return text;
}

// Reads bytes of another process's memory (process_vm_readv(2), the same permission as
// ptrace); nullopt when the address is not mapped or access is refused.
std::optional<std::vector<std::byte>> read_memory(int pid, std::uint64_t address,
                                                  std::size_t size) {
    std::vector<std::byte> bytes(size);
    iovec local{bytes.data(), size};
    // NOLINTNEXTLINE(performance-no-int-to-ptr): a remote address is an integer by nature
    iovec remote{reinterpret_cast<void*>(address), size};
    const auto got = ::process_vm_readv(pid, &local, 1, &remote, 1, 0);
    if (got != static_cast<ssize_t>(size)) {
        return std::nullopt;
    }
    return bytes;
}

std::vector<std::string> function_names(const ThreadStack& stack) {
    std::vector<std::string> names;
    for (const auto& frame : stack.frames) {
        names.push_back(frame.function);
    }
    return names;
}

// The threads whose stack is in pthread_mutex_lock and whose futex is known, with their owners
// read from the process (which is no longer stopped: a deadlocked owner does not change).
std::vector<LockWait> read_lock_waits(int pid, const LiveProcess& process) {
    std::vector<LockWait> waits;
    if (!process.backtrace) {
        return waits;
    }
    for (const auto& stack : process.backtrace->threads) {
        const auto* info = thread_info(process, stack.tid);
        if (info == nullptr || !info->futex || !waits_in_mutex_lock(function_names(stack))) {
            continue;
        }
        LockWait wait{stack.tid, info->futex->address, std::nullopt};
        if (auto bytes = read_memory(pid, wait.mutex_address, kMutexBytes)) {
            wait.owner_tid = mutex_owner(*bytes, info->futex->owner_in_word);
        }
        waits.push_back(wait);
    }
    return waits;
}

void find_deadlocks(int pid, LiveProcess& process, std::chrono::milliseconds deadline,
                    std::vector<Issue>& issues) {
    const auto base = fmt::format("/proc/{}", pid);
    auto waits = run_with_deadline(
        [pid, snapshot = process] { return read_lock_waits(pid, snapshot); }, deadline);
    if (!waits) {
        issues.push_back({IssueLevel::error, "read", base,
                          fmt::format("mutex owners: no answer within {} ms", deadline.count()),
                          ""});
        return;
    }
    process.lock_waits = std::move(*waits);
    process.deadlocks = find_wait_cycles(process.lock_waits);
}

}  // namespace

std::optional<char> stat_state(std::string_view stat_line) {
    const auto close = stat_line.rfind(')');
    if (close == std::string_view::npos || close + 2 >= stat_line.size()) {
        return std::nullopt;
    }
    return stat_line[close + 2];
}

Collected<LiveProcess> analyse_process(const Root& root, int pid, const BacktraceOptions& options,
                                       std::chrono::milliseconds deadline) {
    Collected<LiveProcess> result;
    auto& process = result.data;
    process.pid = pid;
    const auto base = fmt::format("/proc/{}", pid);
    if (auto comm = root.read_file(base + "/comm")) {
        process.name = trimmed(*comm);
    } else {
        result.add_issue(comm.error());
        return result;
    }
    auto tids = root.list_dir(base + "/task");
    if (!tids) {
        result.add_issue(tids.error());
    } else {
        for (const auto& name : *tids) {
            LiveThread thread;
            std::from_chars(name.data(), name.data() + name.size(), thread.tid);
            const auto task = fmt::format("{}/task/{}", base, name);
            thread.name = trimmed(root.read_file(task + "/comm").value_or(""));
            if (auto stat = root.read_file(task + "/stat")) {
                thread.state = stat_state(*stat);
            }
            thread.wchan = trimmed(root.read_file(task + "/wchan").value_or(""));
            thread.kernel_stack = root.read_file(task + "/stack").value_or("");
            // Read before attaching: a ptrace stop takes the thread out of its futex wait.
            if (auto call = root.read_file(task + "/syscall")) {
                if (auto state = parse_syscall_line(*call)) {
                    thread.futex = futex_wait(*state);
                }
            }
            process.threads.push_back(std::move(thread));
        }
    }
    if (!root.is_live()) {
        result.add_issue({IssueLevel::info, "unwind", base, "not the live root",
                          "stacks are read from a running process only"});
        return result;
    }
    auto trace =
        run_with_deadline([pid, options] { return backtrace_process(pid, options); }, deadline);
    if (!trace) {
        result.add_issue({IssueLevel::error, "unwind", base,
                          fmt::format("no answer within {} ms", deadline.count()), ""});
    } else if (!*trace) {
        result.add_issue({IssueLevel::error, "unwind", base, trace->error(),
                          "run as root, or allow ptrace (kernel.yama.ptrace_scope)"});
    } else {
        for (const auto& problem : (*trace)->problems) {
            result.add_issue({IssueLevel::info, "unwind", base, problem, ""});
        }
        process.backtrace = std::move(**trace);
        find_deadlocks(pid, process, deadline, result.issues);
    }
    return result;
}

std::string format_live_text(const LiveProcess& process) {
    auto text = fmt::format("process: {} pid {}, {} threads\n", process.name, process.pid,
                            process.threads.size());
    if (!process.backtrace) {
        for (const auto& thread : process.threads) {
            text += fmt::format("\nthread {}\n", describe_thread(process, thread.tid));
        }
        return text;
    }
    for (const auto& group : fold_identical_stacks(process.backtrace->threads)) {
        if (group.tids.size() == 1) {
            text += fmt::format("\nthread {}:\n", describe_thread(process, group.tids.front()));
        } else {
            text += fmt::format("\n{} threads:\n", group.tids.size());
            for (const int tid : group.tids) {
                text += fmt::format("  {}\n", describe_thread(process, tid));
            }
        }
        text += format_stack(*group.stack);
    }
    for (const auto& cycle : process.deadlocks) {
        text += fmt::format("\nDEADLOCK: {}\n", describe_wait_cycle(cycle));
    }
    return text;
}

Report assess_live(const LiveProcess& process) {
    Report report;
    report.assessed_count = process.threads.empty() ? 0 : 1;
    const auto subject = fmt::format("{} pid {}", process.name, process.pid);
    std::vector<int> blocked;
    for (const auto& thread : process.threads) {
        if (thread.state == 'D') {
            blocked.push_back(thread.tid);
        }
    }
    Finding finding;
    finding.check = "crash.live.uninterruptible";
    finding.subject = subject;
    finding.source = "proc(5), /proc/PID/task/TID/stat field 3";
    if (blocked.empty()) {
        finding.summary =
            fmt::format("{} threads, none in uninterruptible sleep", process.threads.size());
    } else {
        finding.severity = Severity::warning;
        finding.summary =
            fmt::format("{} of {} threads in uninterruptible sleep (D): {}", blocked.size(),
                        process.threads.size(), fmt::join(blocked, " "));
    }
    finding.evidence.push_back(
        {"threads_count", static_cast<std::uint64_t>(process.threads.size())});
    finding.evidence.push_back(
        {"uninterruptible_count", static_cast<std::uint64_t>(blocked.size())});
    report.findings.push_back(std::move(finding));
    for (const auto& cycle : process.deadlocks) {
        Finding deadlock;
        deadlock.severity = Severity::critical;
        deadlock.check = "crash.live.deadlock";
        deadlock.subject = subject;
        deadlock.summary = "deadlock: " + describe_wait_cycle(cycle);
        deadlock.source =
            "/proc/PID/task/TID/syscall futex address; glibc pthread_mutex_t __owner "
            "(sysdeps/nptl/bits/struct_mutex.h)";
        std::vector<int> tids;
        for (const auto& wait : cycle) {
            tids.push_back(wait.tid);
        }
        deadlock.evidence.push_back({"threads", fmt::format("{}", fmt::join(tids, " "))});
        report.findings.push_back(std::move(deadlock));
    }
    return report;
}

}  // namespace diag::crash
