// diag-mem: the machine's memory error history and, when asked, a memory test.

#include <diag/cli/tool_main.hpp>
#include <diag/core/units.hpp>
#include <diag/mem/bandwidth.hpp>
#include <diag/mem/mem_history.hpp>
#include <diag/mem/memory_region.hpp>
#include <diag/mem/progress_line.hpp>
#include <diag/mem/test_size.hpp>
#include <diag/mem/tester.hpp>
#include <diag/sys/key_values.hpp>

#include <atomic>
#include <charconv>
#include <csignal>
#include <map>
#include <thread>

#include <fmt/format.h>

#include <sys/ioctl.h>
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
    if (it == scale.end() || number == 0 || number > std::uint64_t{366} * 86400 / it->second) {
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
    bool bandwidth = false;
    // Parsed by validate.
    diag::mem::SizeRequest size;
    std::vector<diag::mem::TestKind> plan;
    std::optional<std::chrono::seconds> time_budget;
    std::optional<diag::mem::FaultInjection> inject;
};

// The terminal's width, 80 when it cannot be asked.
std::size_t terminal_columns() {
    winsize size{};
    if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
        return size.ws_col;
    }
    return 80;
}

// A progress line on standard error, redrawn four times a second from its own thread while a
// test runs, and erased when it ends. The ETA is the smaller of the bytes still to move at the
// rate so far and the time budget left.
class ProgressBar {
public:
    ProgressBar(const diag::mem::TestProgress& progress, const TestRequest& request,
                std::uint64_t bytes_per_pass)
        : progress_(progress),
          request_(request),
          bytes_per_pass_(bytes_per_pass),
          started_(std::chrono::steady_clock::now()),
          thread_([this](const std::stop_token& stop) { draw_until(stop); }) {}
    ~ProgressBar() {
        thread_.request_stop();
        thread_.join();
        fmt::print(stderr, "\r\033[K");
        std::fflush(stderr);
    }
    ProgressBar(const ProgressBar&) = delete;
    ProgressBar& operator=(const ProgressBar&) = delete;
    ProgressBar(ProgressBar&&) = delete;
    ProgressBar& operator=(ProgressBar&&) = delete;

private:
    void draw_until(const std::stop_token& stop) const {
        while (!stop.stop_requested()) {
            draw();
            for (int slice = 0; slice < 5 && !stop.stop_requested(); ++slice) {
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
            }
        }
    }

    void draw() const {
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
        const auto moved = static_cast<double>(progress_.bytes_moved.load());
        diag::mem::ProgressState state;
        state.pass = progress_.pass.load();
        const auto index = progress_.plan_index.load();
        state.test = index < request_.plan.size() ? diag::mem::test_name(request_.plan[index])
                                                  : std::string_view("");
        state.bytes_per_second = seconds > 0 ? moved / seconds : 0;
        std::optional<double> by_bytes;
        std::optional<double> by_time;
        if (request_.loops > 0 && bytes_per_pass_ > 0) {
            state.passes = request_.loops;
            const double total = static_cast<double>(bytes_per_pass_ * request_.loops);
            state.fraction = moved / total;
            if (moved > 0) {
                by_bytes = (total - moved) / state.bytes_per_second;
            }
        }
        if (request_.time_budget) {
            const double budget = static_cast<double>(request_.time_budget->count());
            state.fraction = std::max(state.fraction, seconds / budget);
            by_time = std::max(0.0, budget - seconds);
        }
        if (by_bytes && by_time) {
            state.eta_seconds = std::min(*by_bytes, *by_time);
        } else {
            state.eta_seconds = by_bytes ? by_bytes : by_time;
        }
        fmt::print(stderr, "\r{}\033[K", diag::mem::progress_line(state, terminal_columns() - 1));
        std::fflush(stderr);
    }

    const diag::mem::TestProgress& progress_;
    const TestRequest& request_;
    std::uint64_t bytes_per_pass_;
    std::chrono::steady_clock::time_point started_;
    std::jthread thread_;
};

