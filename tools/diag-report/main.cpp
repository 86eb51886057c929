// diag-report: every collector at once, each under its deadline, ranked findings of the box.

#include <diag/cli/tool_main.hpp>
#include <diag/collectors.hpp>
#include <diag/core/deadline.hpp>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace po = boost::program_options;

namespace {

diag::Report run_collectors(const diag::ToolContext& context) {
    const auto collectors = diag::registered_collectors();
    std::vector<std::function<diag::Report()>> tasks;
    std::chrono::milliseconds limit{0};
    for (const auto& collector : collectors) {
        tasks.emplace_back([run = collector.run, root = context.root, name = collector.name] {
            const auto start = std::chrono::steady_clock::now();
            auto report = run(root);
            spdlog::info("collector {}: {} ms, {} findings, {} issues", name,
                         std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::steady_clock::now() - start)
                             .count(),
                         report.findings.size(), report.issues.size());
            return report;
        });
        // A collector makes several probes, each with the deadline; give it room for a few.
        limit = std::max(limit, collector.extra_time + 3 * context.root.deadline());
    }
    auto results = diag::run_all_with_deadline(std::move(tasks), limit);

    diag::Report report;
    for (std::size_t i = 0; i < collectors.size(); ++i) {
        auto& result = results[i];
        if (!result.has_value()) {
            report.issues.push_back({diag::IssueLevel::error, "collect", collectors[i].name,
                                     fmt::format("no answer within {} ms", limit.count()),
                                     "a probe is stuck; the other collectors still reported"});
            continue;
        }
        report.merge(std::move(result.value()));
    }
    return report;
}

}  // namespace

int main(int argc, char** argv) {
    bool list = false;
    diag::CommandLine cli({"diag-report",
                           "The whole box at once: every diag collector in parallel, each under "
                           "its deadline, findings ranked worst first.",
                           "[OPTION]...", "", ""});
    cli.tool_options().add_options()("list", po::bool_switch(&list),
                                     "list the collectors and exit");
    diag::ToolSteps steps;
    steps.collect = [&](const diag::ToolContext& context) { return run_collectors(context); };
    steps.instead = [&]() -> std::optional<int> {
        if (!list) {
            return std::nullopt;
        }
        for (const auto& collector : diag::registered_collectors()) {
            fmt::print("{:<8} {}\n", collector.name, collector.description);
        }
        return 0;
    };
    return diag::run_tool(cli, argc, argv, steps);
}
