#!/usr/bin/env bash
# Builds the libFuzzer targets with the "fuzz" preset (clang-19, ASan, UBSan) and runs each for
# a bounded number of inputs, with a time cap. Fails when any target crashes, leaks, times out
# or breaks one of its invariants; the input that did it is saved under build/fuzz/crashes/.
#
# Usage: scripts/fuzz.sh [-r RUNS] [-t SECONDS] [TARGET...]
#   -r RUNS     inputs per target (default 20000)
#   -t SECONDS  wall-time cap per target (default 60)
#   TARGET      only these targets (default: every fuzz_* target)
# Seeds: fuzz/corpus/<target>/ (kept in the repository) and the dictionary fuzz/numbers.dict
# (fuzz/logs.dict for the log readers),
# plus matching real files from the shared data directory ($DIAG_SHARED_DATA, else
# ../shared/data) when it is there. New inputs the fuzzer finds go to
# build/fuzz/corpus-work/<target>/, never into the repository.
set -euo pipefail

runs=20000
seconds=60
while getopts "r:t:h" opt; do
    case "$opt" in
        r) runs="$OPTARG" ;;
        t) seconds="$OPTARG" ;;
        h) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) exit 64 ;;
    esac
done
shift $((OPTIND - 1))

source_dir="$(cd "$(dirname "$0")/.." && pwd)"
build_dir="$source_dir/build/fuzz"
shared="${DIAG_SHARED_DATA:-$source_dir/../shared/data}"
cd "$source_dir"

cmake --preset fuzz >"$build_dir.configure.log" 2>&1 || {
    cat "$build_dir.configure.log" >&2
    echo "fuzz: configure failed" >&2
    exit 1
}
cmake --build --preset fuzz --target diag-fuzzers

if [ "$#" -gt 0 ]; then
    targets=("$@")
else
    mapfile -t targets < <(find "$build_dir/fuzz" -maxdepth 1 -type f -name 'fuzz_*' -executable \
        -printf '%f\n' | sort)
fi

# Real files from the shared data that are the kind of input a target decodes, comma-separated
# for -seed_inputs. Missing files are simply not offered.
shared_seeds() {
    local patterns=()
    case "$1" in
        fuzz_meminfo) patterns=("sysfs-fixtures/*/proc/meminfo") ;;
        fuzz_snmp) patterns=("sysfs-fixtures/*/proc/net/snmp" "sysfs-fixtures/*/proc/net/netstat"
                             "sysfs-fixtures/*/*/*/proc/net/snmp"
                             "sysfs-fixtures/*/*/*/proc/net/netstat") ;;
        fuzz_proc_net_dev) patterns=("sysfs-fixtures/*/proc/net/dev"
                                     "sysfs-fixtures/*/*/*/proc/net/dev") ;;
        fuzz_softnet_stat) patterns=("sysfs-fixtures/*/proc/net/softnet_stat"
                                     "sysfs-fixtures/*/*/*/proc/net/softnet_stat") ;;
        fuzz_ethtool_text) patterns=("sysfs-fixtures/*/*/*/ethtool*.txt"
                                     "sysfs-fixtures/node_exporter/ethtool/*/*") ;;
        fuzz_escape|fuzz_format_detect|fuzz_record_reader) patterns=("logs/*.log") ;;
        fuzz_rfc3164) patterns=("logs/Linux_2k.log") ;;
        fuzz_apache_error) patterns=("logs/Apache_2k.log") ;;
        fuzz_ata_identify) patterns=("smart/raw/*/identify-device.bin") ;;
        fuzz_ata_smart_data) patterns=("smart/raw/*/smart-read-data.bin") ;;
        fuzz_ata_logs) patterns=("smart/raw/*/smart-read-log-*.bin") ;;
        fuzz_skblob) patterns=("smart/raw/ata-libatasmart-blobs/*.skblob") ;;
        fuzz_nvme_pages) patterns=("smart/raw/nvme-ecclesia-logpages/*.bin") ;;
        fuzz_smartctl_import) patterns=("smart/*.json") ;;
        fuzz_block_sysfs) patterns=("sysfs-fixtures/node_exporter/run/udev/data/*") ;;
    esac
    local files=() pattern file
    for pattern in "${patterns[@]}"; do
        for file in "$shared"/$pattern; do
            [ -f "$file" ] && files+=("$file")
        done
    done
    # The zone files of this machine are real TZif input of every version.
    if [ "$1" = fuzz_tzif ]; then
        for file in /usr/share/zoneinfo/Europe/Berlin /usr/share/zoneinfo/America/St_Johns \
            /usr/share/zoneinfo/Australia/Lord_Howe /usr/share/zoneinfo/UTC; do
            [ -f "$file" ] && files+=("$file")
        done
    fi
    local IFS=,
    echo "${files[*]}"
}

mkdir -p "$build_dir/crashes"
failed=()
printf '%-28s %10s %8s %s\n' target runs seconds result
for target in "${targets[@]}"; do
    binary="$build_dir/fuzz/$target"
    if [ ! -x "$binary" ]; then
        echo "fuzz: no fuzz target $target" >&2
        failed+=("$target")
        continue
    fi
    work="$build_dir/corpus-work/$target"
    mkdir -p "$work"
    # -max_len: /proc and /sys files and option values are small; longer seeds (log files) are
    # cut to this length rather than slowing every run down.
    # smartctl JSON outputs run to tens of kilobytes; a whole one is worth mutating.
    max_len=4096
    [ "$target" = fuzz_smartctl_import ] && max_len=65536
    args=(-runs="$runs" -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048
          -print_final_stats=1 -artifact_prefix="$build_dir/crashes/$target-" "$work")
    [ -d "fuzz/corpus/$target" ] && args+=("fuzz/corpus/$target")
    # Number spellings (nan, inf, type limits) that random mutation seldom builds by itself;
    # the binary page decoders, the taint mask and TZif take no text numbers.
    case "$target" in
        fuzz_taint | fuzz_tzif | fuzz_ata_* | fuzz_skblob | fuzz_nvme_pages | fuzz_scsi_* | \
            fuzz_link_dump) ;;
        fuzz_rfc* | fuzz_rsyslog_iso | fuzz_dmesg | fuzz_kmsg | fuzz_*_error | fuzz_format_detect | \
            fuzz_record_reader | fuzz_rule_file | fuzz_journal_*) args+=(-dict=fuzz/logs.dict) ;;
        *) args+=(-dict=fuzz/numbers.dict) ;;
    esac
    seeds="$(shared_seeds "$target")"
    [ -n "$seeds" ] && args+=(-seed_inputs="$seeds")

    log="$build_dir/$target.log"
    start=$(date +%s)
    status=0
    "$binary" "${args[@]}" >"$log" 2>&1 || status=$?
    elapsed=$(($(date +%s) - start))
    executed=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    if [ "$status" -eq 0 ]; then
        result=ok
    else
        result="FAILED (exit $status, log $log)"
        failed+=("$target")
    fi
    printf '%-28s %10s %8s %s\n' "$target" "${executed:-?}" "$elapsed" "$result"
done

if [ "${#failed[@]}" -gt 0 ]; then
    echo "fuzz: ${#failed[@]} target(s) failed: ${failed[*]}" >&2
    for target in "${failed[@]}"; do
        log="$build_dir/$target.log"
        [ -f "$log" ] && grep -E -m5 'invariant broken|ERROR: |runtime error|SUMMARY' "$log" >&2
    done
    exit 1
fi
echo "fuzz: all ${#targets[@]} targets ran without a crash"