// A progress bar only for a person watching: both outputs on a terminal, text output.
bool wants_progress(const diag::CommonOptions& options) {
    return !options.json && !options.nagios && !options.quiet && ::isatty(STDOUT_FILENO) != 0 &&
           ::isatty(STDERR_FILENO) != 0;
}

// While it lives, SIGINT and SIGTERM ask the test to stop at the end of a sweep (run_in_child
// passes on those sent to the parent alone), so what ran is still reported and saved.
class StopOnSignals {
public:
    StopOnSignals() {
        struct sigaction action {};
        action.sa_handler = on_interrupt;
        ::sigaction(SIGINT, &action, &old_int_);
        ::sigaction(SIGTERM, &action, &old_term_);
    }
    ~StopOnSignals() {
        ::sigaction(SIGINT, &old_int_, nullptr);
        ::sigaction(SIGTERM, &old_term_, nullptr);
    }
    StopOnSignals(const StopOnSignals&) = delete;
    StopOnSignals& operator=(const StopOnSignals&) = delete;
    StopOnSignals(StopOnSignals&&) = delete;
    StopOnSignals& operator=(StopOnSignals&&) = delete;

private:
    struct sigaction old_int_ {};
    struct sigaction old_term_ {};
};

diag::mem::TestRunResult run_plan(diag::mem::MemoryRegion& region, const TestRequest& request,
                                  bool show_progress) {
    diag::mem::TesterOptions options;
    options.threads = request.threads;
    options.loops = request.loops;
    options.stop = &g_stop;
    options.inject = request.inject;
    if (request.time_budget) {
        options.time_budget = *request.time_budget;
    }
    diag::mem::TestProgress progress;
    options.progress = &progress;
    diag::mem::TestRunResult result;
    {
        std::optional<ProgressBar> bar;
        if (show_progress) {
            std::uint64_t per_pass = 0;
            for (const auto kind : request.plan) {
                per_pass += diag::mem::planned_bytes(kind, region.words().size());
            }
            bar.emplace(progress, request, per_pass);
        }
        result = diag::mem::run_memory_tests(region.words(), request.plan, options);
    }
    return result;
}

struct RunSummary {
    std::uint64_t failure_count = 0;
    std::string finished_names;
    double seconds = 0;
    std::uint64_t moved = 0;
    double bandwidth = 0;
};

RunSummary summarise(const diag::mem::TestRunResult& result) {
    RunSummary summary;
    summary.seconds = result.elapsed.count();
    summary.moved = result.bytes_moved();
    summary.bandwidth =
        summary.seconds > 0 ? static_cast<double>(summary.moved) / summary.seconds : 0.0;
    summary.failure_count = result.dropped_failures;
    for (const auto& test : result.tests) {
        summary.failure_count += test.failures;
        if (test.runs > 0) {
            summary.finished_names += (summary.finished_names.empty() ? "" : ",") +
                                      std::string(diag::mem::test_name(test.test));
        }
    }
    if (summary.finished_names.empty()) {
        summary.finished_names = "none";
    }
    return summary;
}

std::string stop_reason(const diag::mem::TestRunResult& result) {
    if (!result.stopped_early) {
        return "";
    }
    return g_stop.load() ? "interrupted" : "time budget";
}

diag::Finding result_finding(const diag::mem::TestRunResult& result, const RunSummary& summary,
                             std::uint64_t size, const diag::mem::MemoryRegion& region) {
    const auto passes = result.passes_completed;
    const std::string size_text = diag::format_bytes(size);
    std::string summary_line;
    if (summary.failure_count > 0) {
        summary_line =
            fmt::format("{} word{} read back wrong in {} of memory", summary.failure_count,
                        summary.failure_count == 1 ? "" : "s", size_text);
    } else if (result.stopped_early) {
        summary_line = fmt::format(
            "{} of memory: no error in what ran before the stop ({} whole pass{}; tests "
            "finished: {})",
            size_text, passes, passes == 1 ? "" : "es", summary.finished_names);
    } else {
        summary_line = fmt::format("{} of memory passed {} pass{} of {}", size_text, passes,
                                   passes == 1 ? "" : "es", summary.finished_names);
    }
    return diag::Finding{summary.failure_count > 0 ? diag::Severity::critical : diag::Severity::ok,
                         "mem.test.result",
                         "memory test",
                         std::move(summary_line),
                         {{"size_bytes", size},
                          {"passes_completed", passes},
                          {"failures", summary.failure_count},
                          {"locked", region.locked()},
                          {"huge_pages", region.huge_pages()},
                          {"tests_finished", summary.finished_names},
                          {"elapsed_seconds", summary.seconds},
                          {"bytes_moved", summary.moved},
                          {"bandwidth_bytes_per_second", summary.bandwidth}},
                         std::nullopt,
                         "memtester 4.6 tests; March C- (van de Goor 1991)"};
}

