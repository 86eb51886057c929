// diag-mem: the machine's memory error history and, when asked, a memory test.

#include <diag/cli/tool_main.hpp>
#include <diag/core/units.hpp>
#include <diag/mem/mem_history.hpp>
#include <diag/mem/memory_region.hpp>
#include <diag/mem/test_size.hpp>
#include <diag/mem/tester.hpp>
#include <diag/sys/key_values.hpp>

#include <atomic>
#include <charconv>
#include <csignal>
#include <map>

#include <fmt/format.h>

#include <unistd.h>

namespace po = boost::program_options;

namespace {

std::atomic<bool> g_stop{false};

extern "C" void on_interrupt(int /*signal*/) {
    g_stop.store(true);
}

// "90", "90s", "15m", "2h": a duration for --time.
std::optional<std::chrono::seconds> parse_duration(std::string_view text) {
    std::uint64_t number = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (error != std::errc{} || end == text.data()) {
        return std::nullopt;
    }
    const std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
    const std::map<std::string_view, std::uint64_t> scale{
        {"", 1}, {"s", 1}, {"m", 60}, {"h", 3600}, {"d", 86400}};
    const auto it = scale.find(unit);
    if (it == scale.end() || number == 0 || number > 366 * 86400 / it->second) {
        return std::nullopt;
    }
    return std::chrono::seconds(number * it->second);
}

std::string hex(std::uint64_t value) {
    return fmt::format("0x{:016x}", value);
}

std::string bit_list(std::uint64_t bits) {
    std::string out;
    for (unsigned bit = 0; bit < 64; ++bit) {
        if ((bits >> bit) & 1U) {
            out += (out.empty() ? "" : ",") + std::to_string(bit);
        }
    }
    return out;
}

struct TestRequest {
    std::string size_text;
    std::string tests_text = "default";
    std::uint64_t loops = 1;
    std::string time_text;
    unsigned threads = 0;
    std::string inject_text;
    // Parsed by validate.
    diag::mem::SizeRequest size;
    std::vector<diag::mem::TestKind> plan;
    std::optional<std::chrono::seconds> time_budget;
    std::optional<diag::mem::FaultInjection> inject;
};

diag::Report run_test(const diag::Root& root, const TestRequest& request) {
    diag::Report report;
    auto meminfo_text = root.read_file("/proc/meminfo");
    diag::sys::KeyValues meminfo;
    if (meminfo_text) {
        meminfo = diag::sys::parse_meminfo(*meminfo_text);
    } else {
        report.issues.push_back(diag::to_issue(meminfo_text.error()));
    }
    auto as_bytes = [&](std::string_view key) -> std::optional<std::uint64_t> {
        const auto value = diag::sys::find(meminfo, key);
        return value && *value >= 0 ? std::optional(static_cast<std::uint64_t>(*value))
                                    : std::nullopt;
    };
    const auto page = static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
    const auto size = diag::mem::resolve_test_size(request.size, as_bytes("MemAvailable"),
                                                   as_bytes("MemTotal"), page);
    if (!size) {
        report.issues.push_back(
            {diag::IssueLevel::error, "test", "memory", size.error(), "ask for a smaller --size"});
        return report;
    }
    auto region = diag::mem::MemoryRegion::allocate(*size);
    report.issues.insert(report.issues.end(), region.issues.begin(), region.issues.end());
    if (region.data.size_bytes() == 0) {
        return report;
    }
    diag::mem::TesterOptions options;
    options.threads = request.threads;
    options.loops = request.loops;
    options.stop = &g_stop;
    options.inject = request.inject;
    if (request.time_budget) {
        options.time_budget = *request.time_budget;
    }
    // TODO(#5): Ctrl-C reaches this collecting child from the terminal's process group; a
    // SIGINT or SIGTERM sent to the parent alone (kill PID) is not yet forwarded to it.
    struct sigaction action {};
    action.sa_handler = on_interrupt;
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);
    auto result = diag::mem::run_memory_tests(region.data.words(), request.plan, options);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    auto physical = diag::mem::resolve_physical_addresses(root, result.failures);
    report.issues.insert(report.issues.end(), physical.begin(), physical.end());

