// diag-smart as a user runs it: saved smartctl output in, a verdict and an exit status out.

#include "support/shared_data.hpp"

#include <cstring>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace {

struct Run {
    int exit_status = -1;
    std::string out;
};

// Runs the built diag-smart with args (argv, no shell) and collects stdout.
Run run_diag_smart(const std::vector<std::string>& args) {
    const auto tool = diag::test::binary_dir() / "tools" / "diag-smart";
    std::vector<std::string> argv_text{tool.string()};
    argv_text.insert(argv_text.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& arg : argv_text) {
        argv.push_back(arg.data());
    }
    argv.push_back(nullptr);

    int pipe_fds[2];
    REQUIRE(pipe(pipe_fds) == 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
    pid_t pid = 0;
    const int spawned = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(pipe_fds[1]);
    INFO("posix_spawn " << argv[0] << ": " << std::strerror(spawned));
    REQUIRE(spawned == 0);

    Run run;
    char buffer[4096];
    ssize_t got = 0;
    while ((got = read(pipe_fds[0], buffer, sizeof buffer)) > 0) {
        run.out.append(buffer, static_cast<std::size_t>(got));
    }
    close(pipe_fds[0]);
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    REQUIRE(WIFEXITED(status));
    run.exit_status = WEXITSTATUS(status);
    return run;
}

std::string shared(const std::string& name) {
    return diag::test::require_shared_data("smart/" + name).string();
}

}  // namespace

TEST_CASE("diag-smart: the failing JMicron Hitachi exits 2 with its critical checks in JSON") {
    const auto run =
        run_diag_smart({"--json", "--from-smartctl",
                        shared("sata-hdd-hitachi-hds721050-usbjmicron-failing-realloc1975.json")});
    CHECK(run.exit_status == 2);
    const auto json = nlohmann::json::parse(run.out);
    std::vector<std::string> critical;
    for (const auto& finding : json["findings"]) {
        if (finding["severity"] == "critical") {
            critical.push_back(finding["check"].get<std::string>());
        }
    }
    CHECK(critical == std::vector<std::string>{"disk.selftest.failed", "disk.smart.status_failed",
                                               "disk.smart.threshold_failed"});
}

TEST_CASE("diag-smart: several files give one Nagios line with each device's perfdata") {
    const auto run = run_diag_smart(
        {"--nagios", "--from-smartctl", shared("nvme-intel-p4510-percentage-used-73.json"),
         "--from-smartctl", shared("sata-hdd-toshiba-mg08aca16te-healthy.json")});
    CHECK(run.exit_status == 1);
    CHECK(run.out.starts_with("DIAG-SMART WARNING - /dev/nvme1: 73% of rated endurance used"));
    CHECK(run.out.find("'nvme1_wear'=73%") != std::string::npos);
    CHECK(run.out.find("'sda_temperature'=23") != std::string::npos);
}

TEST_CASE("diag-smart: permission-denied output is nothing assessed (3), never a healthy disk") {
    const auto run = run_diag_smart(
        {"--json", "--from-smartctl", shared("error-nvme-open-permission-denied-exit2.json")});
    CHECK(run.exit_status == 3);
    const auto json = nlohmann::json::parse(run.out);
    CHECK(json["findings"].empty());
    REQUIRE(json["issues"].size() == 1);
    CHECK(json["issues"][0]["reason"].get<std::string>().find("Permission denied") !=
          std::string::npos);
}

TEST_CASE("diag-smart: a missing file is an issue with exit 3; a DEVICE with it a usage error") {
    CHECK(run_diag_smart({"--from-smartctl", "/nonexistent/smartctl.json"}).exit_status == 3);
    CHECK(run_diag_smart({"--from-smartctl", "/nonexistent/smartctl.json", "sda"}).exit_status ==
          64);
    CHECK(run_diag_smart({"--nagios", "--from-smartctl", "-", "sda"}).exit_status == 3);
}
