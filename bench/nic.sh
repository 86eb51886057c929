#!/usr/bin/env bash
# diag-nic on a box with many interfaces, side by side in one hyperfine run:
#   diag-nic --all             one full collection of every interface: one netlink dump, ethtool
#                              on the physical ones (a veth has none), /proc/net counters,
#                              assessment, the text table (what `ip -s -s link` compares with)
#   diag-nic --all --json      the same collection rendered as JSON
#   ip -s -s link show         what a person types first
#   node_exporter scrape       prometheus-node-exporter with only its netclass and netdev
#                              collectors, scraped once with curl
# All three run inside a network namespace of their own holding 300 veth pairs (600
# interfaces). hyperfine's summary prints each command's time as a ratio of the fastest; the
# lines after it give diag-nic's ratios to the other two. Goal (issue 4): diag-nic no slower
# than `ip -s -s link`, and at least 40 times faster than the node_exporter scrape.
# Everything made here (namespace, veths, node_exporter, temporary files) is removed on exit.
# Usage: bench/nic.sh [RUNS] [PAIRS]   (defaults 20 and 300; needs root)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20}
pairs=${2:-300}

if [ "$(id -u)" -ne 0 ]; then
    echo "bench/nic.sh: needs root to create a network namespace" >&2
    exit 1
fi
bash scripts/setup.sh
if [ -z "${DIAG_BIN:-}" ]; then
    cmake --preset release >/dev/null
    cmake --build --preset release >/dev/null
    DIAG_BIN=build/release/tools
fi
diag_nic="$(cd "$DIAG_BIN" && pwd)/diag-nic"

ns="diagbench-$$"
out=$(mktemp -d)
exporter_pid=""
cleanup() {
    if [ -n "$exporter_pid" ]; then
        kill "$exporter_pid" 2>/dev/null || true
        wait "$exporter_pid" 2>/dev/null || true
    fi
    ip netns del "$ns" 2>/dev/null || true
    rm -rf "$out"
}
trap cleanup EXIT

ip netns add "$ns"
ip -n "$ns" link set lo up
# One `ip -batch` makes all pairs in a few hundred milliseconds.
for i in $(seq 0 $((pairs - 1))); do
    echo "link add bva$i type veth peer name bvb$i"
    echo "link set bva$i up"
    echo "link set bvb$i up"
done >"$out/links.batch"
ip -n "$ns" -batch "$out/links.batch"
echo "namespace $ns: $(ip -n "$ns" -o link show | wc -l) interfaces"

# node_exporter inside the namespace, on the namespace's own loopback.
port=9187
ip netns exec "$ns" prometheus-node-exporter --web.listen-address="127.0.0.1:$port" \
    --collector.disable-defaults --collector.netclass --collector.netdev \
    >"$out/exporter.log" 2>&1 &
exporter_pid=$!
for _ in $(seq 1 50); do
    if ip netns exec "$ns" curl -sf -o /dev/null "http://127.0.0.1:$port/metrics"; then
        break
    fi
    sleep 0.1
done
ip netns exec "$ns" curl -sf -o /dev/null "http://127.0.0.1:$port/metrics" || {
    echo "bench/nic.sh: node_exporter did not answer" >&2
    cat "$out/exporter.log" >&2
    exit 1
}

# hyperfine itself runs in the namespace, so no command pays for `ip netns exec`.
ip netns exec "$ns" hyperfine --warmup 2 --runs "$runs" --shell=none \
    --export-json "$out/nic.json" --export-markdown "$out/nic.md" \
    --command-name "diag-nic --all" "$diag_nic --all" \
    --command-name "diag-nic --all --json" "$diag_nic --all --json" \
    --command-name "ip -s -s link show" "ip -s -s link show" \
    --command-name "node_exporter netclass+netdev scrape" \
    "curl -sf -o /dev/null http://127.0.0.1:$port/metrics"
echo
cat "$out/nic.md"

# Mean times in seconds, in the order of the commands above.
mapfile -t means < <(grep -o '"mean": *[0-9.e+-]*' "$out/nic.json" | sed 's/.*: *//')
awk -v d="${means[0]}" -v j="${means[1]}" -v i="${means[2]}" -v n="${means[3]}" 'BEGIN {
    printf "\ndiag-nic --all / ip -s -s link: %.2f (goal: 1.00 or less)\n", d / i
    printf "diag-nic --all --json / ip -s -s link: %.2f\n", j / i
    printf "node_exporter / diag-nic --all: %.1f (goal: 40 or more)\n", n / d
    printf "node_exporter / diag-nic --all --json: %.1f\n", n / j
}'
