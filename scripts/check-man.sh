#!/usr/bin/env bash
# Checks the manual pages in man/.
#   1. Every page lints clean: `mandoc -Tlint -W warning` and `man --warnings` (groff) must
#      both print nothing.
#   2. For every tool executable in the build directory, man/TOOL.1 exists and names every
#      long option (--name) that `TOOL --help` prints.
# Usage: scripts/check-man.sh [BUILD_DIR]   (default: build/dev)
# Exits 1 listing every problem found, 0 when there is none.
set -euo pipefail

source_dir="$(cd "$(dirname "$0")/.." && pwd)"
build_dir="${1:-$source_dir/build/dev}"
man_dir="$source_dir/man"
problems=()

for tool in mandoc man col; do
    if ! command -v "$tool" >/dev/null; then
        echo "check-man: $tool is not installed (scripts/setup.sh installs it)" >&2
        exit 1
    fi
done

shopt -s nullglob
pages=("$man_dir"/*.[1-9])
if [ "${#pages[@]}" -eq 0 ]; then
    echo "check-man: no pages in $man_dir" >&2
    exit 1
fi

for page in "${pages[@]}"; do
    name="${page#"$source_dir"/}"
    lint="$(mandoc -Tlint -W warning "$page" 2>&1)" || true
    if [ -n "$lint" ]; then
        problems+=("$name: mandoc -Tlint -W warning:"$'\n'"$lint")
    fi
    # man renders to stdout; only groff's warnings go to stderr.
    warnings="$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)" || true
    if [ -n "$warnings" ]; then
        problems+=("$name: man --warnings:"$'\n'"$warnings")
    fi
done

# Tool executables: diag and diag-* directly in the build's tools/ (and tui/ once it exists).
tools=()
for dir in "$build_dir/tools" "$build_dir/tui"; do
    [ -d "$dir" ] || continue
    while IFS= read -r -d '' exe; do
        tools+=("$exe")
    done < <(find "$dir" -maxdepth 2 -type f -executable \( -name diag -o -name 'diag-*' \) \
        -not -path '*/CMakeFiles/*' -print0 | sort -z)
done
if [ "${#tools[@]}" -eq 0 ]; then
    echo "check-man: no tool executables under $build_dir/tools; build first" >&2
    exit 1
fi

for exe in "${tools[@]}"; do
    tool="$(basename "$exe")"
    page="$man_dir/$tool.1"
    if [ ! -f "$page" ]; then
        problems+=("$tool: no manual page man/$tool.1")
        continue
    fi
    if ! help="$("$exe" --help 2>&1)"; then
        problems+=("$tool: '$tool --help' failed")
        continue
    fi
    # The page as a reader sees it, on very long lines so no option is split across two.
    rendered="$(mandoc -Tascii -Owidth=1000 "$page" | col -b)"
    missing=()
    while IFS= read -r option; do
        grep -qF -- "$option" <<<"$rendered" || missing+=("$option")
    done < <(grep -oE -- '--[A-Za-z][A-Za-z0-9-]*' <<<"$help" | sort -u)
    if [ "${#missing[@]}" -gt 0 ]; then
        problems+=("$tool: man/$tool.1 does not mention: ${missing[*]}")
    fi
done

if [ "${#problems[@]}" -gt 0 ]; then
    printf 'check-man: %s\n' "${problems[@]}" >&2
    echo "check-man: ${#problems[@]} problem(s)" >&2
    exit 1
fi
echo "check-man: ${#pages[@]} pages lint clean; ${#tools[@]} tools have every --help option in their page"