// Failures grouped by address (physical where known), in address order.
struct Place {
    const diag::mem::MemFailure* first = nullptr;
    std::uint64_t count = 0;
    std::uint64_t bits = 0;
};

std::map<std::uint64_t, Place> failing_places(const diag::mem::TestRunResult& result) {
    std::map<std::uint64_t, Place> places;
    for (const auto& failure : result.failures) {
        auto& place = places[failure.physical_address.value_or(failure.virtual_address)];
        if (place.first == nullptr) {
            place.first = &failure;
        }
        ++place.count;
        place.bits |= failure.differing_bits();
    }
    return places;
}

diag::Finding failure_finding(const Place& place) {
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
    return diag::Finding{
        diag::Severity::critical,
        "mem.test.failure",
        f.physical_address ? hex(*f.physical_address) : hex(f.virtual_address),
        fmt::format("{}: read {} where {} was written (bit {}), pass {}{}",
                    diag::mem::test_name(f.test), hex(f.actual), hex(f.expected),
                    bit_list(f.differing_bits()), f.pass,
                    place.count > 1 ? fmt::format(", {} times here", place.count) : ""),
        std::move(evidence),
        std::nullopt,
        "memtester 4.6; van de Goor 1991"};
}

void add_metrics(diag::Report& report, const RunSummary& summary, std::uint64_t size) {
    report.metrics.push_back({"diag_mem_test_failures_total",
                              "Words that read back wrong.",
                              diag::MetricType::counter,
                              {},
                              static_cast<double>(summary.failure_count)});
    report.metrics.push_back({"diag_mem_test_size_bytes",
                              "Size of the tested region.",
                              diag::MetricType::gauge,
                              {},
                              static_cast<double>(size)});
    report.metrics.push_back({"diag_mem_test_duration_seconds",
                              "Time the test ran.",
                              diag::MetricType::gauge,
                              {},
                              summary.seconds});
    report.metrics.push_back({"diag_mem_test_bandwidth_bytes_per_second",
                              "Bytes read plus written by the test per second.",
                              diag::MetricType::gauge,
                              {},
                              summary.bandwidth});
    diag::Perfdata failures_perf;
    failures_perf.label = "test_failures";
    failures_perf.value = static_cast<double>(summary.failure_count);
    failures_perf.uom = "c";
    failures_perf.min = 0.0;
    report.perfdata.push_back(std::move(failures_perf));
}

diag::mem::SavedTestRun saved_run(const diag::mem::TestRunResult& result, const RunSummary& summary,
                                  const TestRequest& request, std::uint64_t size,
                                  const std::map<std::uint64_t, Place>& places) {
    diag::mem::SavedTestRun run;
    run.time = std::chrono::system_clock::now();
    run.size_bytes = size;
    for (const auto kind : request.plan) {
        run.plan.emplace_back(diag::mem::test_name(kind));
    }
    for (const auto& test : result.tests) {
        if (test.runs > 0) {
            run.finished.emplace_back(diag::mem::test_name(test.test));
        }
    }
    run.passes_completed = result.passes_completed;
    run.stopped_by = stop_reason(result);
    run.failure_count = summary.failure_count;
    run.elapsed_seconds = summary.seconds;
    run.bytes_moved = summary.moved;
    for (const auto& [key, place] : places) {
        if (run.failures.size() >= diag::mem::kSavedFailuresMax) {
            break;
        }
        const auto& f = *place.first;
        run.failures.push_back({std::string(diag::mem::test_name(f.test)), f.pass,
                                f.virtual_address, f.physical_address, f.expected, f.actual,
                                place.count});
    }
    return run;
}

