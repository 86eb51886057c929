#include "diag/crash/backtrace.hpp"

#include "diag/core/unique_fd.hpp"
#include "diag/crash/core_file.hpp"
#include "diag/crash/debuginfo_cache.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <set>
#include <span>

#include <elfutils/libdw.h>
#include <elfutils/libdwelf.h>
#include <elfutils/libdwfl.h>
#include <fmt/format.h>

#include <cxxabi.h>
#include <dwarf.h>
#include <fcntl.h>
#include <libelf.h>

namespace diag::crash {

namespace {

struct DwflDeleter {
    void operator()(Dwfl* dwfl) const { dwfl_end(dwfl); }
};
struct ElfDeleter {
    void operator()(Elf* elf) const { elf_end(elf); }
};
struct FreeDeleter {
    void operator()(void* pointer) const { std::free(pointer); }  // NOLINT(*-no-malloc)
};
using DwflPtr = std::unique_ptr<Dwfl, DwflDeleter>;
using ElfPtr = std::unique_ptr<Elf, ElfDeleter>;

// NULL means the default path: build-id links and .debug next to the file and under
// /usr/lib/debug (elfutils' DEFAULT_DEBUGINFO_PATH). dwfl_standard_find_debuginfo asks
// debuginfod itself when DEBUGINFOD_URLS is set (elfutils 0.178 and later).
char* g_debuginfo_path = nullptr;  // NOLINT(*-avoid-non-const-global-variables)

const Dwfl_Callbacks kCoreCallbacks = {
    .find_elf = dwfl_build_id_find_elf,
    .find_debuginfo = find_debuginfo_cached,
    .section_address = nullptr,
    .debuginfo_path = &g_debuginfo_path,
};

const Dwfl_Callbacks kProcessCallbacks = {
    .find_elf = dwfl_linux_proc_find_elf,
    .find_debuginfo = find_debuginfo_cached,
    .section_address = nullptr,
    .debuginfo_path = &g_debuginfo_path,
};

std::string dwfl_error() {
    return dwfl_errmsg(-1);
}

std::string demangle(const char* name) {
    if (name == nullptr) {
        return {};
    }
    int status = 0;
    std::unique_ptr<char, FreeDeleter> readable(
        abi::__cxa_demangle(name, nullptr, nullptr, &status));
    return status == 0 && readable ? std::string(readable.get()) : std::string(name);
}

std::string base_name(const char* path) {
    if (path == nullptr) {
        return {};
    }
    const char* slash = std::strrchr(path, '/');
    return slash != nullptr ? slash + 1 : path;
}

std::string hex_bytes(const unsigned char* bits, int length) {
    std::string text;
    for (int i = 0; i < length; ++i) {
        text += fmt::format("{:02x}", bits[i]);
    }
    return text;
}

// The name of a subprogram or inlined-subroutine DIE, following abstract origins.
std::string die_function_name(Dwarf_Die* die) {
    Dwarf_Attribute attribute;
    for (const unsigned name : {DW_AT_linkage_name, DW_AT_MIPS_linkage_name}) {
        if (dwarf_attr_integrate(die, name, &attribute) != nullptr) {
            if (const char* text = dwarf_formstring(&attribute)) {
                return demangle(text);
            }
        }
    }
    if (dwarf_attr_integrate(die, DW_AT_name, &attribute) != nullptr) {
        if (const char* text = dwarf_formstring(&attribute)) {
            return text;
        }
    }
    return {};
}

struct SourceSpot {
    std::optional<std::string> file;
    std::optional<int> line;
    std::optional<int> column;
};

// The call site recorded on an inlined-subroutine DIE (DWARF 5 section 3.3.8.2).
SourceSpot call_site(Dwarf_Die* inlined, Dwarf_Die* cudie) {
    SourceSpot spot;
    Dwarf_Attribute attribute;
    Dwarf_Word value = 0;
    if (dwarf_attr(inlined, DW_AT_call_file, &attribute) != nullptr &&
        dwarf_formudata(&attribute, &value) == 0) {
        Dwarf_Files* files = nullptr;
        size_t count = 0;
        if (dwarf_getsrcfiles(cudie, &files, &count) == 0 && value < count) {
            if (const char* name = dwarf_filesrc(files, value, nullptr, nullptr)) {
                spot.file = name;
            }
        }
    }
    if (dwarf_attr(inlined, DW_AT_call_line, &attribute) != nullptr &&
        dwarf_formudata(&attribute, &value) == 0) {
        spot.line = static_cast<int>(value);
    }
    if (dwarf_attr(inlined, DW_AT_call_column, &attribute) != nullptr &&
        dwarf_formudata(&attribute, &value) == 0 && value != 0) {
        spot.column = static_cast<int>(value);
    }
    return spot;
}

// What one pc turns into: its frames (inlined ones innermost first, then the real one) and
// its module. Threads that wait in the same place share their pcs, so each is described once.
struct DescribedPc {
    std::vector<Frame> frames;
    Dwfl_Module* module = nullptr;
};

struct UnwindState {
    std::size_t max_frames = 0;
    ThreadStack* current = nullptr;
    std::set<Dwfl_Module*> used_modules;
    std::map<std::pair<Dwarf_Addr, bool>, DescribedPc> described;
};

// The frames for one pc, without a limit; `number` is set when they are added to a stack.
DescribedPc describe_pc(Dwfl* dwfl, Dwarf_Addr pc, bool activation) {
    DescribedPc described;
    auto& frames = described.frames;
    // A return address points after the call; look up the call itself.
    const Dwarf_Addr lookup = activation ? pc : pc - 1;
    Frame base;
    base.pc = pc;
    Dwfl_Module* module = dwfl_addrmodule(dwfl, lookup);
    described.module = module;
    SourceSpot spot;
    if (module != nullptr) {
        Dwarf_Addr start = 0;
        const char* name =
            dwfl_module_info(module, nullptr, &start, nullptr, nullptr, nullptr, nullptr, nullptr);
        base.module = base_name(name);
        base.module_offset = pc - start;
        GElf_Off offset = 0;
        GElf_Sym symbol;
        base.function = demangle(
            dwfl_module_addrinfo(module, lookup, &offset, &symbol, nullptr, nullptr, nullptr));
        if (Dwfl_Line* line = dwfl_module_getsrc(module, lookup)) {
            int line_number = 0;
            int column = 0;
            if (const char* file =
                    dwfl_lineinfo(line, nullptr, &line_number, &column, nullptr, nullptr)) {
                spot.file = file;
                spot.line = line_number;
                if (column > 0) {
                    spot.column = column;
                }
            }
        }
    }
    // Inlined scopes, innermost first (what eu-stack -i does).
    if (module != nullptr) {
        Dwarf_Addr bias = 0;
        Dwarf_Die* cudie = dwfl_module_addrdie(module, lookup, &bias);
        Dwarf_Die* scopes = nullptr;
        const int count = cudie != nullptr ? dwarf_getscopes(cudie, lookup - bias, &scopes) : 0;
        std::unique_ptr<Dwarf_Die, FreeDeleter> owned(scopes);
        for (int i = 0; i < count; ++i) {
            Dwarf_Die* scope = &scopes[i];
            const int tag = dwarf_tag(scope);
            if (tag == DW_TAG_subprogram) {
                const auto name = die_function_name(scope);
                if (!name.empty() && base.function.empty()) {
                    base.function = name;
                }
                break;
            }
            if (tag != DW_TAG_inlined_subroutine) {
                continue;
            }
            Frame inlined = base;
            inlined.inlined = true;
            inlined.function = die_function_name(scope);
            inlined.file = spot.file;
            inlined.line = spot.line;
            inlined.column = spot.column;
            frames.push_back(std::move(inlined));
            spot = call_site(scope, cudie);
        }
    }
    base.file = spot.file;
    base.line = spot.line;
    base.column = spot.column;
    frames.push_back(std::move(base));
    return described;
}

// Adds the frames for one pc to the current stack, up to the frame limit.
void add_frames(Dwfl* dwfl, Dwarf_Addr pc, bool activation, UnwindState& state) {
    const auto key = std::make_pair(pc, activation);
    auto found = state.described.find(key);
    if (found == state.described.end()) {
        found = state.described.emplace(key, describe_pc(dwfl, pc, activation)).first;
    }
    const DescribedPc& described = found->second;
    if (described.module != nullptr) {
        state.used_modules.insert(described.module);
    }
    auto& frames = state.current->frames;
    for (const Frame& frame : described.frames) {
        if (frames.size() >= state.max_frames) {
            state.current->cut_by_limit = true;
            return;
        }
        frames.push_back(frame);
        frames.back().number = frames.size() - 1;
    }
}

int on_frame(Dwfl_Frame* frame, void* arg) {
    auto& state = *static_cast<UnwindState*>(arg);
    Dwarf_Addr pc = 0;
    bool activation = false;
    if (!dwfl_frame_pc(frame, &pc, &activation)) {
        state.current->stop_reason = dwfl_error();
        return DWARF_CB_ABORT;
    }
    if (state.current->frames.size() >= state.max_frames) {
        state.current->cut_by_limit = true;
        return DWARF_CB_ABORT;
    }
    add_frames(dwfl_thread_dwfl(dwfl_frame_thread(frame)), pc, activation, state);
    return DWARF_CB_OK;
}

struct ThreadsState {
    UnwindState unwind;
    std::vector<ThreadStack>* threads = nullptr;
};

int on_thread(Dwfl_Thread* thread, void* arg) {
    auto& state = *static_cast<ThreadsState*>(arg);
    state.threads->push_back(ThreadStack{});
    auto& stack = state.threads->back();
    stack.tid = static_cast<int>(dwfl_thread_tid(thread));
    state.unwind.current = &stack;
    if (dwfl_thread_getframes(thread, on_frame, &state.unwind) != 0 && !stack.cut_by_limit &&
        !stack.stop_reason) {
        stack.stop_reason = dwfl_error();
    }
    if (stack.cut_by_limit) {
        stack.stop_reason.reset();
    }
    return DWARF_CB_OK;
}

struct ModulesState {
    std::vector<ModuleInfo>* modules = nullptr;
    std::set<Dwfl_Module*>* used = nullptr;
    std::vector<std::string>* problems = nullptr;
    std::optional<std::uint64_t>* abort_msg = nullptr;
};

std::optional<std::uint64_t> find_symbol(Dwfl_Module* module, std::string_view wanted) {
    const int count = dwfl_module_getsymtab(module);
    for (int i = 0; i < count; ++i) {
        GElf_Sym symbol;
        GElf_Addr address = 0;
        const char* name =
            dwfl_module_getsym_info(module, i, &symbol, &address, nullptr, nullptr, nullptr);
        if (name != nullptr && wanted == name) {
            return address;
        }
    }
    return std::nullopt;
}

int on_module(Dwfl_Module* module, void** /*userdata*/, const char* name, Dwarf_Addr start,
              void* arg) {
    auto& state = *static_cast<ModulesState*>(arg);
    ModuleInfo info;
    info.name = name != nullptr ? name : "";
    info.start = start;
    Dwarf_Addr bias = 0;
    Elf* elf = dwfl_module_getelf(module, &bias);
    bool has_dwarf = false;
    if (state.used->contains(module)) {
        // Loads debuginfo for modules that appear in a stack only; each may cost a lookup.
        has_dwarf = dwfl_module_getdwarf(module, &bias) != nullptr;
    }
    const char* main_file = nullptr;
    const char* debug_file = nullptr;
    dwfl_module_info(module, nullptr, nullptr, &info.end, nullptr, nullptr, &main_file,
                     &debug_file);
    info.elf_path = main_file != nullptr ? main_file : "";
    info.debug_path = debug_file != nullptr ? debug_file : "";
    if (info.debug_path.empty() && has_dwarf) {
        // The DWARF is in the ELF file itself.
        info.debug_path = info.elf_path.empty() ? info.name : info.elf_path;
    }
    const unsigned char* bits = nullptr;
    GElf_Addr vaddr = 0;
    const int length = dwfl_module_build_id(module, &bits, &vaddr);
    if (length > 0) {
        info.build_id = hex_bytes(bits, length);
    }
    // A live process maps data files (locales, caches) that are no ELF; only a module that
    // appears in a stack or carries a build-id is missed.
    if (elf == nullptr && (state.used->contains(module) || !info.build_id.empty())) {
        state.problems->push_back(
            fmt::format("module {}: no ELF file found{}", info.name,
                        info.build_id.empty() ? std::string{} : " for build-id " + info.build_id));
    } else if (elf != nullptr && state.used->contains(module) && !has_dwarf) {
        state.problems->push_back(
            fmt::format("module {}: no debuginfo (install its -dbgsym package, or set "
                        "DEBUGINFOD_URLS)",
                        info.name));
    }
    if (base_name(name).starts_with("libc.so") && elf != nullptr) {
        *state.abort_msg = find_symbol(module, "__abort_msg");
    }
    state.modules->push_back(std::move(info));
    return DWARF_CB_OK;
}

// Threads and memory of an x86-64 core for dwfl_attach_state, read from the mapped file with
// parse_core's layout. libdwfl's own core attach (dwfl_core_file_attach, elfutils 0.188)
// reads each stack word through elf_getdata_rawchunk, which keeps every chunk it made in a
// list and searches it on every call: quadratic in the words read, most of the time on a core
// with a thousand threads. Here a read is a binary search over the segments.
struct CoreAttach {
    std::span<const std::byte> bytes;
    CoreLayout layout;
    // Segments with bytes in the file, by start address.
    std::vector<CoreSegment> segments;
    std::size_t next_thread = 0;
};

// DWARF register numbers 0-16 of x86-64 (rax, rdx, rcx, rbx, rsi, rdi, rbp, rsp, r8-r15, the
// return address) as positions in user_regs_struct (kAmd64RegisterNames).
constexpr std::array<std::size_t, 17> kAmd64DwarfToUser{10, 12, 11, 5, 13, 14, 4, 19, 9,
                                                        8,  7,  6,  3, 2,  1,  0, 16};
constexpr std::size_t kAmd64UserRip = 16;
constexpr unsigned kMachineX8664 = 62;  // EM_X86_64

pid_t attach_next_thread(Dwfl* /*dwfl*/, void* dwfl_arg, void** thread_argp) {
    auto& core = *static_cast<CoreAttach*>(dwfl_arg);
    if (core.next_thread >= core.layout.threads.size()) {
        return 0;
    }
    auto& thread = core.layout.threads[core.next_thread++];
    *thread_argp = &thread;
    return thread.tid;
}

bool attach_memory_read(Dwfl* /*dwfl*/, Dwarf_Addr address, Dwarf_Word* result, void* dwfl_arg) {
    const auto& core = *static_cast<const CoreAttach*>(dwfl_arg);
    const auto after = std::upper_bound(
        core.segments.begin(), core.segments.end(), address,
        [](Dwarf_Addr wanted, const CoreSegment& segment) { return wanted < segment.vaddr; });
    if (after == core.segments.begin()) {
        return false;
    }
    const CoreSegment& segment = *std::prev(after);
    const std::uint64_t into = address - segment.vaddr;
    if (into > segment.file_bytes || segment.file_bytes - into < sizeof(Dwarf_Word) ||
        segment.file_offset > core.bytes.size() ||
        core.bytes.size() - segment.file_offset < into + sizeof(Dwarf_Word)) {
        return false;
    }
    std::memcpy(result, core.bytes.data() + segment.file_offset + into, sizeof(Dwarf_Word));
    return true;
}

bool attach_set_registers(Dwfl_Thread* thread, void* thread_arg) {
    const auto& status = *static_cast<const ThreadStatus*>(thread_arg);
    std::array<Dwarf_Word, kAmd64DwarfToUser.size()> registers{};
    for (std::size_t i = 0; i < registers.size(); ++i) {
        registers[i] = status.registers[kAmd64DwarfToUser[i]];
    }
    if (!dwfl_thread_state_registers(thread, 0, registers.size(), registers.data())) {
        return false;
    }
    dwfl_thread_state_register_pc(thread, status.registers[kAmd64UserRip]);
    return true;
}

const Dwfl_Thread_Callbacks kCoreAttachCallbacks = {
    .next_thread = attach_next_thread,
    .get_thread = nullptr,
    .memory_read = attach_memory_read,
    .set_initial_registers = attach_set_registers,
    .detach = nullptr,
    .thread_detach = nullptr,
};

// The x86-64 core's threads and memory for dwfl_attach_state, or null when this core needs
// libdwfl's own attach (another machine, or a thread without its registers).
std::unique_ptr<CoreAttach> core_attach_state(Elf* elf) {
    std::size_t size = 0;
    const char* raw = elf_rawfile(elf, &size);
    if (raw == nullptr) {
        return nullptr;
    }
    auto core = std::make_unique<CoreAttach>();
    core->bytes = std::as_bytes(std::span(raw, size));
    core->layout = parse_core(core->bytes);
    if (core->layout.machine != kMachineX8664 || core->layout.threads.empty()) {
        return nullptr;
    }
    for (const auto& thread : core->layout.threads) {
        if (thread.registers.size() != kAmd64RegisterNames.size()) {
            return nullptr;
        }
    }
    for (const auto& segment : core->layout.segments) {
        if (segment.file_bytes > 0) {
            core->segments.push_back(segment);
        }
    }
    std::sort(core->segments.begin(), core->segments.end(),
              [](const CoreSegment& a, const CoreSegment& b) { return a.vaddr < b.vaddr; });
    return core;
}

Backtrace collect(Dwfl* dwfl, std::size_t max_frames) {
    Backtrace result;
    ThreadsState threads;
    threads.unwind.max_frames = max_frames;
    threads.threads = &result.threads;
    if (dwfl_getthreads(dwfl, on_thread, &threads) != 0) {
        result.problems.push_back("list threads: " + dwfl_error());
    }
    ModulesState modules{&result.modules, &threads.unwind.used_modules, &result.problems,
                         &result.abort_msg_address};
    dwfl_getmodules(dwfl, on_module, &modules, 0);
    return result;
}

}  // namespace

std::expected<Backtrace, std::string> backtrace_core(const std::string& core_path,
                                                     const BacktraceOptions& options) {
    elf_version(EV_CURRENT);
    set_debuginfo_cache(options.debuginfo_cache);
    UniqueFd fd(::open(core_path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) {
        return std::unexpected(fmt::format("open {}: {}", core_path, std::strerror(errno)));
    }
    ElfPtr elf(elf_begin(fd.get(), ELF_C_READ_MMAP, nullptr));
    if (!elf) {
        return std::unexpected(fmt::format("read ELF {}: {}", core_path, elf_errmsg(-1)));
    }
    // Outlives the Dwfl, which calls into it until dwfl_end.
    const auto attach = core_attach_state(elf.get());
    DwflPtr dwfl(dwfl_begin(&kCoreCallbacks));
    if (!dwfl) {
        return std::unexpected("dwfl_begin: " + dwfl_error());
    }
    const char* executable = options.executable ? options.executable->c_str() : nullptr;
    if (dwfl_core_file_report(dwfl.get(), elf.get(), executable) < 0) {
        return std::unexpected(fmt::format("report modules of {}: {}", core_path, dwfl_error()));
    }
    dwfl_report_end(dwfl.get(), nullptr, nullptr);
    pid_t pid = 0;
    if (attach) {
        const auto& process = attach->layout.process;
        pid = process ? process->pid : attach->layout.threads.front().tid;
    }
    const bool attached =
        attach ? dwfl_attach_state(dwfl.get(), elf.get(), pid, &kCoreAttachCallbacks, attach.get())
               : dwfl_core_file_attach(dwfl.get(), elf.get()) >= 0;
    if (!attached) {
        return std::unexpected(fmt::format("read threads of {}: {}", core_path, dwfl_error()));
    }
    return collect(dwfl.get(), options.max_frames);
}

std::expected<Backtrace, std::string> backtrace_process(int pid, const BacktraceOptions& options) {
    elf_version(EV_CURRENT);
    set_debuginfo_cache(options.debuginfo_cache);
    DwflPtr dwfl(dwfl_begin(&kProcessCallbacks));
    if (!dwfl) {
        return std::unexpected("dwfl_begin: " + dwfl_error());
    }
    if (const int error = dwfl_linux_proc_report(dwfl.get(), pid); error != 0) {
        return std::unexpected(fmt::format("read maps of pid {}: {}", pid,
                                           error > 0 ? std::strerror(error) : dwfl_error()));
    }
    dwfl_report_end(dwfl.get(), nullptr, nullptr);
    if (const int error = dwfl_linux_proc_attach(dwfl.get(), pid, false); error != 0) {
        return std::unexpected(fmt::format("attach to pid {}: {}", pid,
                                           error > 0 ? std::strerror(error) : dwfl_error()));
    }
    return collect(dwfl.get(), options.max_frames);
}

std::optional<std::string> file_build_id(const std::string& path) {
    elf_version(EV_CURRENT);
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) {
        return std::nullopt;
    }
    ElfPtr elf(elf_begin(fd.get(), ELF_C_READ_MMAP, nullptr));
    if (!elf) {
        return std::nullopt;
    }
    const void* bits = nullptr;
    const auto length = dwelf_elf_gnu_build_id(elf.get(), &bits);
    if (length <= 0) {
        return std::nullopt;
    }
    return hex_bytes(static_cast<const unsigned char*>(bits), static_cast<int>(length));
}

std::vector<StackGroup> fold_identical_stacks(const std::vector<ThreadStack>& threads) {
    std::vector<StackGroup> groups;
    std::map<std::vector<std::uint64_t>, std::size_t> index;
    for (const auto& thread : threads) {
        std::vector<std::uint64_t> key;
        for (const auto& frame : thread.frames) {
            key.push_back(frame.pc);
        }
        const auto [at, fresh] = index.try_emplace(key, groups.size());
        if (fresh) {
            groups.push_back({{}, &thread});
        }
        groups[at->second].tids.push_back(thread.tid);
    }
    return groups;
}

}  // namespace diag::crash
