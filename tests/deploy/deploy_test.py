#!/usr/bin/env python3
"""Tests of deploy/ and packaging/: the fleet pieces run by the real engines, the packages
installed and removed for real.

    deploy_test.py CASE --source DIR --build DIR

Each CASE is one ctest test (tests/CMakeLists.txt). Exit 0 passes, 1 fails with the reasons on
stderr, 77 skips (ctest's SKIP_RETURN_CODE) with the reason. Commands are run with argv lists,
never through a shell.
"""
import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

TOOLS = ["diag", "diag-sys", "diag-report", "diag-smart", "diag-logs", "diag-nic", "diag-mem",
         "diag-core"]
# Installed like the tools, but interactive: no Nagios command, no textfile output.
INTERACTIVE = ["diag-top"]
SKIP = 77


class Failed(Exception):
    pass


class Skipped(Exception):
    pass


def run(argv, timeout=300, check=True, env=None, **kwargs):
    """Runs argv; a non-zero exit (when check) or a timeout fails the test, naming the command."""
    try:
        result = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, env=env,
                                check=False, **kwargs)
    except subprocess.TimeoutExpired as error:
        raise Failed(f"{argv[0]} did not finish within {timeout} s") from error
    if check and result.returncode != 0:
        raise Failed(f"{' '.join(argv)} exited {result.returncode}\n"
                     f"stdout: {result.stdout[-3000:]}\nstderr: {result.stderr[-3000:]}")
    return result


def need(program):
    path = shutil.which(program)
    if path is None:
        raise Skipped(f"{program} is not installed (scripts/setup.sh installs it)")
    return path


def expect(condition, message):
    if not condition:
        raise Failed(message)


def read(path):
    with open(path, encoding="utf-8") as stream:
        return stream.read()


class Context:
    def __init__(self, source, build):
        self.source = os.path.abspath(source)
        self.build = os.path.abspath(build)
        self.tools = os.path.join(self.build, "tools")
        self.packages = os.path.join(self.build, "packages")

    def deploy(self, *parts):
        return os.path.join(self.source, "deploy", *parts)

    def deb(self):
        found = [f for f in os.listdir(self.packages) if f.endswith(".deb")] \
            if os.path.isdir(self.packages) else []
        expect(len(found) == 1, f"expected one .deb in {self.packages}, found {found}")
        return os.path.join(self.packages, found[0])

    def tarball(self):
        found = [f for f in os.listdir(self.packages) if f.endswith(".tar.gz")] \
            if os.path.isdir(self.packages) else []
        expect(len(found) == 1, f"expected one .tar.gz in {self.packages}, found {found}")
        return os.path.join(self.packages, found[0])


# --- Prometheus -----------------------------------------------------------------------------