// --bandwidth: the box's streaming rates on the test region, as a finding and metrics.
diag::mem::BandwidthReference add_bandwidth(diag::Report& report, diag::mem::MemoryRegion& region,
                                            unsigned threads) {
    constexpr std::chrono::milliseconds kPerMeasure{400};
    const auto reference = diag::mem::measure_bandwidth(region.words(), threads, kPerMeasure);
    const double gb = 1e9;
    report.findings.push_back(diag::Finding{
        diag::Severity::info,
        "mem.bandwidth",
        "memory",
        fmt::format("streaming on the test region: memset {:.1f} GB/s, read {:.1f} GB/s, memcpy "
                    "{:.1f} GB/s (read plus written); write then read back {:.1f} GB/s",
                    reference.write_bytes_per_second / gb, reference.read_bytes_per_second / gb,
                    reference.copy_bytes_per_second / gb,
                    reference.write_then_read_bytes_per_second() / gb),
        {{"write_bytes_per_second", reference.write_bytes_per_second},
         {"read_bytes_per_second", reference.read_bytes_per_second},
         {"copy_bytes_per_second", reference.copy_bytes_per_second},
         {"write_then_read_bytes_per_second", reference.write_then_read_bytes_per_second()}},
        std::nullopt,
        "glibc memset and memcpy; a vectorised read"});
    report.metrics.push_back({"diag_mem_reference_bandwidth_bytes_per_second",
                              "Streaming rate of this box on the test region.",
                              diag::MetricType::gauge,
                              {{"kind", "write_then_read"}},
                              reference.write_then_read_bytes_per_second()});
    return reference;
}

// The size asked for, in bytes, or an Issue saying why it is refused.
std::optional<std::uint64_t> test_size(const diag::Root& root, const TestRequest& request,
                                       diag::Report& report) {
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
        return std::nullopt;
    }
    return *size;
}

diag::Report run_test(const diag::ToolContext& context, const TestRequest& request,
                      const std::optional<std::string>& state_dir) {
    diag::Report report;
    const auto size = test_size(context.root, request, report);
    if (!size) {
        return report;
    }
    auto region = diag::mem::MemoryRegion::allocate(*size);
    report.issues.insert(report.issues.end(), region.issues.begin(), region.issues.end());
    if (region.data.size_bytes() == 0) {
        return report;
    }
    std::optional<diag::mem::BandwidthReference> reference;
    if (request.bandwidth) {
        reference = add_bandwidth(report, region.data, request.threads);
    }
    auto result = run_plan(region.data, request, wants_progress(context.options));
    auto physical = diag::mem::resolve_physical_addresses(context.root, result.failures);
    report.issues.insert(report.issues.end(), physical.begin(), physical.end());

    const auto summary = summarise(result);
    if (result.stopped_early) {
        report.issues.push_back({diag::IssueLevel::info, "test", "memory",
                                 g_stop.load() ? "interrupted; the results cover what ran"
                                               : "time budget spent; the results cover what ran",
                                 ""});
    }
    ++report.assessed_count;
    report.findings.push_back(result_finding(result, summary, *size, region.data));
    if (reference && reference->write_then_read_bytes_per_second() > 0) {
        // memtester's rounds write the region and then read it back: that rate is their bound.
        report.findings.back().evidence.push_back(
            {"share_of_reference",
             summary.bandwidth / reference->write_then_read_bytes_per_second()});
    }
    // One finding per address: repeats at one place are summarised with their count.
    const auto places = failing_places(result);
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
        report.findings.push_back(failure_finding(place));
    }
    add_metrics(report, summary, *size);
    if (state_dir) {
        auto issues = diag::mem::save_test_run(*state_dir,
                                               saved_run(result, summary, request, *size, places));
        report.issues.insert(report.issues.end(), issues.begin(), issues.end());
    }
    return report;
}

