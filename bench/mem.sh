#!/usr/bin/env bash
# Memory test speed, side by side in one hyperfine run on the same region size:
#   memtester SIZE 1                     Debian's memtester 4.6, its whole list, one pass
#   diag-mem --tests memtester           the same list, vectorised, one thread per CPU
#   diag-mem (default plan)              March C- over 7 backgrounds plus a random fill
#   memset bandwidth                     dd from /dev/zero with one SIZE block: the kernel
#                                        clears a SIZE buffer per block (write bandwidth)
# TODO(#5): a memcpy and sequential-read measure beside the memset one.
# Then ratios and effective bandwidth: diag-mem's own figure (bytes read plus written per
# second, from --json) and memtester's, estimated from its sweeps (about 2,600 region sizes
# per pass: see the issue).
# Usage: bench/mem.sh [SIZE] [RUNS]   (default 256M, 3; run as root so memtester can mlock)
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-256M}
runs=${2:-3}

bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release >/dev/null
bin=build/release/tools
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

"$bin/diag-mem" --size "$size" --tests memtester --json >"$out/list.json" || true
"$bin/diag-mem" --size "$size" --json >"$out/plan.json" || true
python3 - "$out/mem.json" "$out/list.json" "$out/plan.json" "$bytes" <<'PY'
import json, sys
runs = {r["command"]: r["mean"] for r in json.load(open(sys.argv[1]))["results"]}
def test_bw(path):
    for f in json.load(open(path))["findings"]:
        if f["check"] == "mem.test.result":
            return f["evidence"]["bandwidth_bytes_per_second"]
size = int(sys.argv[4])
mt = runs[next(k for k in runs if k.startswith("memtester"))]
lst = runs["diag-mem --tests memtester"]
plan = runs["diag-mem default plan"]
dd = runs[next(k for k in runs if k.startswith("dd"))]
dd_bw = size * 16 / dd  # the kernel clears the SIZE buffer 16 times
print(f"memtester list: diag-mem is {mt / lst:.2f}x faster than memtester")
print(f"default plan:   {lst / plan:.1f}x faster per pass than diag-mem's memtester list")
print(f"memtester effective bandwidth ~ {2600 * size / mt / 1e9:.2f} GB/s (estimated sweeps)")
print(f"diag-mem list bandwidth       {test_bw(sys.argv[2]) / 1e9:.2f} GB/s")
print(f"diag-mem plan bandwidth       {test_bw(sys.argv[3]) / 1e9:.2f} GB/s")
print(f"dd memset (writes only)       {dd_bw / 1e9:.2f} GB/s")
PY
