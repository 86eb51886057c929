#!/usr/bin/env bash
# diag-smart on 60 disks at once, each recorded with 200 ms of simulated latency, in one
# hyperfine run beside smartctl replaying one recorded disk:
#   diag-smart --devices-from   60 recorded SATA disks (the ticket-1070 Intel SSD's real pages
#                               from the shared data), 8 commands each at 25 ms: 200 ms a disk.
#                               The disks are probed in parallel, so the goal is < 0.5 s.
#   smartctl -j -a (replay)     smartctl 7.x reading the same drive's `-r ataioctl,2` trace from
#                               standard input: one disk, no latency (a replay cannot add any).
# Prints hyperfine's table and diag-smart's mean against the 0.5 s goal; exits 1 above it.
# Usage: bench/smart.sh [RUNS]   (default 10)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
disks=60
latency_ms=25  # per command; a probe of these pages sends 8 commands: 200 ms per disk
goal_s=0.5

shared="${DIAG_SHARED_DATA:-$(cd .. && pwd)/shared/data}"
ticket="$shared/smart/raw/ata-sat-trace-ticket1070-intel-ssdsc2kb019t7r"
if [ ! -d "$ticket" ]; then
    echo "bench/smart.sh: $ticket is missing (set DIAG_SHARED_DATA)" >&2
    exit 1
fi

bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release >/dev/null
bin=build/release/tools
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# sda .. sdz, sdaa ..: the names the kernel would give 60 disks.
name_of() {
    local i=$1 letters=abcdefghijklmnopqrstuvwxyz
    if [ "$i" -lt 26 ]; then
        echo "sd${letters:$i:1}"
    else
        local j=$((i - 26))
        echo "sd${letters:$((j / 26)):1}${letters:$((j % 26)):1}"
    fi
}
for ((i = 0; i < disks; i++)); do
    dir="$out/devices/$(name_of "$i")"
    mkdir -p "$dir"
    cat >"$dir/device.json" <<JSON
{"transport": "ata", "latency_ms": $latency_ms,
 "commands": {
  "ata-identify": {"file": "$ticket/identify-device.bin"},
  "ata-smart-read-data": {"file": "$ticket/smart-read-data.bin"},
  "ata-smart-read-thresholds": {"file": "$ticket/smart-read-thresholds.bin"},
  "ata-smart-read-log-00": {"file": "$ticket/smart-read-log-00-directory.bin"},
  "ata-smart-read-log-06": {"file": "$ticket/smart-read-log-06-selftest.bin"},
  "ata-smart-return-status": {"registers": {"lba_mid": "0x4f", "lba_high": "0xc2"}}}}
JSON
done

# The run must see all 60 disks, or the figure means nothing.
seen=$("$bin/diag-smart" --json --state-dir '' --devices-from "$out/devices" |
    grep -o '"check": "disk.smart.status_failed"' | wc -l)
if [ "$seen" -ne "$disks" ]; then
    echo "bench/smart.sh: diag-smart judged $seen of $disks disks" >&2
    exit 1
fi

commands=(--command-name "diag-smart: $disks recorded disks x 200 ms"
    "$bin/diag-smart --json --state-dir '' --devices-from $out/devices")
if command -v smartctl >/dev/null; then
    commands+=(--command-name "smartctl -j -a: 1 disk replayed from its trace"
        "smartctl -j -a - < $ticket/replay-trace-ataioctl2.txt")
else
    echo "bench/smart.sh: smartctl is not installed; only diag-smart is timed" >&2
fi
hyperfine --warmup 1 --runs "$runs" --ignore-failure --export-markdown "$out/smart.md" \
    --export-csv "$out/smart.csv" "${commands[@]}"
echo
cat "$out/smart.md"
mean=$(awk -F, 'NR == 2 { print $2 }' "$out/smart.csv")
echo
echo "diag-smart on $disks disks with 200 ms each: mean ${mean} s (goal < ${goal_s} s)"
awk -v m="$mean" -v g="$goal_s" 'BEGIN { exit !(m < g) }'
