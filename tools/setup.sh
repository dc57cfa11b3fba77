#!/usr/bin/env bash
# Installs what attrscope needs on a Debian machine (if missing) and builds it
# into build/.  Usage: tools/setup.sh [--test] [cmake options...]
# --test also installs what the test suite drives: tmux, valgrind, clang (for
# the fuzzers) and Chromium (for the HTML pages), and builds with warnings as
# errors (-DATTRSCOPE_WERROR=ON; users' builds leave them warnings).
set -euo pipefail
cd "$(dirname "$0")/.."

pkgs=(build-essential cmake pkg-config libncurses-dev libjansson-dev zlib1g-dev libpcre2-dev check)
werror=()
if [ "${1:-}" = "--test" ]; then
  shift
  werror=(-DATTRSCOPE_WERROR=ON)
  # clang and libclang-rt-dev (libFuzzer's runtime; on Debian 12 it brings
  # libclang-rt-14-dev) for the fuzz targets.
  pkgs+=(tmux valgrind python3 chromium nodejs clang libclang-rt-dev)
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo "${werror[@]}" "$@" >/dev/null
cmake --build build -j"$(nproc)"
