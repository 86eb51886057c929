#!/usr/bin/env bash
# Installs what diag needs, builds a release, and prints the whole-box report of this machine.
# Extra arguments go to diag-report (for example --json, or --root DIR for a captured tree).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release >/dev/null
exec build/release/tools/diag-report "$@"
