#!/usr/bin/env bash
# Whole-box snapshot, side by side in one hyperfine run:
#   diag-report          every collector (diag-sys samples rates over 1 s)
#   diag-sys --sample 0  the same checks without the rate sample
#   vmstat+df habit      what a person types first: vmstat 1 2, df -h, df -i, PSI, loadavg
#   sos report           sosreport limited to the plugins that cover the same ground
# hyperfine's summary prints each command's time as a ratio of the fastest.
# Usage: bench/report.sh [RUNS]   (default 10; needs root for sos)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}

bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release >/dev/null
bin=build/release/tools
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

hyperfine --warmup 1 --runs "$runs" --ignore-failure --export-markdown "$out/report.md" \
    --command-name "diag-report --json" "$bin/diag-report --json" \
    --command-name "diag-sys --sample 0 --json" "$bin/diag-sys --sample 0 --json" \
    --command-name "vmstat 1 2 + df + PSI" \
    "sh -c 'vmstat 1 2; df -h; df -i; cat /proc/pressure/cpu /proc/pressure/memory /proc/pressure/io /proc/loadavg'" \
    --command-name "sos report (kernel,memory,filesys,networking)" \
    "sos report --batch --quiet --tmp-dir $out --only-plugins=kernel,memory,filesys,networking"
echo
cat "$out/report.md"
