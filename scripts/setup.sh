#!/usr/bin/env bash
# Installs every Debian 12 package that diag's build, tests and benchmarks need.
# Idempotent: when everything is already installed it prints nothing and exits 0.
set -euo pipefail

packages=(
    # build
    cmake g++ ninja-build pkg-config clang-format clang-19 clang-tidy-19 libclang-rt-19-dev
    # libraries
    libfmt-dev libspdlog-dev nlohmann-json3-dev libboost-program-options-dev
    libunwind-dev libdw-dev libncurses-dev
    zlib1g-dev liblzma-dev libzstd-dev liblz4-dev libvectorscan-dev libsystemd-dev libsqlite3-dev
    # tests
    catch2 prometheus prometheus-node-exporter mandoc man-db curl procps util-linux git
    bash-completion ansible-core python3-apt python3-yaml icinga2-bin lintian dpkg-dev
    iproute2 python3 sqlite3 lz4 smartmontools elfutils gdb xz-utils systemd-journal-remote
    libfuse3-dev fuse3 tmux
    # benchmarks
    hyperfine sosreport sysstat memtester lnav linux-perf time
)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$p")
    fi
done

if [ "${#missing[@]}" -eq 0 ]; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing packages: ${missing[*]}" >&2
    echo "setup: run as root, or install them with apt-get" >&2
    exit 1
fi

echo "setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# The node exporter package would start its own service where systemd runs; the tests start
# their own instance on a loopback port instead.
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
