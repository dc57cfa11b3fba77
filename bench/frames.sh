#!/usr/bin/env bash
# Frame times of the explorer on a large file, measured by the binary
# (--stats) in a tmux terminal of the given size: the first frame, moves and
# scrolls (cursor steps, pages, jumps to the ends), and pipeline changes on
# the 2D result of the class default.  Uses bench/run.sh's file unless one is
# given.  Usage: bench/frames.sh [BUILD_DIR] [FILE] [COLSxROWS]
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
file=${2:-${TMPDIR:-/tmp}/attrscope-bench/big.json}
size=${3:-400x120}
bin=$build/attrscope
command -v tmux >/dev/null || { echo "tmux is needed"; exit 1; }
[ -s "$file" ] || { mkdir -p "$(dirname "$file")"; "$build/gen" "$file" --no-sync --force >/dev/null; }
out=$(mktemp -d)
sock=attrscope-frames-$$
T() { tmux -L "$sock" "$@"; }
trap 'T kill-server 2>/dev/null || true; rm -rf "$out"' EXIT
wait_for() {
    local i
    for ((i = 0; i < 1500; i++)); do
        T capture-pane -p -t f | grep -qF -- "$1" && return 0
        sleep 0.02
    done
    echo "timed out waiting for: $1" >&2
    return 1
}
T new-session -d -s f -x "${size%x*}" -y "${size#*x}" \
    "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=tmux-256color ATTRSCOPE_HISTORY= '$bin' --stats ${FRAMES_ARGS:-} '$file' 2>'$out/stats'; echo EXIT=\$?; sleep 30"
wait_for "seq 1/"
step() { T send-keys -t f "$@"; sleep 0.05; }
for i in $(seq 40); do step l; done
for i in $(seq 40); do step j; done
for i in $(seq 10); do step NPage; done
for i in $(seq 10); do step PPage; done
for k in G g End Home G g End Home; do step "$k"; done
for i in $(seq 20); do step h; done
for i in $(seq 20); do step k; done
pipe() { T send-keys -t f a C-u; T send-keys -t f -l "$1"; T send-keys -t f Enter; wait_for "pipeline: $1 "; sleep 0.1; }
for p in "vnorm | subwords" "default" "vnorm vnorm_ord=1" "default" "vnorm | slices target_spans=0:450"; do
    pipe "$p"
done
T send-keys -t f q
wait_for "EXIT=0"
echo "$(basename "$file") in a ${size} terminal:"
cat "$out/stats"
