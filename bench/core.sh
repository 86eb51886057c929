#!/usr/bin/env bash
# diag-core against eu-stack and gdb on the same cores, each core in one hyperfine run:
#   assert      crasher_assert_threads: 13 threads, a failed assert (the test suite's core)
#   threads1000 crasher_bench_load 1000 0: 1,000 threads, one crashing
#   heap1g      crasher_bench_load 4 1024: 1 GiB of touched heap in the core
# Commands, as issue #6 names them:
#   diag-core CORE                                   (signal, cause, every thread, folded),
#                                                    with its debuginfo cache warm and with none
#   eu-stack -s -i --core CORE                       (elfutils 0.188: source lines, inlines)
#   gdb -batch -nx -ex 'thread apply all bt' EXE CORE
# Prints hyperfine's table per core, the ratios diag-core/eu-stack and gdb/diag-core, and the
# peak resident memory of each command (bench/peak_rss.py). Goals (issue #6): within 1.1 times
# eu-stack's time, at least 4 times faster than gdb, memory bounded on the big core.
# The 1,000-thread core once took diag-core twice eu-stack's time: libdwfl's core attach reads
# each stack word through elf_getdata_rawchunk, whose chunk list is searched linearly (quadratic
# in the words read). diag-core now reads x86-64 cores' threads and memory itself and describes
# each distinct pc once.
# Usage: bench/core.sh [RUNS]   (default 5). Needs root or a file core_pattern it may set.
# DIAG_BENCH_PRESET=dev uses the dev build instead of building the release preset.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}

# DIAG_BENCH_PRESET=dev times the dev build (-O2 -g) instead of a fresh release build.
preset=${DIAG_BENCH_PRESET:-release}
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" --target diag-core >/dev/null
cmake --preset dev >/dev/null
cmake --build --preset dev --target diag-crashers >/dev/null
bin=$PWD/build/$preset/tools
crashers=$PWD/build/dev/tests/crashers
out=$(mktemp -d)
old_pattern=$(cat /proc/sys/kernel/core_pattern)
restore() {
    if [ -w /proc/sys/kernel/core_pattern ]; then
        printf '%s\n' "$old_pattern" >/proc/sys/kernel/core_pattern
    fi
    rm -rf "$out"
}
trap restore EXIT
if [[ "$old_pattern" == "|"* || "$old_pattern" == /* ]]; then
    printf '%s\n' "$out/core.%p" >/proc/sys/kernel/core_pattern
fi
ulimit -c unlimited

# Runs a crasher in its own directory and prints the path of its core.
make_core() {
    local name=$1
    shift
    mkdir -p "$out/$name"
    touch "$out/$name.start"
    (cd "$out/$name" && "$crashers/$1" "${@:2}" >/dev/null 2>&1) || true
    local core
    core=$(find "$out" -maxdepth 2 -name 'core*' -newer "$out/$name.start" -print -quit)
    if [ -z "$core" ]; then
        echo "bench/core.sh: no core from $1" >&2
        exit 1
    fi
    if [ "$core" != "$out/$name/core" ]; then
        mv "$core" "$out/$name/core"
    fi
    echo "$out/$name/core"
}

declare -A exe=(
    [assert]=crasher_assert_threads
    [threads1000]=crasher_bench_load
    [heap1g]=crasher_bench_load)
declare -A args=([assert]="" [threads1000]="1000 0" [heap1g]="4 1024")
for name in assert threads1000 heap1g; do
    # shellcheck disable=SC2086  # the arguments are words on purpose
    core=$(make_core "$name" "${exe[$name]}" ${args[$name]})
    program="$crashers/${exe[$name]}"
    echo "== $name: $(du -h "$core" | cut -f1) core"
    # diag-core twice: with its debuginfo cache in a directory of this run (filled by the
    # warmup, as on a box where diag-core ran before) and without one (as every first run).
    hyperfine --warmup 1 --runs "$runs" --ignore-failure --style basic \
        --export-csv "$out/$name.csv" \
        --command-name "diag-core" "$bin/diag-core --debuginfo-cache $out/cache $core" \
        --command-name "diag-core without cache" "$bin/diag-core --debuginfo-cache '' $core" \
        --command-name "eu-stack -s -i" "eu-stack -s -i --core $core" \
        --command-name "gdb thread apply all bt" \
        "gdb -batch -nx -ex 'thread apply all bt' $program $core"
    # hyperfine's CSV: command,mean,... Only wall time is compared: diag-core collects in a
    # child its parent does not wait for, so hyperfine's user/system columns miss its work.
    awk -F, -v core="$name" '
        NR > 1 { wall[NR] = $2 }
        END { printf "%s: diag-core %.3f s (no cache %.3f s), eu-stack %.3f s, gdb %.3f s; diag-core/eu-stack %.2f (no cache %.2f), gdb/diag-core %.2f (no cache %.2f)\n",
                  core, wall[2], wall[3], wall[4], wall[5], wall[2] / wall[4], wall[3] / wall[4],
                  wall[5] / wall[2], wall[5] / wall[3] }' \
        "$out/$name.csv" | tee -a "$out/summary"
    {
        echo "  $name diag-core: $(python3 bench/peak_rss.py "$bin/diag-core" \
            --debuginfo-cache "$out/cache" "$core" 2>/dev/null)"
        echo "  $name eu-stack: $(python3 bench/peak_rss.py eu-stack -s -i --core "$core" 2>/dev/null)"
        echo "  $name gdb: $(python3 bench/peak_rss.py gdb -batch -nx -ex 'thread apply all bt' \
            "$program" "$core" 2>/dev/null)"
    } | tee -a "$out/summary"
done
echo
cat "$out/summary"
