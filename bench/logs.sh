#!/usr/bin/env bash
# Classifying a gigabyte of mixed logs, side by side in one hyperfine run:
#   diag-logs --classified   the 78-rule catalogue (one Vectorscan screen over the bytes, the
#                            candidate lines parsed and confirmed), counts by rule (--nagios)
#   grep -cE -f patterns     the same patterns as POSIX EREs (bench/gen_logs.py writes them;
#                            anchors dropped, one lookahead pattern left out), lines counted
#   lnav -n                  lnav headless, counting the log messages it parsed (SQL count)
# Then each once more under bench/peak_rss.py for its peak memory (diag-logs collects in a
# child its parent does not wait for; the wrapper reaps every descendant).
# The logs are made by bench/gen_logs.py (four files: rsyslog ISO syslog and kern.log, nginx
# error.log, Apache 2.4 error_log; about one line in a thousand is a rule's sample) and kept
# in build/bench-logs/SIZE_MB/ for the next run.
#
# Usage: bench/logs.sh [SIZE_MB] [RUNS]   (defaults 1000 and 3)
set -euo pipefail
cd "$(dirname "$0")/.."
size_mb=${1:-1000}
runs=${2:-3}

bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release --target diag-logs >/dev/null
diag=$PWD/build/release/tools/diag-logs
data=$PWD/build/bench-logs/$size_mb
if [ ! -f "$data/apache_error.log" ]; then
    echo "logs: writing ${size_mb} MB of logs to $data" >&2
    python3 bench/gen_logs.py "$data" "$size_mb"
fi
files=("$data/syslog" "$data/kern.log" "$data/nginx_error.log" "$data/apache_error.log")
bytes=$(cat "${files[@]}" | wc -c)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# lnav keeps its state under $HOME; a throwaway one leaves the user's alone.
export HOME="$out/home"
mkdir -p "$HOME"

diag_cmd="$diag --since 2000-01-01 --classified --nagios ${files[*]}"
grep_cmd="grep -cE -f $data/patterns.ere ${files[*]}"
lnav_cmd="lnav -n -c ';SELECT count(*) FROM all_logs' ${files[*]}"

# The files are read once first so that every command finds them in the page cache.
cat "${files[@]}" >/dev/null
# --output=pipe: GNU grep stops at the first match when its output is /dev/null.
hyperfine --warmup 1 --runs "$runs" --ignore-failure --output=pipe \
    --export-json "$out/times.json" \
    --export-markdown "$out/times.md" \
    --command-name "diag-logs --classified" "$diag_cmd" \
    --command-name "grep -cE (77 patterns)" "$grep_cmd" \
    --command-name "lnav -n (count)" "$lnav_cmd"

echo
cat "$out/times.md"
echo
printf '%-26s %10s %12s %14s\n' command MB/s peak_MiB peak_sum_MiB
python3 - "$out/times.json" "$bytes" >"$out/rates.txt" <<'EOF'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
for result in results:
    print(f"{result['command']}\t{int(sys.argv[2]) / 1e6 / result['mean']:.0f}")
EOF
while IFS=$'\t' read -r name rate; do
    case "$name" in
        diag*) cmd=("$diag" --since 2000-01-01 --classified --nagios "${files[@]}") ;;
        grep*) cmd=(grep -cE -f "$data/patterns.ere" "${files[@]}") ;;
        lnav*) cmd=(lnav -n -c ';SELECT count(*) FROM all_logs' "${files[@]}") ;;
    esac
    memory=$(python3 bench/peak_rss.py "${cmd[@]}")
    peak=$(sed -n 's/.*peak_rss_kib=\([0-9]*\).*/\1/p' <<<"$memory")
    sum=$(sed -n 's/.*sum_rss_kib=\([0-9]*\).*/\1/p' <<<"$memory")
    printf '%-26s %10s %12s %14s\n' "$name" "$rate" \
        "$(awk -v k="$peak" 'BEGIN { printf "%.1f", k / 1024 }')" \
        "$(awk -v k="$sum" 'BEGIN { printf "%.1f", k / 1024 }')"
done <"$out/rates.txt"
echo "input: $bytes bytes in ${#files[@]} files ($data)"