def exec_start_commands(unit_path):
    """The ExecStart argv lists of a systemd unit, with ${VAR} from its Environment= lines."""
    env = {}
    commands = []
    for line in read(unit_path).splitlines():
        if line.startswith("Environment="):
            name, value = line[len("Environment="):].split("=", 1)
            env[name] = value
        elif line.startswith("ExecStart="):
            command = line[len("ExecStart="):].lstrip("-")
            expect('"' not in command and "'" not in command,
                   f"{unit_path}: ExecStart with quoting: {command}")
            argv = [re.sub(r"\$\{(\w+)\}", lambda m: env[m.group(1)], word)
                    for word in command.split()]
            commands.append(argv)
    return env, commands


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def node_exporter(textfile_dir):
    """A real prometheus-node-exporter on a loopback port with only the textfile collector."""
    binary = need("prometheus-node-exporter")
    port = free_port()
    process = subprocess.Popen(
        [binary, f"--web.listen-address=127.0.0.1:{port}", "--collector.disable-defaults",
         "--collector.textfile", f"--collector.textfile.directory={textfile_dir}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        url = f"http://127.0.0.1:{port}/metrics"
        give_up = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    yield response.read().decode()
                    break
            except OSError as error:
                if process.poll() is not None or time.monotonic() > give_up:
                    raise Failed(f"node_exporter did not answer on {url}: {error}") from error
                time.sleep(0.2)
    finally:
        process.terminate()
        process.wait(timeout=10)


def write_textfiles(ctx, directory):
    """Runs the service's commands with the built tools, writing into directory."""
    _, commands = exec_start_commands(ctx.deploy("prometheus", "diag-textfile.service"))
    expect(len(commands) >= 6, f"expected a command per tool, found {len(commands)}")
    written = []
    for argv in commands:
        expect(argv[0].startswith("/usr/bin/diag-"), f"unexpected command {argv}")
        argv = [os.path.join(ctx.tools, os.path.basename(argv[0]))] + [
            os.path.join(directory, os.path.basename(word))
            if word.startswith("/var/lib/prometheus/node-exporter/") else word
            for word in argv[1:]]
        result = run(argv, check=False, timeout=120)
        # 0-2: findings; 3: nothing assessed here (no SMART disk, no EDAC) but the file is written.
        expect(result.returncode in (0, 1, 2, 3),
               f"{argv} exited {result.returncode}: {result.stderr[-2000:]}")
        prom = argv[argv.index("--prom") + 1]
        expect(os.path.isfile(prom), f"{argv} wrote no {prom}: {result.stderr[-2000:]}")
        mode = os.stat(prom).st_mode & 0o777
        expect(mode == 0o644, f"{prom} has mode {mode:o}, the exporter's user needs 0644")
        written.append((os.path.basename(argv[0]), prom))
    return written


def case_prometheus_rules(ctx):
    promtool = need("promtool")
    directory = ctx.deploy("prometheus")
    run([promtool, "check", "rules", "diag-alerts.yml"], cwd=directory)
    result = run([promtool, "test", "rules", "diag-alerts.test.yml"], cwd=directory)
    expect("SUCCESS" in result.stdout, f"promtool test rules: {result.stdout}")


def case_textfile_collector(ctx):
    promtool = need("promtool")
    with tempfile.TemporaryDirectory(prefix="diag-textfile.") as directory:
        written = write_textfiles(ctx, directory)
        for _, prom in written:
            with open(prom, "rb") as stream:
                check = subprocess.run([promtool, "check", "metrics"], stdin=stream,
                                       capture_output=True, text=True, timeout=60, check=False)
            expect(check.returncode == 0, f"promtool check metrics {prom}: {check.stderr}")
        with node_exporter(directory) as scraped:
            errors = re.findall(r"^node_textfile_scrape_error (\S+)$", scraped, re.M)
            expect(errors == ["0"], f"node_textfile_scrape_error is {errors}")
            for tool, _ in written:
                expect(re.search(r'^diag_run_timestamp_seconds\{[^}]*tool="' + tool + '"',
                                 scraped, re.M),
                       f"node_exporter serves no diag_run_timestamp_seconds for {tool}")
            expect(re.search(r"^diag_sys_memory_total_bytes\{", scraped, re.M),
                   "node_exporter serves no diag_sys_memory_total_bytes")


def source_metric_names(ctx):
    names = set()
    for folder, _, files in os.walk(os.path.join(ctx.source, "libdiag", "src")):
        for name in files:
            if name.endswith(".cpp"):
                names.update(re.findall(r'"(diag_[a-z0-9_]+)"', read(os.path.join(folder, name))))
    return names


def case_grafana_dashboard(ctx):
    dashboard = json.loads(read(ctx.deploy("prometheus", "grafana-dashboard.json")))
    panels = dashboard["panels"]
    expect(len(panels) >= 8, f"only {len(panels)} panels")
    ids = [p["id"] for p in panels]
    expect(len(ids) == len(set(ids)), f"panel ids repeat: {ids}")
    with tempfile.TemporaryDirectory(prefix="diag-textfile.") as directory:
        written = write_textfiles(ctx, directory)
        emitted = set()
        for _, prom in written:
            emitted.update(re.findall(r"^(diag_[a-z0-9_]+)[{ ]", read(prom), re.M))
    known = emitted | source_metric_names(ctx)
    for panel in panels:
        expect(panel["targets"], f"panel {panel['title']} has no query")
        for target in panel["targets"]:
            for metric in re.findall(r"\b(diag_[a-z0-9_]+)", target["expr"]):
                expect(metric in known,
                       f"panel '{panel['title']}' queries {metric}, which no tool writes")


# --- Nagios and Icinga ----------------------------------------------------------------------

STATUS = {"OK": 0, "WARNING": 1, "CRITICAL": 2, "UNKNOWN": 3}
PERFDATA = re.compile(r"^'?[^'=]+'?=-?[0-9.]+[a-zA-Z%]*(;[^; ]*){0,4}$")


def nrpe_commands(ctx):
    commands = {}
    for line in read(ctx.deploy("nagios", "diag-nrpe.cfg")).splitlines():
        match = re.match(r"^command\[(\w+)\]=(.+)$", line)
        if match:
            commands[match.group(1)] = match.group(2).split()
    return commands


def icinga_commands(ctx):
    """argv lists an Icinga 2 CheckCommand resolves to with its default vars, for the simple
    shape of diag-icinga2.conf: command array, then arguments each bound to one var."""
    text = read(ctx.deploy("nagios", "diag-icinga2.conf"))
    commands = {}
    for match in re.finditer(r'object CheckCommand "([\w-]+)" \{(.*?)\n\}', text, re.S):
        name, body = match.groups()
        argv = re.findall(r'"([^"]+)"', re.search(r"command = \[(.*?)\]", body).group(1))
        values = {}
        for var, value in re.findall(r"vars\.(\w+) = (\[.*?\]|\"[^\"]*\")", body):
            values[var] = re.findall(r'"([^"]*)"', value)
        for key, var in re.findall(r'"(-[\w-]+)" = \{ value = "\$(\w+)\$"', body):
            for value in values.get(var, []):
                argv += [key, value]
        commands[name] = argv
    return commands


def pairs(argv):
    """The options of a command line as a sorted list of (option, value) and bare words."""
    out, i = [], 1
    while i < len(argv):
        if argv[i].startswith("-") and i + 1 < len(argv) and not argv[i + 1].startswith("--") \
                and argv[i] not in ("--nagios", "--list"):
            out.append((argv[i], argv[i + 1]))
            i += 2
        else:
            out.append((argv[i], ""))
            i += 1
    return sorted(out)


def case_nagios(ctx):
    nrpe = nrpe_commands(ctx)
    expect(set(nrpe) == {f"check_diag_{t[5:]}" for t in TOOLS if t != "diag"},
           f"NRPE commands: {sorted(nrpe)}")
    for name, argv in nrpe.items():
        local = [os.path.join(ctx.tools, os.path.basename(argv[0]))] + argv[1:]
        started = time.monotonic()
        result = run(local, check=False, timeout=60)
        seconds = time.monotonic() - started
        expect(seconds < 10, f"{name} took {seconds:.1f} s, past NRPE's 10 s command_timeout")
        first = result.stdout.splitlines()[0] if result.stdout else ""
        match = re.match(r"^DIAG-[A-Z]+ (OK|WARNING|CRITICAL|UNKNOWN) - (.*)$", first)
        expect(match, f"{name}: not a plugin status line: {first!r} {result.stderr[-500:]}")
        expect(STATUS[match.group(1)] == result.returncode,
               f"{name}: says {match.group(1)} but exits {result.returncode}")
        if " | " in first:
            for item in first.split(" | ", 1)[1].split():
                expect(PERFDATA.match(item), f"{name}: bad perfdata {item!r}")
    icinga = icinga_commands(ctx)
    for name, argv in nrpe.items():
        tool = os.path.basename(argv[0])
        expect(tool in icinga, f"no Icinga CheckCommand {tool}")
        expect(icinga[tool][0] == argv[0], f"{tool}: Icinga runs {icinga[tool][0]}")
        expect(pairs(icinga[tool]) == pairs(argv),
               f"{tool}: Icinga {icinga[tool]} differs from NRPE {argv}")
    icinga2 = need("icinga2")
    with tempfile.TemporaryDirectory(prefix="diag-icinga.") as directory:
        # icinga2 reads its configuration as the nagios user: a world-readable copy.
        os.chmod(directory, 0o755)
        ours = os.path.join(directory, "diag-icinga2.conf")
        shutil.copyfile(ctx.deploy("nagios", "diag-icinga2.conf"), ours)
        config = os.path.join(directory, "icinga2.conf")
        with open(config, "w", encoding="utf-8") as stream:
            stream.write('include <itl>\ninclude "' + ours + '"\nobject Host "diag-test" { check_command = "dummy" }\n'
                         'apply Service "diag" for (cmd in [' +
                         ", ".join(f'"{t}"' for t in sorted(icinga)) +
                         ']) {\n  check_command = cmd\n  assign where true\n}\n')
        os.chmod(ours, 0o644)
        os.chmod(config, 0o644)
        result = run([icinga2, "daemon", "-C", "-c", config], check=False, timeout=120)
        expect(result.returncode == 0, f"icinga2 daemon -C: {result.stdout[-3000:]}")
        expect(f"Instantiated {len(icinga)} Services" in result.stdout,
               f"icinga2 did not make a service per command: {result.stdout[-2000:]}")


# --- Kubernetes -----------------------------------------------------------------------------

def case_kubernetes(ctx):
    import yaml  # python3-yaml, installed with ansible-core
    daemonset = yaml.safe_load(read(ctx.deploy("kubernetes", "diag-daemonset.yaml")))
    expect(daemonset["kind"] == "DaemonSet", "not a DaemonSet")
    spec = daemonset["spec"]["template"]["spec"]
    container = spec["containers"][0]
    writable = [m["mountPath"] for m in container["volumeMounts"] if not m.get("readOnly")]
    expect(sorted(writable) == ["/textfile", "/var/lib/diag"],
           f"writable mounts other than the textfile directory and the history: {writable}")
    env = {e["name"]: e["value"] for e in container["env"]}
    expect(env["DIAG_TEXTFILE_DIR"] == "/textfile", "DIAG_TEXTFILE_DIR is not the mount")
    expect(container["command"] == ["/usr/share/diag/kubernetes/diag-loop"],
           f"command {container['command']}")
    with tempfile.TemporaryDirectory(prefix="diag-k8s.") as directory:
        run_env = dict(os.environ, DIAG_TEXTFILE_DIR=directory, DIAG_INTERVAL_SECONDS="0",
                       DIAG_BINDIR=ctx.tools, DIAG_TOOLS=env["DIAG_TOOLS"])
        run([ctx.deploy("kubernetes", "diag-loop")], env=run_env, timeout=300)
        for tool in env["DIAG_TOOLS"].split():
            prom = os.path.join(directory, f"diag-{tool}.prom")
            expect(os.path.isfile(prom), f"diag-loop wrote no {prom}")
            expect(f'tool="diag-{tool}"' in read(prom), f"{prom} has no tool label")


# --- bash completion ------------------------------------------------------------------------

def complete(ctx, words):
    """COMPREPLY of bash-completion plus completions/diag.bash for the command line words
    (the last word is the one being completed)."""
    framework = "/usr/share/bash-completion/bash_completion"
    if not os.path.isfile(framework):
        raise Skipped("bash-completion is not installed (scripts/setup.sh installs it)")
    script = (
        'source "$1"; source "$2"; shift 2\n'
        'COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}\n'
        'spec=$(complete -p "$1"); fn=${spec#*-F }; fn=${fn%% *}\n'
        '"$fn" "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"\n'
        'printf "%s\\n" "${COMPREPLY[@]}"\n')
    tui = os.path.join(ctx.build, "tui")
    env = dict(os.environ, PATH=os.pathsep.join([ctx.tools, tui, os.environ.get("PATH", "")]))
    result = run(["bash", "-c", script, "complete", framework,
                  os.path.join(ctx.source, "completions", "diag.bash")] + words, env=env)
    return result.stdout.split()


def case_completion(ctx):
    got = complete(ctx, ["diag-sys", "--js"])
    expect(got == ["--json"], f"diag-sys --js completes to {got}")
    got = complete(ctx, ["diag", "sm"])
    expect(got == ["smart"], f"diag sm completes to {got}")
    got = complete(ctx, ["diag", "nic", "--al"])
    expect(got == ["--all"], f"diag nic --al completes to {got}")
    got = complete(ctx, ["diag-nic", "l"])
    expect("lo" in got, f"diag-nic l completes to {got}")
    got = complete(ctx, ["diag-top", "--inter"])
    expect(got == ["--interval"], f"diag-top --inter completes to {got}")
    got = complete(ctx, ["diag-logs", "--color", ""])
    expect(got == ["auto", "always", "never"], f"--color completes to {got}")


# --- packages -------------------------------------------------------------------------------

def case_package(ctx):
    cpack = need("cpack")
    shutil.rmtree(ctx.packages, ignore_errors=True)
    run([cpack, "--config", os.path.join(ctx.build, "CPackConfig.cmake"), "-B", ctx.packages],
        timeout=600)
    ctx.deb()
    ctx.tarball()


def installed_files(package):
    result = run(["dpkg-query", "-L", package])
    return [p for p in result.stdout.splitlines() if os.path.isfile(p)]


@contextlib.contextmanager
def deb_installed(ctx):
    """Installs the built .deb for the block and removes it after, also when the test fails."""
    status = run(["dpkg-query", "-W", "-f=${Status}", "diag"], check=False)
    if "install ok installed" in status.stdout:
        raise Skipped("a diag package is already installed here; not replacing it")
    if os.geteuid() != 0:
        raise Skipped("installing a .deb needs root")
    try:
        yield
    finally:
        run(["dpkg", "--purge", "diag"], check=False)


def case_deb(ctx):
    deb = ctx.deb()
    lintian = run([need("lintian"), "--tag-display-limit", "0", deb], check=False, timeout=300)
    tags = [line for line in lintian.stdout.splitlines() if re.match(r"^[EW]: ", line)]
    expect(not tags, "lintian: " + "\n".join(tags))
    with deb_installed(ctx):
        run(["dpkg", "-i", deb])
        files = installed_files("diag")
        for tool in TOOLS + INTERACTIVE:
            result = run([f"/usr/bin/{tool}", "--version"])
            expect(result.stdout.startswith(f"{tool} "), f"{tool} --version: {result.stdout}")
        page = run(["man", "-P", "cat", "diag-smart"], env=dict(os.environ, MANWIDTH="80"))
        expect("diag-smart" in page.stdout and "SMART" in page.stdout,
               f"man diag-smart: {page.stdout[:500]}")
        run(["man", "-w", "7", "diag"])
        run(["systemd-analyze", "verify", "diag-textfile.service", "diag-textfile.timer"])
        report = run(["/usr/bin/diag-report", "--json"], check=False, timeout=120)
        expect(report.returncode in (0, 1, 2), f"installed diag-report exits {report.returncode}")
        expect(json.loads(report.stdout)["diag"]["tool"] == "diag-report", "diag-report --json")
        # The preload handler where diag-core(1) says it is: a program killed by SIGSEGV
        # prints the handler's report and still dies of the signal.
        handler = "/usr/libexec/diag/libdiag-crash-handler.so"
        expect(os.path.isfile(handler), f"{handler} is not installed")
        crash = run(["sh", "-c", "kill -SEGV $$"], check=False,
                    env=dict(os.environ, LD_PRELOAD=handler))
        expect(crash.returncode == -signal.SIGSEGV or crash.returncode == 128 + signal.SIGSEGV,
               f"preloaded sh exits {crash.returncode}")
        expect("SIGSEGV" in crash.stderr, f"no handler report on stderr: {crash.stderr[:400]}")
        run(["dpkg", "-r", "diag"])
        left = [f for f in files if os.path.exists(f)]
        expect(not left, f"files left after dpkg -r: {left}")


def case_tarball(ctx):
    with tempfile.TemporaryDirectory(prefix="diag-tar.") as directory:
        run(["tar", "-xzf", ctx.tarball(), "-C", directory])
        (top,) = os.listdir(directory)
        prefix = os.path.join(directory, "prefix")
        run([os.path.join(directory, top, "install.sh"), "--prefix", prefix])
        for tool in TOOLS + INTERACTIVE:
            run([os.path.join(prefix, "bin", tool), "--version"])
        expect(os.path.isfile(os.path.join(prefix, "share", "man", "man1", "diag-nic.1.gz")),
               "no diag-nic.1.gz under the prefix")
        run([os.path.join(directory, top, "install.sh"), "--uninstall", "--prefix", prefix])
        left = [os.path.join(d, f) for d, _, fs in os.walk(prefix) for f in fs]
        expect(not left, f"files left after --uninstall: {left}")


def case_ansible(ctx):
    playbook_bin = need("ansible-playbook")
    deb = ctx.deb()
    with deb_installed(ctx), tempfile.TemporaryDirectory(prefix="diag-ansible.") as directory:
        env = dict(os.environ, ANSIBLE_NOCOLOR="1", ANSIBLE_LOCAL_TEMP=directory,
                   ANSIBLE_REMOTE_TEMP=directory, ANSIBLE_HOST_KEY_CHECKING="False")
        results = os.path.join(directory, "results")
        try:
            run([playbook_bin, "-i", "localhost,", "-c", "local",
                 ctx.deploy("ansible", "site.yml"), "-e", f"diag_deb={deb}",
                 "-e", f"diag_results_dir={results}"], env=env, timeout=600)
            report = json.loads(read(os.path.join(results, "localhost.json")))
            expect(report["diag"]["tool"] == "diag-report", "localhost.json is not a report")
            summary = read(os.path.join(results, "summary.md"))
            expect("# diag sweep: 1 hosts" in summary, f"summary: {summary[:500]}")
            expect(f"| localhost | {report['worst_severity']} |" in summary,
                   f"summary lacks localhost's row: {summary[:800]}")
            for finding in report["findings"]:
                if finding["severity"] in ("critical", "warning"):
                    expect(f"`{finding['check']}` {finding['subject']}" in summary,
                           f"summary lacks {finding['check']} {finding['subject']}")
            facts = run(["ansible", "localhost", "-i", "localhost,", "-c", "local", "-m",
                         "setup", "-a", "filter=ansible_local"], env=env, timeout=300)
            match = re.search(r'"worst_severity": "(\w+)"', facts.stdout)
            expect(match and match.group(1) in ("ok", "info", "warning", "critical"),
                   f"ansible_local.diag missing: {facts.stdout[-2000:]}")
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink("/etc/ansible/facts.d/diag.fact")


CASES = {
    "prometheus-rules": case_prometheus_rules,
    "textfile-collector": case_textfile_collector,
    "grafana-dashboard": case_grafana_dashboard,
    "nagios": case_nagios,
    "kubernetes": case_kubernetes,
    "completion": case_completion,
    "package": case_package,
    "deb": case_deb,
    "tarball": case_tarball,
    "ansible": case_ansible,
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("case", choices=sorted(CASES))
    parser.add_argument("--source", required=True)
    parser.add_argument("--build", required=True)
    args = parser.parse_args()
    try:
        CASES[args.case](Context(args.source, args.build))
    except Skipped as reason:
        print(f"skipped: {reason}", file=sys.stderr)
        return SKIP
    except Failed as reason:
        print(f"FAILED: {reason}", file=sys.stderr)
        return 1
    print(f"{args.case}: passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
