// diag-core on real cores: programs built by the test suite crash, the kernel writes their
// cores, and diag-core must name the signal, the cause and the crashing frame. eu-stack
// (elfutils) is the oracle for the crashing thread's function list.

#include "run_tool.hpp"
#include "support/shared_data.hpp"
#include "support/temp_dir.hpp"

#include <diag/core/unique_fd.hpp>
#include <diag/crash/backtrace.hpp>
#include <diag/crash/core_enable.hpp>
#include <diag/crash/core_pattern.hpp>
#include <diag/crash/debuginfo_cache.hpp>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <spawn.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;  // NOLINT(*-avoid-non-const-global-variables)

namespace {

namespace fs = std::filesystem;
using diag::test::json_of;
using diag::test::run_tool;

const char* const kPatternFile = "/proc/sys/kernel/core_pattern";

std::string read_text(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

bool write_text(const fs::path& path, const std::string& text) {
    std::ofstream out(path);
    out << text;
    out.flush();
    return static_cast<bool>(out);
}

// Points core_pattern at a directory while a pipe or another directory would take the core,
// and puts the old pattern back when it goes, failed test or not. A lock file keeps two tests
// from saving each other's temporary pattern.
class CorePatternGuard {
public:
    explicit CorePatternGuard(const fs::path& directory) {
        lock_ = ::open("/tmp/diag-core-test-pattern.lock", O_CREAT | O_RDWR | O_CLOEXEC, 0600);
        if (lock_ >= 0) {
            ::flock(lock_, LOCK_EX);
        }
        old_ = read_text(kPatternFile);
        const auto pattern = diag::crash::parse_core_pattern(old_);
        if (!pattern.is_pipe && pattern.directory.empty()) {
            usable_ = true;  // cores land in the working directory, which the test chooses
            return;
        }
        changed_ = write_text(kPatternFile, (directory / "core.%p").string());
        usable_ = changed_;
    }
    ~CorePatternGuard() {
        if (changed_) {
            write_text(kPatternFile, old_);
        }
        if (lock_ >= 0) {
            ::close(lock_);
        }
    }
    CorePatternGuard(const CorePatternGuard&) = delete;
    CorePatternGuard& operator=(const CorePatternGuard&) = delete;
    [[nodiscard]] bool usable() const { return usable_; }

private:
    std::string old_;
    bool changed_ = false;
    bool usable_ = false;
    int lock_ = -1;
};

fs::path crasher(const std::string& name) {
    return diag::test::binary_dir() / "tests" / "crashers" / ("crasher_" + name);
}

std::optional<fs::path> find_core(const fs::path& directory) {
    for (const auto& entry : fs::directory_iterator(directory)) {
        if (entry.path().filename().string().starts_with("core")) {
            return entry.path();
        }
    }
    return std::nullopt;
}

// gdb's gcore stands in when core_pattern cannot be changed: the program runs under gdb until
// the fatal signal, and gdb writes the core (with NT_SIGINFO) at that point.
std::optional<fs::path> core_by_gdb(const fs::path& program, const fs::path& directory) {
    const auto core = directory / "core.gdb";
    const auto result =
        diag::test::run_process({"gdb", "-nx", "-batch", "-ex", "run", "-ex",
                                 "generate-core-file " + core.string(), program.string()});
    INFO(diag::test::describe(result));
    return fs::exists(core) ? std::optional(core) : std::nullopt;
}

// How a crasher ended: its core (when one was written), the signal and what it wrote to stderr.
struct CrashRun {
    std::optional<fs::path> core;
    int signal = 0;
    bool core_dumped = false;
    std::string err;
};

// Runs the crasher in `directory` with RLIMIT_CORE raised, extra variables in its environment
// and stderr in a file, and returns how it ended. Without a usable core_pattern only the
// signal and stderr are known (no core).
CrashRun crash_program_run(const fs::path& program, const fs::path& directory,
                           const std::vector<std::string>& extra_env = {}) {
    REQUIRE(fs::exists(program));
    CorePatternGuard guard(directory);
    rlimit unlimited{RLIM_INFINITY, RLIM_INFINITY};
    REQUIRE(::setrlimit(RLIMIT_CORE, &unlimited) == 0);
    const auto err_file = directory / "stderr.txt";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addchdir_np(&actions, directory.c_str());
    posix_spawn_file_actions_addopen(&actions, 2, err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    const std::string path = program.string();
    std::vector<char*> argv{const_cast<char*>(path.c_str()), nullptr};
    std::vector<std::string> env_text(extra_env);
    for (char** entry = environ; *entry != nullptr; ++entry) {
        env_text.emplace_back(*entry);
    }
    std::vector<char*> env;
    for (auto& entry : env_text) {
        env.push_back(entry.data());
    }
    env.push_back(nullptr);
    pid_t pid = 0;
    const int spawned =
        ::posix_spawn(&pid, path.c_str(), &actions, nullptr, argv.data(), env.data());
    posix_spawn_file_actions_destroy(&actions);
    REQUIRE(spawned == 0);
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    CrashRun run;
    run.err = read_text(err_file);
    fs::remove(err_file);
    REQUIRE(WIFSIGNALED(status));
    run.signal = WTERMSIG(status);
    run.core_dumped = WCOREDUMP(status);
    if (guard.usable()) {
        run.core = find_core(directory);
    }
    return run;
}

CrashRun crash_run(const std::string& name, const fs::path& directory,
                   const std::vector<std::string>& extra_env = {}) {
    return crash_program_run(crasher(name), directory, extra_env);
}

// Runs the crasher and returns its core: the kernel's when core_pattern can point at
// `directory`, else one gdb writes.
std::optional<fs::path> crash(const std::string& name, const fs::path& directory) {
    {
        CorePatternGuard guard(directory);
        if (!guard.usable()) {
            return core_by_gdb(crasher(name), directory);
        }
    }
    const auto run = crash_run(name, directory);
    CHECK(run.core_dumped);
    return run.core;
}

std::string evidence(const nlohmann::json& json, const std::string& key) {
    for (const auto& finding : json.at("findings")) {
        if (finding.at("check") != "crash.core") {
            continue;
        }
        const auto& items = finding.at("evidence");
        if (items.contains(key)) {
            const auto& value = items.at(key);
            return value.is_string() ? value.get<std::string>() : value.dump();
        }
    }
    return {};
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        lines.push_back(line);
    }
    return lines;
}

// Function names of one thread in eu-stack's output ("#3  0x00007f... name"); "??" unnamed.
std::vector<std::string> eu_stack_functions(const fs::path& core, const std::string& tid) {
    auto result = diag::test::run_process({"eu-stack", "-n", "64", "--core", core.string()});
    INFO(diag::test::describe(result));
    std::vector<std::string> names;
    bool in_thread = false;
    for (const auto& line : lines_of(result.out)) {
        if (line.starts_with("TID ")) {
            in_thread = line == "TID " + tid + ":";
            continue;
        }
        if (!in_thread || !line.starts_with("#")) {
            continue;
        }
        std::istringstream fields(line);
        std::string number;
        std::string pc;
        fields >> number >> pc;
        std::string name;
        std::getline(fields, name);
        name.erase(0, name.find_first_not_of(' '));
        names.push_back(name.empty() ? "??" : name);
    }
    return names;
}

struct Analysed {
    nlohmann::json json;
    std::string text;
};

Analysed analyse(const fs::path& core, std::vector<std::string> extra = {}) {
    auto args = extra;
    args.push_back(core.string());
    const auto text = run_tool("diag-core", args);
    args.insert(args.begin(), "--json");
    const auto json = run_tool("diag-core", args);
    CHECK(json.exit_code == 2);
    return {json_of(json), text.out};
}

void check_against_eu_stack(const fs::path& core, const nlohmann::json& json) {
    const auto tid = evidence(json, "crashing_tid");
    REQUIRE_FALSE(tid.empty());
    const auto mine = lines_of(evidence(json, "crashing_functions"));
    const auto oracle = eu_stack_functions(core, tid);
    INFO("diag-core: " << evidence(json, "crashing_functions"));
    REQUIRE(oracle.size() >= 2);
    const auto compared = std::min(mine.size(), oracle.size());
    REQUIRE(compared >= 2);
    for (std::size_t i = 0; i < compared; ++i) {
        CHECK(mine[i] == oracle[i]);
    }
}

// The line of the text output holding frame #N of the crashing thread.
std::string crashing_frame_line(const std::string& text, int number) {
    bool in_crashing = false;
    const auto prefix = "#" + std::to_string(number) + " ";
    for (const auto& line : lines_of(text)) {
        if (line.starts_with("crashing thread")) {
            in_crashing = true;
        } else if (in_crashing && line.find(prefix) != std::string::npos) {
            return line;
        }
    }
    return {};
}

}  // namespace

TEST_CASE("diag-core: a NULL dereference in an inlined function is named with its frames",
          "[live]") {
    diag::test::TempDir dir;
    const auto core = crash("null_inline", dir.path());
    REQUIRE(core.has_value());
    const auto [json, text] = analyse(*core);
    CHECK(evidence(json, "signal") == "SIGSEGV");
    CHECK(evidence(json, "si_code") == "SEGV_MAPERR");
    CHECK(evidence(json, "cause").starts_with("NULL pointer dereference"));
    CHECK(evidence(json, "crashing_frame") == "bump_next");
    const auto top = crashing_frame_line(text, 0);
    CHECK(top.find("bump_next [inlined] at ") != std::string::npos);
    CHECK(top.find("null_inline.cpp:9:") != std::string::npos);
    const auto caller = crashing_frame_line(text, 1);
    CHECK(caller.find("walk_list(Node*) at ") != std::string::npos);
    CHECK(caller.find("null_inline.cpp:13:") != std::string::npos);
    CHECK(caller.find("[crasher_null_inline+0x") != std::string::npos);
    CHECK(text.find("cause: NULL pointer dereference") != std::string::npos);
    check_against_eu_stack(*core, json);
}

TEST_CASE("diag-core: an assertion with many threads shows glibc's message and folds stacks",
          "[live]") {
    diag::test::TempDir dir;
    const auto core = crash("assert_threads", dir.path());
    REQUIRE(core.has_value());
    const auto [json, text] = analyse(*core);
    CHECK(evidence(json, "signal") == "SIGABRT");
    const auto cause = evidence(json, "cause");
    CHECK(cause.starts_with("abort: "));
    CHECK(cause.find("Assertion") != std::string::npos);
    CHECK(cause.find("queue drained before shutdown") != std::string::npos);
    CHECK(evidence(json, "threads_count") == "13");
    CHECK(text.find("12 threads: ") != std::string::npos);
    CHECK(evidence(json, "crashing_functions").find("check_queue(int)\n") != std::string::npos);
    check_against_eu_stack(*core, json);
}

TEST_CASE("diag-core: a stack overflow is told from other faults and -n cuts the stack", "[live]") {
    diag::test::TempDir dir;
    const auto core = crash("stack_overflow", dir.path());
    REQUIRE(core.has_value());
    const auto [json, text] = analyse(*core, {"-n", "20"});
    CHECK(evidence(json, "signal") == "SIGSEGV");
    CHECK(evidence(json, "cause").starts_with("stack overflow"));
    CHECK(evidence(json, "crashing_frame") == "recurse(int)");
    CHECK(evidence(json, "frames_count") == "20");
    CHECK(text.find("more frames; raise -n") != std::string::npos);
    check_against_eu_stack(*core, json);
}

TEST_CASE("diag-core: a double free reads glibc's message from the core", "[live]") {
    diag::test::TempDir dir;
    const auto core = crash("double_free", dir.path());
    REQUIRE(core.has_value());
    const auto [json, text] = analyse(*core);
    CHECK(evidence(json, "signal") == "SIGABRT");
    CHECK(evidence(json, "cause").find("double free detected") != std::string::npos);
    CHECK(evidence(json, "crashing_functions").find("release(void*)\n") != std::string::npos);
    check_against_eu_stack(*core, json);
}

TEST_CASE("diag-core: an integer division by zero is named from FPE_INTDIV", "[live]") {
    diag::test::TempDir dir;
    const auto core = crash("divide_by_zero", dir.path());
    REQUIRE(core.has_value());
    const auto [json, text] = analyse(*core);
    CHECK(evidence(json, "signal") == "SIGFPE");
    CHECK(evidence(json, "si_code") == "FPE_INTDIV");
    CHECK(evidence(json, "cause") == "integer divide by zero");
    CHECK(evidence(json, "crashing_frame") == "divide(int, int)");
    check_against_eu_stack(*core, json);
}

TEST_CASE("diag-core: a truncated core is an issue and what it holds is still shown", "[live]") {
    diag::test::TempDir dir;
    const auto core = crash("null_inline", dir.path());
    REQUIRE(core.has_value());
    const auto cut = dir.path() / "cut.core";
    fs::copy_file(*core, cut);
    fs::resize_file(cut, fs::file_size(*core) / 2);
    const auto result = run_tool("diag-core", {"--json", cut.string()});
    CHECK(result.exit_code == 2);
    const auto json = json_of(result);
    CHECK(diag::test::has_issue(json, {"truncated"}));
    CHECK(evidence(json, "signal") == "SIGSEGV");
    CHECK(evidence(json, "cause").starts_with("NULL pointer dereference"));
}

TEST_CASE("diag-core: an --exe whose build-id differs from the core's is refused with a warning",
          "[live]") {
    diag::test::TempDir dir;
    const auto core = crash("null_inline", dir.path());
    REQUIRE(core.has_value());
    const auto result = run_tool(
        "diag-core", {"--json", "--exe", crasher("divide_by_zero").string(), core->string()});
    const auto json = json_of(result);
    CHECK(diag::test::has_issue(json, {"build-id", "not the executable that crashed"}));
    CHECK(evidence(json, "crashing_frame") == "bump_next");
    const auto matching =
        run_tool("diag-core", {"--json", "--exe", crasher("null_inline").string(), core->string()});
    CHECK_FALSE(diag::test::has_issue(json_of(matching), {"not the executable that crashed"}));
}

TEST_CASE("diag-core: --list finds plain cores in a directory and --group counts them", "[live]") {
    diag::test::TempDir dir;
    for (const auto* name : {"core.1", "core.2"}) {
        diag::test::TempDir scratch;
        const auto core = crash("divide_by_zero", scratch.path());
        REQUIRE(core.has_value());
        fs::copy_file(*core, dir.path() / name);
    }
    const auto listed = run_tool("diag-core", {"--list", "--dir", dir.path().string()});
    CHECK(listed.out.find((dir.path() / "core.1").string()) != std::string::npos);
    CHECK(listed.out.find((dir.path() / "core.2").string()) != std::string::npos);
    CHECK(listed.out.find(" SIGFPE  crasher_divide_ ") != std::string::npos);
    const auto grouped = run_tool("diag-core", {"--group", "--dir", dir.path().string()});
    CHECK(grouped.out.find("    2  ") != std::string::npos);
    CHECK(grouped.out.find("crasher_divide_by_zero!divide(int, int)") != std::string::npos);
}

TEST_CASE("diag-core: --list --nagios alerts on the crashes since its last run, once", "[live]") {
    diag::test::TempDir dir;
    dir.make_dir("cores");
    const auto cores = dir.at("cores").string();
    const auto state = dir.at("state").string();
    const std::vector<std::string> check{"--list", "--nagios", "--state-dir",
                                         state,    "--dir",    cores};
    // The first run knows no earlier one: nothing is new yet, and its time is kept.
    const auto first = run_tool("diag-core", check);
    INFO(diag::test::describe(first));
    CHECK(first.exit_code == 0);
    CHECK(first.out.find("'new_crashes'=0") != std::string::npos);
    const auto kept = read_text(state + "/core-state.json");
    CHECK(kept.find("last_run_unix_us") != std::string::npos);
    CHECK((fs::status(state + "/core-state.json").permissions() & fs::perms::all) ==
          (fs::perms::owner_read | fs::perms::owner_write));

    diag::test::TempDir scratch;
    const auto core = crash("divide_by_zero", scratch.path());
    REQUIRE(core.has_value());
    fs::copy_file(*core, dir.at("cores/core.1"));
    // A person's --list does not count, so it cannot hide the crash from the check. Its JSON
    // (each core found, with its time) and the kept state go with the checks below.
    const auto person =
        run_tool("diag-core", {"--list", "--json", "--state-dir", state, "--dir", cores});
    INFO(diag::test::describe(person));
    CHECK(person.out.find(dir.at("cores/core.1").string()) != std::string::npos);
    CHECK(read_text(state + "/core-state.json") == kept);
    INFO("kept state: " << kept);

    const auto second = run_tool("diag-core", check);
    INFO(diag::test::describe(second));
    CHECK(second.exit_code == 1);
    CHECK(second.out.starts_with("DIAG-CORE WARNING - crasher_divide_"));
    CHECK(second.out.find("SIGFPE") != std::string::npos);
    CHECK(second.out.find("'new_crashes'=1") != std::string::npos);
    // Counted once: the next run has nothing new.
    const auto third = run_tool("diag-core", check);
    CHECK(third.exit_code == 0);
    CHECK(third.out.find("'new_crashes'=0") != std::string::npos);
}

TEST_CASE("diag-core: --dir and --state-dir named relative to the working directory") {
    // Root reads every path from "/": a relative path a person typed must still mean the one
    // under their working directory, for the cores and for the state kept between checks.
    diag::test::TempDir dir;
    dir.make_dir("cores");
    diag::test::TempDir scratch;
    const auto core = crash("divide_by_zero", scratch.path());
    REQUIRE(core.has_value());
    diag::test::ProcessOptions here;
    here.working_directory = dir.path();
    const std::vector<std::string> check{"--list", "--nagios", "--state-dir",
                                         "state",  "--dir",    "cores"};
    const auto first = run_tool("diag-core", check, here);
    INFO(diag::test::describe(first));
    CHECK(first.out.find("could not") == std::string::npos);
    CHECK(fs::exists(dir.at("state/core-state.json")));
    fs::copy_file(*core, dir.at("cores/core.1"));
    const auto listed = run_tool("diag-core", {"--list", "--dir", "cores"}, here);
    CHECK(listed.out.find((dir.path() / "cores/core.1").string()) != std::string::npos);
    // The second check reads the state the first kept, so the core is new, not a first run.
    const auto second = run_tool("diag-core", check, here);
    INFO(diag::test::describe(second));
    CHECK(second.exit_code == 1);
    CHECK(second.out.find("'new_crashes'=1") != std::string::npos);
}

TEST_CASE(
    "diag-core: a compressed debug file is inflated into --debuginfo-cache after the report, and "
    "later unwinds read the copy",
    "[live]") {
    // A crasher whose DWARF is in a separate, zlib-compressed file found by .gnu_debuglink, as
    // Debian ships debug files.
    diag::test::TempDir dir;
    const auto program = dir.path() / "crasher";
    fs::copy_file(crasher("divide_by_zero"), program);
    const auto debug = dir.path() / "crasher.debug";
    for (const std::vector<std::string>& argv :
         {std::vector<std::string>{"objcopy", "--only-keep-debug", "--compress-debug-sections=zlib",
                                   program.string(), debug.string()},
          std::vector<std::string>{"objcopy", "--strip-debug",
                                   "--add-gnu-debuglink=" + debug.string(), program.string()}}) {
        const auto made = diag::test::run_process(argv);
        INFO(diag::test::describe(made));
        REQUIRE(made.exit_code == 0);
    }
    {
        const diag::UniqueFd fd(::open(debug.c_str(), O_RDONLY | O_CLOEXEC));
        REQUIRE(diag::crash::has_compressed_sections(fd.get()));
    }
    dir.make_dir("cores");
    const auto run = crash_program_run(program, dir.at("cores"));
    if (!run.core) {
        diag::test::skip("core_pattern cannot point at a directory here");
    }
    const auto cache = dir.path() / "cache";
    const std::vector<std::string> args{"--debuginfo-cache", cache.string(), run.core->string()};
    const auto first = run_tool("diag-core", args);
    CHECK(first.out.find("divide_by_zero.cpp:") != std::string::npos);
    // The copy is written by the collecting child after the report: wait for it.
    const auto id = diag::crash::file_build_id(program.string());
    REQUIRE(id.has_value());
    const auto copy = cache / (*id + ".debug");
    for (int i = 0; i < 100 && !fs::exists(copy); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    REQUIRE(fs::exists(copy));
    CHECK(diag::crash::file_build_id(copy.string()) == id);
    {
        const diag::UniqueFd fd(::open(copy.c_str(), O_RDONLY | O_CLOEXEC));
        CHECK_FALSE(diag::crash::has_compressed_sections(fd.get()));
    }
    CHECK((fs::status(copy).permissions() & fs::perms::all) ==
          (fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
           fs::perms::others_read));
    // With the original gone, only the copy can give the source lines: the same output.
    fs::remove(debug);
    const auto second = run_tool("diag-core", args);
    const auto body = [](const std::string& text) {
        return text.substr(text.find('\n', text.find("diag-core on ")));
    };
    CHECK(second.out.find("divide_by_zero.cpp:") != std::string::npos);
    CHECK(body(second.out) == body(first.out));
}

TEST_CASE("diag-core: -p shows a sleeping process's threads with state, wchan and stack",
          "[live]") {
    diag::test::TempDir dir;
    diag::test::BackgroundProcess sleeper({"sleep", "60"}, dir.path() / "sleep.log");
    // Wait until the child has exec'd sleep and is in nanosleep.
    for (int i = 0;
         i < 50 && read_text("/proc/" + std::to_string(sleeper.pid()) + "/comm") != "sleep\n";
         ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const auto pid = std::to_string(sleeper.pid());
    const auto text = run_tool("diag-core", {"-p", pid});
    CHECK(text.exit_code == 0);
    CHECK(text.out.find("thread " + pid + " \"sleep\" state S") != std::string::npos);
    CHECK(text.out.find("nanosleep") != std::string::npos);
    const auto json = json_of(run_tool("diag-core", {"--json", "-p", pid}));
    CHECK(diag::test::has_finding(json, "crash.live.uninterruptible"));
}

TEST_CASE("diag-core: xz and lz4 cores in systemd-coredump's store are listed and grouped",
          "[live]") {
    diag::test::TempDir scratch;
    const auto core = crash("divide_by_zero", scratch.path());
    REQUIRE(core.has_value());
    const auto compressed = diag::test::run_process({"xz", "-k", core->string()});
    REQUIRE(compressed.exit_code == 0);
    // Compress=lz4 in coredump.conf: the same frame format as the lz4 tool's.
    const auto lz4 =
        diag::test::run_process({"lz4", "-q", "-k", core->string(), core->string() + ".lz4"});
    REQUIRE(lz4.exit_code == 0);
    diag::test::TempDir root;
    root.write("proc/sys/kernel/core_pattern",
               "|/lib/systemd/systemd-coredump %P %u %g %s %t %c %h\n");
    const std::string store = "var/lib/systemd/coredump/";
    root.make_dir(store);
    for (const auto* name :
         {"core.crasher_divide_.0.0123456789abcdef0123456789abcdef.100.1764700000000000.xz",
          "core.crasher_divide_.0.0123456789abcdef0123456789abcdef.101.1764800000000000.xz"}) {
        fs::copy_file(core->string() + ".xz", root.at(store + name));
    }
    fs::copy_file(
        core->string() + ".lz4",
        root.at(
            store +
            "core.crasher_divide_.0.0123456789abcdef0123456789abcdef.102.1764900000000000.lz4"));
    const auto listed = run_tool("diag-core", {"--root", root.path().string(), "--list"});
    CHECK(listed.out.find("(systemd-coredump)") != std::string::npos);
    CHECK(listed.out.find(".100.1764700000000000.xz") != std::string::npos);
    const auto grouped = run_tool("diag-core", {"--root", root.path().string(), "--group"});
    // The lz4 core is read too: three crashes of one signature, no decompression issue.
    CHECK(grouped.out.find("    3  2025-12-02 ") != std::string::npos);
    CHECK(grouped.out.find("not supported") == std::string::npos);
    CHECK(grouped.out.find("crasher_divide_by_zero!divide(int, int)") != std::string::npos);
}

TEST_CASE(
    "crash handler: a program that installs it names the aborting function and still dumps "
    "a core of SIGABRT",
    "[live]") {
    diag::test::TempDir dir;
    const auto run = crash_run("handler_abort", dir.path());
    INFO(run.err);
    CHECK(run.signal == SIGABRT);
    CHECK(run.core_dumped);
    CHECK(run.err.find("diag-crash-handler: fatal signal SIGABRT (6), si_code -6 (SI_TKILL)") !=
          std::string::npos);
    const auto lines = lines_of(run.err);
    bool named = false;
    for (const auto& line : lines) {
        named = named || (line.starts_with("#") && line.find("give_up") != std::string::npos &&
                          line.find("(crasher_handler_abort+0x") != std::string::npos);
    }
    CHECK(named);
    REQUIRE_FALSE(lines.empty());
    CHECK(lines.back() == "diag-crash-handler: end of backtrace");
    if (run.core) {
        const auto json = json_of(run_tool("diag-core", {"--json", run.core->string()}));
        CHECK(evidence(json, "signal") == "SIGABRT");
    }
}

TEST_CASE(
    "crash handler: preloaded into a program it prints the faulting frame and the core "
    "keeps the original fault",
    "[live]") {
    diag::test::TempDir dir;
    const auto library = diag::test::binary_dir() / "libdiag" / "libdiag-crash-handler.so";
    REQUIRE(fs::exists(library));
    const auto run = crash_run("null_inline", dir.path(), {"LD_PRELOAD=" + library.string()});
    INFO(run.err);
    CHECK(run.signal == SIGSEGV);
    CHECK(run.core_dumped);
    CHECK(run.err.find("fatal signal SIGSEGV (11), si_code 1 (SEGV_MAPERR), fault address 0x0") !=
          std::string::npos);
    const auto lines = lines_of(run.err);
    REQUIRE(lines.size() >= 3);
    CHECK(lines[1].starts_with("#0  0x"));
    CHECK(lines[1].find("walk_list") != std::string::npos);
    CHECK(lines[1].find("(crasher_null_inline+0x") != std::string::npos);
    CHECK(lines.back() == "diag-crash-handler: end of backtrace");
    REQUIRE(run.core.has_value());
    const auto json = json_of(run_tool("diag-core", {"--json", run.core->string()}));
    CHECK(evidence(json, "si_code") == "SEGV_MAPERR");
    CHECK(evidence(json, "cause").starts_with("NULL pointer dereference"));
    CHECK(evidence(json, "crashing_frame") == "bump_next");
}

namespace {

// True once both locker threads of the deadlock program sleep in futex(2) (syscall 202).
bool both_lockers_blocked(pid_t pid) {
    int blocked = 0;
    const auto tasks = fs::path("/proc") / std::to_string(pid) / "task";
    std::error_code error;
    for (const auto& task : fs::directory_iterator(tasks, error)) {
        if (read_text(task.path() / "comm").starts_with("locker-") &&
            read_text(task.path() / "syscall").starts_with("202 ")) {
            ++blocked;
        }
    }
    return blocked == 2;
}

}  // namespace

TEST_CASE("diag-core: -p names the two threads of a deadlock and the mutexes they hold", "[live]") {
    diag::test::TempDir dir;
    diag::test::BackgroundProcess program({crasher("deadlock").string()}, dir.path() / "out.log");
    for (int i = 0; i < 250 && !both_lockers_blocked(program.pid()); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    REQUIRE(both_lockers_blocked(program.pid()));
    const auto pid = std::to_string(program.pid());
    const auto result = run_tool("diag-core", {"--json", "-p", pid});
    CHECK(result.exit_code == 2);
    const auto json = json_of(result);
    std::string summary;
    for (const auto& finding : json.at("findings")) {
        if (finding.at("check") == "crash.live.deadlock") {
            summary = finding.at("summary").get<std::string>();
        }
    }
    INFO(result.out);
    // "deadlock: thread A waits for mutex M1 held by B, B waits for mutex M2 held by A".
    std::vector<std::string> lockers;
    for (const auto& task : fs::directory_iterator(fs::path("/proc") / pid / "task")) {
        if (read_text(task.path() / "comm").starts_with("locker-")) {
            lockers.push_back(task.path().filename().string());
        }
    }
    REQUIRE(lockers.size() == 2);
    std::sort(lockers.begin(), lockers.end(),
              [](const auto& a, const auto& b) { return std::stoi(a) < std::stoi(b); });
    const auto& a = lockers[0];
    const auto& b = lockers[1];
    CHECK(summary.starts_with("deadlock: thread " + a + " waits for mutex 0x"));
    CHECK(summary.find(" held by " + b + ", " + b + " waits for mutex 0x") != std::string::npos);
    CHECK(summary.ends_with(" held by " + a));
    const auto text = run_tool("diag-core", {"-p", pid});
    CHECK(text.out.find("DEADLOCK: thread " + a + " waits for mutex") != std::string::npos);
    CHECK(text.out.find("\"locker-a\"") != std::string::npos);
    // Detached afterwards: no tracer, and the lockers still asleep in their futex waits.
    const auto status = read_text(fs::path("/proc") / pid / "status");
    CHECK(status.find("TracerPid:\t0\n") != std::string::npos);
    CHECK(both_lockers_blocked(program.pid()));
}

TEST_CASE(
    "diag-core: --enable says a zero RLIMIT_CORE keeps cores away and --write raises it for "
    "the process tree",
    "[live]") {
    diag::test::TempDir dir;
    rlimit none{0, RLIM_INFINITY};
    REQUIRE(::setrlimit(RLIMIT_CORE, &none) == 0);
    diag::test::BackgroundProcess sleeper({"sleep", "60"}, dir.path() / "sleep.log");
    const auto pid = std::to_string(sleeper.pid());
    const auto limits = fs::path("/proc") / pid / "limits";
    const auto pattern = diag::crash::parse_core_pattern(read_text(kPatternFile));
    const auto before = run_tool("diag-core", {"--enable", "-p", pid});
    INFO(before.out);
    CHECK(before.out.find("RLIMIT_CORE of pid " + pid + ": soft 0 bytes, hard unlimited") !=
          std::string::npos);
    if (!pattern.is_pipe) {
        CHECK(before.exit_code == 1);
        CHECK(before.out.find("a crash of pid " + pid + " now: no core: RLIMIT_CORE is 0") !=
              std::string::npos);
    }
    const auto after = run_tool("diag-core", {"--enable", "-p", pid, "--write"});
    INFO(after.out);
    CHECK(after.out.find("pid " + pid + ": RLIMIT_CORE now soft unlimited") != std::string::npos);
    const auto now = diag::crash::parse_core_limit(read_text(limits));
    REQUIRE(now.has_value());
    CHECK_FALSE(now->soft_bytes.has_value());
    if (!pattern.is_pipe) {
        CHECK(after.exit_code == 0);
        CHECK(after.out.find("now: core written to ") != std::string::npos);
    }
    CHECK(run_tool("diag-core", {"--write"}).exit_code == 64);
}

TEST_CASE(
    "diag-core: systemd-coredump's journal entries name signal and executable and list "
    "crashes whose core is gone",
    "[live]") {
    const char* const converter = "/lib/systemd/systemd-journal-remote";
    if (::access(converter, X_OK) != 0) {
        diag::test::skip("no way to write a journal here: install systemd-journal-remote");
    }
    diag::test::TempDir dir;
    const std::string stored =
        "var/lib/systemd/coredump/core.divider.0."
        "0123456789abcdef0123456789abcdef.2001.1764700000000000.zst";
    dir.write("root/proc/sys/kernel/core_pattern",
              "|/lib/systemd/systemd-coredump %P %u %g %s %t %c %h\n");
    dir.write("root/" + stored, "not read by --list");
    // Two entries as systemd-coredump 252 logs them (MESSAGE_ID SD_MESSAGE_COREDUMP): one whose
    // core is in the store, one whose core was not kept.
    const std::string common =
        "_BOOT_ID=0123456789abcdef0123456789abcdef\n_TRANSPORT=journal\n"
        "MESSAGE_ID=fc2e22bc6ee647b6b90729ab34a250b1\nPRIORITY=2\n";
    dir.write("in.export",
              "__CURSOR=s=1;i=1\n__REALTIME_TIMESTAMP=1764700000100000\n"
              "__MONOTONIC_TIMESTAMP=5012123456\n" +
                  common +
                  "COREDUMP_PID=2001\nCOREDUMP_UID=0\nCOREDUMP_SIGNAL=8\n"
                  "COREDUMP_EXE=/usr/bin/divider\nCOREDUMP_COMM=divider\n"
                  "COREDUMP_TIMESTAMP=1764700000000000\nCOREDUMP_FILENAME=/" +
                  stored +
                  "\nMESSAGE=Process 2001 (divider) dumped core.\n\n"
                  "__CURSOR=s=1;i=2\n__REALTIME_TIMESTAMP=1764800000100000\n"
                  "__MONOTONIC_TIMESTAMP=5112123456\n" +
                  common +
                  "COREDUMP_PID=3003\nCOREDUMP_UID=1000\nCOREDUMP_SIGNAL=11\n"
                  "COREDUMP_EXE=/usr/bin/gone\nCOREDUMP_COMM=gone\n"
                  "COREDUMP_TIMESTAMP=1764800000000000\n"
                  "MESSAGE=Process 3003 (gone) of user 1000 dumped core.\n\n");
    const std::string journal = "root/var/log/journal/0123456789abcdef0123456789abcdef";
    dir.make_dir(journal);
    const auto converted = diag::test::run_process(
        {converter, "--output=" + dir.at(journal + "/system.journal").string(),
         dir.at("in.export").string()});
    REQUIRE(converted.exit_code == 0);
    const auto listed = run_tool("diag-core", {"--root", dir.at("root").string(), "--list"});
    INFO(listed.out);
    bool stored_row = false;
    bool gone_row = false;
    for (const auto& line : lines_of(listed.out)) {
        stored_row = stored_row || (line.find(" 2001 ") != std::string::npos &&
                                    line.find(" SIGFPE  /usr/bin/divider ") != std::string::npos &&
                                    line.find(" yes ") != std::string::npos);
        gone_row =
            gone_row || (line.find(" 3003  1000 SIGSEGV /usr/bin/gone ") != std::string::npos &&
                         line.find(" no      (journal only)") != std::string::npos);
    }
    CHECK(stored_row);
    CHECK(gone_row);
}
