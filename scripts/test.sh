#!/usr/bin/env bash
# Installs what diag needs, builds, and runs the whole test suite: the formatting check, a build
# with warnings as errors, the unit, integration and root tests, the same under AddressSanitizer
# and UndefinedBehaviorSanitizer, the man page lint, and a bounded run of every fuzz target.
# Exits non-zero when any step fails; the last line says which steps passed.
set -uo pipefail
cd "$(dirname "$0")/.."

export DIAG_SHARED_DATA="${DIAG_SHARED_DATA:-$(cd .. && pwd)/shared/data}"
jobs=$(nproc)
passed=0
failed=0
failed_steps=()

step() {
    local name=$1
    shift
    echo "=== $name"
    local start=$SECONDS
    if "$@"; then
        echo "=== $name: passed ($((SECONDS - start)) s)"
        passed=$((passed + 1))
    else
        echo "=== $name: FAILED ($((SECONDS - start)) s)"
        failed=$((failed + 1))
        failed_steps+=("$name")
    fi
}

format_check() {
    git ls-files -- '*.cpp' '*.hpp' | xargs clang-format --dry-run -Werror
}

build() {
    local preset=$1
    cmake --preset "$preset" >/dev/null && cmake --build --preset "$preset" -j "$jobs"
}

run_ctest() {
    local preset=$1
    ctest --preset "$preset" -j "$jobs" --timeout 300 2>&1 | tee "build/ctest-$preset.log"
    return "${PIPESTATUS[0]}"
}

# Adds up ctest's "N% tests passed, F tests failed out of T" lines of every suite run.
count_tests() {
    local total=0 bad=0 line
    for log in build/ctest-*.log; do
        [ -f "$log" ] || continue
        line=$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1)
        [ -n "$line" ] || continue
        bad=$((bad + $(sed -E 's/.* ([0-9]+) tests? failed out of.*/\1/' <<<"$line")))
        total=$((total + $(sed -E 's/.*out of ([0-9]+).*/\1/' <<<"$line")))
    done
    echo "$((total - bad)) $bad"
}

bash scripts/setup.sh || exit 1
mkdir -p build
rm -f build/ctest-*.log

step "format" format_check
step "build (warnings are errors)" build dev
step "tests" run_ctest dev
# clang-tidy (cmake --build build/dev --target lint) is clean but is not a CI step: it takes
# about ten minutes on two cores, which would bring the whole run too near its 30 minutes. Run
# it before a merge.
step "build (ASan+UBSan)" build asan
step "tests (ASan+UBSan)" run_ctest asan
if [ -x scripts/check-man.sh ]; then
    step "man pages" bash scripts/check-man.sh build/dev
fi
if [ -x scripts/fuzz.sh ]; then
    step "fuzz" bash scripts/fuzz.sh
fi

echo
if [ "$failed" -gt 0 ]; then
    echo "failed steps: ${failed_steps[*]}"
fi
echo "steps passed: $passed of $((passed + failed))"
read -r tests_ok tests_bad < <(count_tests)
echo "tests: $tests_ok passed, $tests_bad failed"
[ "$failed" -eq 0 ]
