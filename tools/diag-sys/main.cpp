// diag-sys: the vmstat/netstat habit of a person on a failing box, judged.

#include <diag/cli/tool_main.hpp>
#include <diag/sys/sys_assess.hpp>
#include <diag/sys/sys_snapshot.hpp>

namespace po = boost::program_options;

int main(int argc, char** argv) {
    diag::sys::SysProbeOptions probe;
    diag::CommandLine cli({"diag-sys",
                           "Memory, pressure, load, CPU, kernel taint, filesystems, TCP and clock "
                           "of this machine, judged.",
                           "[OPTION]...", "mem_available_pct", ""});
    cli.tool_options().add_options()(
        "sample", po::value(&probe.sample_seconds)->default_value(1.0)->value_name("SECONDS"),
        "read rate counters twice, SECONDS apart (0: once, no rates)");

    diag::ToolSteps steps;
    steps.validate = [&]() -> std::expected<void, std::string> {
        if (!(probe.sample_seconds >= 0.0 && probe.sample_seconds <= 60.0)) {
            return std::unexpected("--sample takes seconds from 0 to 60");
        }
        return {};
    };
    steps.collect = [&](const diag::ToolContext& context) {
        auto collected = diag::sys::probe_sys(context.root, probe);
        auto report = diag::sys::assess_sys(collected.data);
        report.issues.insert(report.issues.end(), collected.issues.begin(), collected.issues.end());
        return report;
    };
    return diag::run_tool(cli, argc, argv, steps);
}