    const double seconds = result.elapsed.count();
    const auto moved = result.bytes_moved();
    const double bandwidth = seconds > 0 ? static_cast<double>(moved) / seconds : 0.0;
    std::uint64_t failure_count = result.dropped_failures;
    std::string names;
    for (const auto& test : result.tests) {
        failure_count += test.failures;
        if (test.runs > 0) {
            names += (names.empty() ? "" : ",") + std::string(diag::mem::test_name(test.test));
        }
    }
    if (names.empty()) {
        names = "none";
    }
    if (result.stopped_early) {
        report.issues.push_back({diag::IssueLevel::info, "test", "memory",
                                 g_stop.load() ? "interrupted; the results cover what ran"
                                               : "time budget spent; the results cover what ran",
                                 ""});
    }
    ++report.assessed_count;
    report.findings.push_back(diag::Finding{
        failure_count > 0 ? diag::Severity::critical : diag::Severity::ok,
        "mem.test.result",
        "memory test",
        failure_count > 0 ? fmt::format("{} word{} read back wrong in {} of memory", failure_count,
                                        failure_count == 1 ? "" : "s", diag::format_bytes(*size))
        : result.stopped_early
            ? fmt::format("{} of memory: no error in what ran before the stop ({} whole pass{}; "
                          "tests finished: {})",
                          diag::format_bytes(*size), result.passes_completed,
                          result.passes_completed == 1 ? "" : "es", names)
            : fmt::format("{} of memory passed {} pass{} of {}", diag::format_bytes(*size),
                          result.passes_completed, result.passes_completed == 1 ? "" : "es", names),
        {{"size_bytes", *size},
         {"passes_completed", result.passes_completed},
         {"failures", failure_count},
         {"locked", region.data.locked()},
         {"elapsed_seconds", seconds},
         {"bytes_moved", moved},
         {"bandwidth_bytes_per_second", bandwidth}},
        std::nullopt,
        "memtester 4.6 tests; March C- (van de Goor 1991)"});

    // One finding per address: repeats at one place are summarised with their count.
    struct Place {
        const diag::mem::MemFailure* first = nullptr;
        std::uint64_t count = 0;
        std::uint64_t bits = 0;
    };
    std::map<std::uint64_t, Place> places;
    for (const auto& failure : result.failures) {
        auto& place = places[failure.physical_address.value_or(failure.virtual_address)];
        if (place.first == nullptr) {
            place.first = &failure;
        }
        ++place.count;
        place.bits |= failure.differing_bits();
    }
    constexpr std::size_t kMaxPlaces = 64;
    std::size_t shown = 0;
    for (const auto& [key, place] : places) {
        if (++shown > kMaxPlaces) {
            report.issues.push_back(
                {diag::IssueLevel::info, "report", "memory test",
                 fmt::format("{} more failing addresses not listed", places.size() - kMaxPlaces),
                 "--json lists the first ones; test a smaller region"});
            break;
        }
        const auto& f = *place.first;
        std::vector<diag::Evidence> evidence{{"virtual_address", hex(f.virtual_address)},
                                             {"expected", hex(f.expected)},
                                             {"actual", hex(f.actual)},
                                             {"differing_bits", hex(f.differing_bits())},
                                             {"bit_positions", bit_list(place.bits)},
                                             {"test", std::string(diag::mem::test_name(f.test))},
                                             {"pass", f.pass},
                                             {"failures_here", place.count}};
        if (f.physical_address) {
            evidence.insert(evidence.begin() + 1, {"physical_address", hex(*f.physical_address)});
        }
        report.findings.push_back(diag::Finding{
            diag::Severity::critical, "mem.test.failure",
            f.physical_address ? hex(*f.physical_address) : hex(f.virtual_address),
            fmt::format("{}: read {} where {} was written (bit {}), pass {}{}",
                        diag::mem::test_name(f.test), hex(f.actual), hex(f.expected),
                        bit_list(f.differing_bits()), f.pass,
                        place.count > 1 ? fmt::format(", {} times here", place.count) : ""),
            std::move(evidence), std::nullopt, "memtester 4.6; van de Goor 1991"});
    }
    report.metrics.push_back({"diag_mem_test_failures_total",
                              "Words that read back wrong.",
                              diag::MetricType::counter,
                              {},
                              static_cast<double>(failure_count)});
    report.metrics.push_back({"diag_mem_test_size_bytes",
                              "Size of the tested region.",
                              diag::MetricType::gauge,
                              {},
                              static_cast<double>(*size)});
    report.metrics.push_back({"diag_mem_test_duration_seconds",
                              "Time the test ran.",
                              diag::MetricType::gauge,
                              {},
                              seconds});
    report.metrics.push_back({"diag_mem_test_bandwidth_bytes_per_second",
                              "Bytes read plus written by the test per second.",
                              diag::MetricType::gauge,
                              {},
                              bandwidth});
    diag::Perfdata failures_perf;
    failures_perf.label = "test_failures";
    failures_perf.value = static_cast<double>(failure_count);
    failures_perf.uom = "c";
    failures_perf.min = 0.0;
    report.perfdata.push_back(std::move(failures_perf));
    // TODO(#5): write the test result as JSON under --state-dir; a progress bar with ETA on a TTY.
    return report;
}

}  // namespace