// --inject-fault TEST:WORD:BIT.
std::expected<diag::mem::FaultInjection, std::string> parse_injection(std::string_view text) {
    const std::string_view usage = "--inject-fault takes TEST:WORD:BIT";
    const auto first = text.find(':');
    const auto second = text.rfind(':');
    if (first == std::string_view::npos || first == second) {
        return std::unexpected(std::string(usage));
    }
    auto test = diag::mem::parse_test_list(text.substr(0, first));
    const auto word_text = text.substr(first + 1, second - first - 1);
    const auto bit_text = text.substr(second + 1);
    diag::mem::FaultInjection inject;
    const auto word =
        std::from_chars(word_text.data(), word_text.data() + word_text.size(), inject.word_index);
    const auto bit =
        std::from_chars(bit_text.data(), bit_text.data() + bit_text.size(), inject.bit);
    if (!test || test->size() != 1 || word.ec != std::errc{} ||
        word.ptr != word_text.data() + word_text.size() || bit.ec != std::errc{} ||
        bit.ptr != bit_text.data() + bit_text.size()) {
        return std::unexpected(std::string(usage));
    }
    if (inject.bit > 63) {
        return std::unexpected("--inject-fault: BIT is 0 to 63");
    }
    inject.test = test->front();
    return inject;
}

// Parses the test options into request; nothing to do without --size.
std::expected<void, std::string> validate_request(TestRequest& request) {
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
        auto inject = parse_injection(request.inject_text);
        if (!inject) {
            return std::unexpected(inject.error());
        }
        request.inject = *inject;
    }
    return {};
}

void add_options(diag::CommandLine& cli, TestRequest& request, std::string& state_dir) {
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
        "bandwidth", po::bool_switch(&request.bandwidth),
        "with --size: first measure memset, read and memcpy rates on the region")(
        "state-dir", po::value(&state_dir)->value_name("DIR"),
        "keep error counts and test results in DIR between runs, to see them grow");
    cli.hidden_options().add_options()("inject-fault",
                                       po::value(&request.inject_text)->value_name("T:W:B"),
                                       "for tests: flip bit B of word W during test T");
}

}  // namespace

int main(int argc, char** argv) {
    TestRequest request;
    std::string state_dir;
    diag::CommandLine cli(
        {"diag-mem",
         "The memory error history of this machine (EDAC, rasdaemon, kernel machine checks, "
         "poisoned pages) and, with --size, a memory test.",
         "[OPTION]...", "",
         "Tests: stuck-address random-value compare-xor compare-sub compare-mul compare-div "
         "compare-or compare-and sequential-increment solid-bits block-sequential checkerboard "
         "bit-spread bit-flip walking-ones walking-zeros 8-bit-writes 16-bit-writes (memtester's "
         "list), march-c-minus random-fill (default)."});
    add_options(cli, request, state_dir);

    diag::ToolSteps steps;
    steps.validate = [&] { return validate_request(request); };
    steps.collect = [&](const diag::ToolContext& context) {
        // With a test asked for, a stop request from here on ends it at a safe point; one
        // before the first sweep stops it there, and the report says so.
        std::optional<StopOnSignals> stop_on_signals;
        if (!request.size_text.empty()) {
            stop_on_signals.emplace();
        }
        const auto state = state_dir.empty() ? std::nullopt : std::optional(state_dir);
        // A test run now is judged on its own; the last saved one only without --size.
        auto report = diag::mem::collect_mem_history(
            context.root, state, std::chrono::system_clock::now(), request.size_text.empty());
        if (request.size_text.empty()) {
            return report;
        }
        if (!context.root.is_live()) {
            report.issues.push_back({diag::IssueLevel::error, "test", "memory",
                                     "a memory test runs on the live machine only",
                                     "leave out --root"});
            return report;
        }
        report.merge(run_test(context, request, state));
        return report;
    };
    return diag::run_tool(cli, argc, argv, steps);
}
