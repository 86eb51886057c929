#!/usr/bin/env bash
# Memory test speed, side by side in one hyperfine run on the same region size:
#   memtester SIZE 1                     Debian's memtester 4.6, its whole list, one pass
#   diag-mem --tests memtester           the same list, vectorised, one thread per CPU
#   diag-mem (default plan)              March C- over 7 backgrounds plus a random fill
#   dd zero->null                        an outside write reference: the kernel clears a SIZE
#                                        buffer per block (one thread)
# Then the box's bandwidth on the same region, from diag-mem --bandwidth: glibc memset (bytes
# written), a sequential read (bytes read) and memcpy (read plus written), each with one thread
# per CPU; and the effective bandwidth (bytes read plus written per second) of each tester:
# diag-mem's own count from --json, memtester's from its sweeps (2,622 region sizes per pass,
# the same count diag-mem's planned_bytes gives; see the issue).
# Usage: bench/mem.sh [SIZE] [RUNS]   (default 256M, 3; run as root so memtester can mlock)
# BUILD=build/dev bench/mem.sh ... times an existing build instead of building the release one:
# the tester and the bandwidth reference are compiled at -O3 in every build type.
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-256M}
runs=${2:-3}

bash scripts/setup.sh
if [ -z "${BUILD:-}" ]; then
    cmake --preset release >/dev/null
    cmake --build --preset release >/dev/null
    BUILD=build/release
fi
bin=$BUILD/tools
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
bytes=$(numfmt --from=iec "$size")

hyperfine --warmup 1 --runs "$runs" --export-json "$out/mem.json" --export-markdown "$out/mem.md" \
    --command-name "memtester $size 1" "memtester $size 1" \
    --command-name "diag-mem --tests memtester" "$bin/diag-mem --size $size --tests memtester" \
    --command-name "diag-mem default plan" "$bin/diag-mem --size $size" \
    --command-name "dd zero->null (memset)" \
    "dd if=/dev/zero of=/dev/null bs=$bytes count=16 status=none"
cat "$out/mem.md"
echo

"$bin/diag-mem" --size "$size" --tests memtester --bandwidth --json >"$out/list.json" || true
"$bin/diag-mem" --size "$size" --bandwidth --json >"$out/plan.json" || true
python3 - "$out/mem.json" "$out/list.json" "$out/plan.json" "$bytes" <<'PY'
import json, sys
runs = {r["command"]: r["mean"] for r in json.load(open(sys.argv[1]))["results"]}
def finding(path, check):
    for f in json.load(open(path))["findings"]:
        if f["check"] == check:
            return f["evidence"]
size = int(sys.argv[4])
mt = runs[next(k for k in runs if k.startswith("memtester"))]
lst = runs["diag-mem --tests memtester"]
plan = runs["diag-mem default plan"]
dd = runs[next(k for k in runs if k.startswith("dd"))]
ref = finding(sys.argv[2], "mem.bandwidth")
lst_test = finding(sys.argv[2], "mem.test.result")
plan_test = finding(sys.argv[3], "mem.test.result")
wr = ref["write_then_read_bytes_per_second"]
mt_bw = 2622 * size / mt
gb = 1e9
print(f"memtester list: diag-mem is {mt / lst:.2f}x faster than memtester (goal 1.4x)")
print(f"default plan:   {lst / plan:.1f}x faster per pass than diag-mem's memtester list (goal 20x)")
print(f"reference (diag-mem --bandwidth, same region and threads):")
print(f"  memset {ref['write_bytes_per_second'] / gb:.2f} GB/s, read {ref['read_bytes_per_second'] / gb:.2f} GB/s, "
      f"memcpy {ref['copy_bytes_per_second'] / gb:.2f} GB/s (read+written), write-then-read {wr / gb:.2f} GB/s")
print(f"  dd memset (one thread, kernel) {size * 16 / dd / gb:.2f} GB/s")
print(f"effective bandwidth, bytes read plus written per second, and share of write-then-read:")
print(f"  memtester (from its sweeps)  {mt_bw / gb:.2f} GB/s  {mt_bw / wr:.0%}")
print(f"  diag-mem list (its count)    {lst_test['bandwidth_bytes_per_second'] / gb:.2f} GB/s  "
      f"{lst_test['share_of_reference']:.0%} (goal 85%)")
print(f"  diag-mem plan (its count)    {plan_test['bandwidth_bytes_per_second'] / gb:.2f} GB/s  "
      f"{plan_test['share_of_reference']:.0%}")
PY