int main(int argc, char** argv) {
    TestRequest request;
    std::string state_dir;
    diag::CommandLine cli(
        {"diag-mem",
         "The memory error history of this machine (EDAC, poisoned pages) and, with --size, a "
         "memory test.",
         "[OPTION]...", "",
         "Tests: stuck-address random-value compare-xor compare-sub compare-mul compare-div "
         "compare-or compare-and sequential-increment solid-bits block-sequential checkerboard "
         "bit-spread bit-flip walking-ones walking-zeros 8-bit-writes 16-bit-writes (memtester's "
         "list), march-c-minus random-fill (default)."});
    cli.tool_options().add_options()(
        "size", po::value(&request.size_text)->value_name("SIZE"),
        "test SIZE of memory: bytes with K, M, G, T or a percentage of MemAvailable")(
        "tests", po::value(&request.tests_text)->default_value("default")->value_name("LIST"),
        "comma-separated tests, or memtester, default, all")(
        "loops", po::value(&request.loops)->default_value(1)->value_name("N"),
        "passes over the tests; 0: until --time is spent")(
        "time", po::value(&request.time_text)->value_name("DURATION"),
        "stop after DURATION (90, 90s, 15m, 2h) at the end of a sweep")(
        "threads", po::value(&request.threads)->default_value(0)->value_name("N"),
        "worker threads; 0: one per CPU")(
        "state-dir", po::value(&state_dir)->value_name("DIR"),
        "keep error counts in DIR between runs, to see them grow");
    cli.hidden_options().add_options()("inject-fault",
                                       po::value(&request.inject_text)->value_name("T:W:B"),
                                       "for tests: flip bit B of word W during test T");

    diag::ToolSteps steps;
    steps.validate = [&]() -> std::expected<void, std::string> {
        if (request.size_text.empty()) {
            return {};
        }
        auto size = diag::mem::parse_test_size(request.size_text);
        if (!size) {
            return std::unexpected(size.error());
        }
        request.size = *size;
        auto plan = diag::mem::parse_test_list(request.tests_text);
        if (!plan) {
            return std::unexpected(plan.error());
        }
        request.plan = *plan;
        if (!request.time_text.empty()) {
            request.time_budget = parse_duration(request.time_text);
            if (!request.time_budget) {
                return std::unexpected("--time takes a duration such as 90, 90s, 15m or 2h");
            }
        }
        if (request.loops == 0 && !request.time_budget) {
            return std::unexpected("--loops 0 runs until --time is spent: give --time");
        }
        if (!request.inject_text.empty()) {
            const auto first = request.inject_text.find(':');
            const auto second = request.inject_text.rfind(':');
            auto test = diag::mem::parse_test_list(request.inject_text.substr(0, first));
            if (first == std::string::npos || first == second || !test || test->size() != 1) {
                return std::unexpected("--inject-fault takes TEST:WORD:BIT");
            }
            diag::mem::FaultInjection inject{test->front(), 0, 0};
            inject.word_index = std::stoull(request.inject_text.substr(first + 1));
            inject.bit = static_cast<unsigned>(std::stoul(request.inject_text.substr(second + 1)));
            if (inject.bit > 63) {
                return std::unexpected("--inject-fault: BIT is 0 to 63");
            }
            request.inject = inject;
        }
        return {};
    };
    steps.collect = [&](const diag::ToolContext& context) {
        auto report = diag::mem::collect_mem_history(
            context.root, state_dir.empty() ? std::nullopt : std::optional(state_dir),
            std::chrono::system_clock::now());
        if (!request.size_text.empty()) {
            if (!context.root.is_live()) {
                report.issues.push_back({diag::IssueLevel::error, "test", "memory",
                                         "a memory test runs on the live machine only",
                                         "leave out --root"});
            } else {
                if (request.inject && request.inject->word_index * 8 >= 1ULL << 40U) {
                    request.inject.reset();
                }
                report.merge(run_test(context.root, request));
            }
        }
        return report;
    };
    return diag::run_tool(cli, argc, argv, steps);
}
