#include "diag/crash/core_analysis.hpp"

#include "diag/core/deadline.hpp"
#include "diag/core/unique_fd.hpp"
#include "diag/crash/signal_names.hpp"

#include <array>
#include <cerrno>
#include <cstring>
#include <map>

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>

namespace diag::crash {

namespace {

// A read-only private mapping of a whole file, unmapped once.
class FileMapping {
public:
    static std::expected<FileMapping, std::string> open(const std::string& path) {
        UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
        if (!fd.valid()) {
            return std::unexpected(fmt::format("open {}: {}", path, std::strerror(errno)));
        }
        struct stat info {};
        if (::fstat(fd.get(), &info) != 0) {
            return std::unexpected(fmt::format("stat {}: {}", path, std::strerror(errno)));
        }
        FileMapping mapping;
        mapping.size_ = static_cast<std::size_t>(info.st_size);
        if (mapping.size_ == 0) {
            return mapping;
        }
        void* address = ::mmap(nullptr, mapping.size_, PROT_READ, MAP_PRIVATE, fd.get(), 0);
        if (address == MAP_FAILED) {
            return std::unexpected(fmt::format("mmap {}: {}", path, std::strerror(errno)));
        }
        mapping.address_ = address;
        return mapping;
    }
    FileMapping() = default;
    FileMapping(const FileMapping&) = delete;
    FileMapping& operator=(const FileMapping&) = delete;
    FileMapping(FileMapping&& other) noexcept
        : address_(std::exchange(other.address_, nullptr)), size_(other.size_) {}
    FileMapping& operator=(FileMapping&&) = delete;
    ~FileMapping() {
        if (address_ != nullptr) {
            ::munmap(address_, size_);
        }
    }
    [[nodiscard]] std::span<const std::byte> bytes() const {
        return {static_cast<const std::byte*>(address_), address_ != nullptr ? size_ : 0};
    }

private:
    void* address_ = nullptr;
    std::size_t size_ = 0;
};

constexpr std::array<std::string_view, 19> kAbortInternals{
    "raise",
    "abort",
    "__GI_raise",
    "__GI_abort",
    "__pthread_kill_implementation",
    "__pthread_kill_internal",
    "__GI___pthread_kill",
    "pthread_kill",
    "__pthread_kill",
    "__assert_fail",
    "__assert_fail_base",
    "__GI___assert_fail",
    "__libc_message",
    "__libc_message_impl",
    "malloc_printerr",
    "__fortify_fail",
    "__chk_fail",
    "__stack_chk_fail",
    "__restore_rt",
};

std::string hex(std::uint64_t value) {
    return fmt::format("{:#018x}", value);
}

Issue issue(IssueLevel level, std::string operation, std::string subject, std::string reason,
            std::string hint = {}) {
    return {level, std::move(operation), std::move(subject), std::move(reason), std::move(hint)};
}

void add_backtrace_issues(const std::string& path, const Backtrace& trace,
                          std::vector<Issue>& issues) {
    for (const auto& problem : trace.problems) {
        const bool debuginfo = problem.find("no debuginfo") != std::string::npos;
        issues.push_back(issue(debuginfo ? IssueLevel::info : IssueLevel::error, "unwind", path,
                               problem, debuginfo ? "" : "frames in that module show no function"));
    }
    std::map<std::string, int> stops;
    for (const auto& thread : trace.threads) {
        if (thread.stop_reason) {
            ++stops[*thread.stop_reason];
        }
    }
    for (const auto& [reason, count] : stops) {
        issues.push_back(issue(IssueLevel::info, "unwind", path,
                               fmt::format("{} thread(s) stopped early: {}", count, reason)));
    }
}

bool has_build_id(const Backtrace& trace, const std::string& build_id) {
    for (const auto& module : trace.modules) {
        if (module.build_id == build_id) {
            return true;
        }
    }
    return false;
}

std::expected<Backtrace, std::string> unwind(const std::string& path,
                                             const AnalysisOptions& options) {
    auto result = run_with_deadline(
        [path, backtrace = options.backtrace] { return backtrace_core(path, backtrace); },
        options.deadline);
    if (!result) {
        return std::unexpected(fmt::format("no answer within {} ms", options.deadline.count()));
    }
    return *result;
}

void find_crashing_thread(CoreAnalysis& analysis) {
    for (const auto& thread : analysis.layout.threads) {
        if (thread.current_signal != 0) {
            analysis.crashing_tid = thread.tid;
            return;
        }
    }
    if (!analysis.layout.threads.empty()) {
        analysis.crashing_tid = analysis.layout.threads.front().tid;
    }
}

void apply_cause_rules(CoreAnalysis& analysis, std::span<const std::byte> bytes) {
    CrashEvidence evidence;
    if (analysis.layout.signal) {
        evidence.signo = analysis.layout.signal->signo;
        evidence.code = analysis.layout.signal->code;
        evidence.fault_address = analysis.layout.signal->fault_address;
    }
    for (const auto& thread : analysis.layout.threads) {
        if (analysis.crashing_tid == thread.tid) {
            evidence.pc = thread.pc();
            evidence.sp = thread.sp();
            if (evidence.signo == 0) {
                evidence.signo = thread.current_signal;
            }
        }
    }
    if (evidence.pc && !analysis.layout.segments.empty()) {
        const auto* segment = segment_at(analysis.layout, *evidence.pc);
        evidence.pc_executable = segment != nullptr && segment->executable;
    }
    if (evidence.fault_address && !analysis.layout.segments.empty()) {
        evidence.fault_unmapped = segment_at(analysis.layout, *evidence.fault_address) == nullptr;
    }
    if (analysis.backtrace && analysis.backtrace->abort_msg_address) {
        analysis.abort_message =
            read_abort_message(analysis.layout, bytes, *analysis.backtrace->abort_msg_address);
    }
    evidence.abort_message = analysis.abort_message;
    if (const auto* stack = crashing_stack(analysis)) {
        for (const auto& frame : stack->frames) {
            evidence.abort_in_frames = evidence.abort_in_frames || frame.function == "abort";
        }
    }
    analysis.cause = likely_cause(evidence);
}

}  // namespace

Collected<CoreAnalysis> analyse_core(const std::string& core_path, const AnalysisOptions& options) {
    Collected<CoreAnalysis> result;
    auto& analysis = result.data;
    analysis.core_path = core_path;
    auto mapping = FileMapping::open(core_path);
    if (!mapping) {
        result.add_issue(issue(IssueLevel::error, "read", core_path, mapping.error()));
        return result;
    }
    const auto bytes = mapping->bytes();
    analysis.layout = parse_core(bytes);
    for (const auto& problem : analysis.layout.problems) {
        result.add_issue(issue(IssueLevel::error, "decode", core_path, problem,
                               analysis.layout.truncated()
                                   ? "the disk filled or RLIMIT_CORE cut it; frames whose "
                                     "memory is missing cannot be shown"
                                   : ""));
    }
    find_crashing_thread(analysis);

    auto trace = unwind(core_path, options);
    if (trace && options.backtrace.executable) {
        const auto& exe = *options.backtrace.executable;
        const auto exe_id = file_build_id(exe);
        if (!exe_id) {
            result.add_issue(issue(IssueLevel::error, "build-id", exe,
                                   "no GNU build-id could be read; --exe not checked"));
        } else if (!has_build_id(*trace, *exe_id)) {
            result.add_issue(issue(IssueLevel::error, "build-id", exe,
                                   fmt::format("build-id {} is not in the core: this is not the "
                                               "executable that crashed; it was not used",
                                               *exe_id),
                                   "give the exact binary that crashed, or none"));
            auto plain = options;
            plain.backtrace.executable.reset();
            trace = unwind(core_path, plain);
        }
    }
    if (!trace) {
        result.add_issue(issue(IssueLevel::error, "unwind", core_path, trace.error()));
    } else {
        add_backtrace_issues(core_path, *trace, result.issues);
        analysis.backtrace = std::move(*trace);
    }
    apply_cause_rules(analysis, bytes);
    if (const auto* stack = crashing_stack(analysis)) {
        analysis.signature = crash_signature(*stack);
    }
    return result;
}

const ThreadStack* crashing_stack(const CoreAnalysis& analysis) {
    if (!analysis.backtrace || analysis.backtrace->threads.empty()) {
        return nullptr;
    }
    for (const auto& thread : analysis.backtrace->threads) {
        if (analysis.crashing_tid == thread.tid) {
            return &thread;
        }
    }
    return &analysis.backtrace->threads.front();
}

bool is_abort_internal(std::string_view function) {
    // GCC's clones (".cold", ".isra.0", ".part.0", ".constprop.0") are the same function.
    function = function.substr(0, function.find('.'));
    for (const auto name : kAbortInternals) {
        if (function == name) {
            return true;
        }
    }
    return false;
}

std::string crash_signature(const ThreadStack& stack) {
    constexpr std::size_t kSignatureFrames = 3;
    std::string signature;
    std::size_t taken = 0;
    for (const auto& frame : stack.frames) {
        if (taken == kSignatureFrames) {
            break;
        }
        if (is_abort_internal(frame.function)) {
            continue;
        }
        if (!signature.empty()) {
            signature += " < ";
        }
        signature += fmt::format("{}!{}", frame.module.empty() ? "?" : frame.module,
                                 frame.function.empty() ? "??" : frame.function);
        ++taken;
    }
    return signature;
}

std::string format_stack(const ThreadStack& stack) {
    std::string text;
    for (const auto& frame : stack.frames) {
        text += fmt::format("  #{:<3} {} in {}", frame.number, hex(frame.pc),
                            frame.function.empty() ? "??" : frame.function);
        if (frame.inlined) {
            text += " [inlined]";
        }
        if (frame.file) {
            text += fmt::format(" at {}:{}", *frame.file, frame.line.value_or(0));
            if (frame.column) {
                text += fmt::format(":{}", *frame.column);
            }
        }
        if (!frame.module.empty() && frame.module_offset) {
            text += fmt::format(" [{}+{:#x}]", frame.module, *frame.module_offset);
        }
        text += '\n';
    }
    if (stack.cut_by_limit) {
        text += "  ... (more frames; raise -n)\n";
    }
    if (stack.stop_reason) {
        text += fmt::format("  (unwinding stopped: {})\n", *stack.stop_reason);
    }
    return text;
}

namespace {

std::string signal_line(const CoreAnalysis& analysis) {
    if (!analysis.layout.signal) {
        return "signal: unknown (no NT_SIGINFO note)\n";
    }
    const auto& signal = *analysis.layout.signal;
    auto text = fmt::format("signal: {} ({}), si_code {} ({})",
                            signal_name(signal.signo).value_or("?"), signal.signo, signal.code,
                            si_code_name(signal.signo, signal.code).value_or("?"));
    if (signal.fault_address) {
        text += fmt::format(", fault address {:#x}", *signal.fault_address);
    }
    if (signal.sender_pid && signal.code <= 0) {
        text += fmt::format(", sent by pid {} uid {}", *signal.sender_pid,
                            signal.sender_uid.value_or(0));
    }
    return text + '\n';
}

std::string registers_text(const ThreadStatus& thread) {
    std::string text;
    for (std::size_t i = 0; i < thread.registers.size() && i < kAmd64RegisterNames.size(); ++i) {
        text += fmt::format("{:>8} {:#018x}{}", kAmd64RegisterNames.at(i), thread.registers[i],
                            i % 3 == 2 ? "\n" : "  ");
    }
    if (!text.empty() && text.back() != '\n') {
        text += '\n';
    }
    return text;
}

}  // namespace

std::string format_core_text(const CoreAnalysis& analysis) {
    std::string text = fmt::format("core: {}\n", analysis.core_path);
    if (analysis.layout.process) {
        const auto& process = *analysis.layout.process;
        text += fmt::format("process: {} pid {} uid {} ({})\n", process.name, process.pid,
                            process.uid, process.arguments);
    }
    text += signal_line(analysis);
    text += fmt::format("cause: {}\n", analysis.cause.summary);
    if (!analysis.signature.empty()) {
        text += fmt::format("signature: {}\n", analysis.signature);
    }
    for (const auto& thread : analysis.layout.threads) {
        if (analysis.crashing_tid == thread.tid && !thread.registers.empty()) {
            text +=
                fmt::format("\nregisters of thread {}:\n{}", thread.tid, registers_text(thread));
        }
    }
    if (!analysis.backtrace) {
        return text;
    }
    const auto* crashing = crashing_stack(analysis);
    if (crashing != nullptr) {
        text += fmt::format("\ncrashing thread {}:\n{}", crashing->tid, format_stack(*crashing));
    }
    for (const auto& group : fold_identical_stacks(analysis.backtrace->threads)) {
        if (group.tids.size() == 1 && group.stack == crashing) {
            continue;
        }
        if (group.tids.size() == 1) {
            text += fmt::format("\nthread {}:\n", group.tids.front());
        } else {
            text +=
                fmt::format("\n{} threads: {}\n", group.tids.size(), fmt::join(group.tids, " "));
        }
        text += format_stack(*group.stack);
    }
    return text;
}

Finding crash_finding(const CoreAnalysis& analysis) {
    Finding finding;
    finding.severity = Severity::critical;
    finding.check = "crash.core";
    const auto name = analysis.layout.process ? analysis.layout.process->name : std::string("?");
    const auto pid = analysis.layout.process ? analysis.layout.process->pid : 0;
    finding.subject = fmt::format("{} pid {}", name, pid);
    const auto signo = analysis.layout.signal ? analysis.layout.signal->signo : 0;
    finding.summary =
        fmt::format("{} crashed with {}: {}", name,
                    signal_name(signo).value_or("an unknown signal"), analysis.cause.summary);
    finding.evidence.push_back({"core", analysis.core_path});
    if (analysis.layout.signal) {
        const auto& signal = *analysis.layout.signal;
        finding.evidence.push_back({"signal", std::string(signal_name(signo).value_or("?"))});
        finding.evidence.push_back(
            {"si_code", std::string(si_code_name(signo, signal.code).value_or("?"))});
        if (signal.fault_address) {
            finding.evidence.push_back(
                {"fault_address", fmt::format("{:#x}", *signal.fault_address)});
        }
    }
    finding.evidence.push_back({"cause", analysis.cause.summary});
    if (analysis.abort_message) {
        finding.evidence.push_back({"abort_message", *analysis.abort_message});
    }
    if (!analysis.signature.empty()) {
        finding.evidence.push_back({"signature", analysis.signature});
    }
    if (const auto* stack = crashing_stack(analysis)) {
        finding.evidence.push_back({"crashing_tid", static_cast<std::int64_t>(stack->tid)});
        for (const auto& frame : stack->frames) {
            if (!is_abort_internal(frame.function)) {
                finding.evidence.push_back({"crashing_frame", frame.function});
                break;
            }
        }
        finding.evidence.push_back(
            {"frames_count", static_cast<std::uint64_t>(stack->frames.size())});
        // The real (not inlined) frames, innermost first, one per line, "??" when unnamed.
        std::string functions;
        for (const auto& frame : stack->frames) {
            if (!frame.inlined) {
                functions += (frame.function.empty() ? "??" : frame.function) + "\n";
            }
        }
        finding.evidence.push_back({"crashing_functions", functions});
    }
    if (analysis.backtrace) {
        finding.evidence.push_back(
            {"threads_count", static_cast<std::uint64_t>(analysis.backtrace->threads.size())});
    }
    finding.source =
        "NT_SIGINFO and NT_PRSTATUS of the core (fs/binfmt_elf.c); rules in "
        "diag-core(1) LIKELY CAUSE";
    return finding;
}

}  // namespace diag::crash
