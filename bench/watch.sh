#!/usr/bin/env bash
# Following a run directory (--watch) while a file is added: how long the
# explorer takes to reload, list and summarise (overview open) when only the
# new file is read, against r, which reads every file.  Runs the explorer in
# a tmux terminal and reads the times it reports on its status line and in
# the overview.  Usage: bench/watch.sh [BUILD_DIR] [WORK_DIR] [FILES]
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
work=${2:-${TMPDIR:-/tmp}/attrscope-bench}
nfiles=${3:-400}
here=$(cd "$(dirname "$0")/.." && pwd)
src=$here/tests/data/fixtures/inseq/encdec_ig_granular.json
command -v tmux >/dev/null || { echo "tmux is needed" >&2; exit 1; }
run=$work/watch_run
rm -rf "$run"
mkdir -p "$run"
for i in $(seq -w 1 "$nfiles"); do cp "$src" "$run/part_$i.json"; done
echo "$nfiles files of $(stat -c %s "$src") bytes in $run"

sock=attrscope-bench-$$
T() { tmux -L "$sock" "$@"; }
trap 'T kill-server 2>/dev/null || true' EXIT
T new-session -d -s b -x 160 -y 50 "$build/attrscope --watch -a vnorm $run"
screen() { T capture-pane -p -t b; }
wait_for() { # REGEX SECONDS
  local i
  for ((i = 0; i < $2 * 50; i++)); do
    screen | grep -qE -- "$1" && return 0
    sleep 0.02
  done
  echo "timed out waiting for: $1" >&2
  screen >&2
  exit 1
}
wait_for "seq 0 of $((nfiles * 2)) " 120
T send-keys -t b O
wait_for "read in [0-9]+ ms" 300
first=$(screen | grep -oE "read in [0-9]+ ms" | head -1)
echo "overview of $nfiles files:                 $first"
T send-keys -t b Escape
sleep 0.3
cp "$src" "$run/part_new.json"
wait_for "reloaded at [0-9:]+ in [0-9]+ ms" 120
echo "a file added, followed (grid):       $(screen | grep -oE "in [0-9]+ ms \(1 new file\)")"
T send-keys -t b O
sleep 0.3
T send-keys -t b Escape
sleep 0.3
cp "$src" "$run/part_new2.json"
T send-keys -t b O
wait_for "unchanged files taken from before" 120
echo "a file added, followed (overview):   $(screen | grep -oE "read in [0-9]+ ms \([0-9]+ unchanged")"
T send-keys -t b r
wait_for "left out|read in [0-9]+ ms$|read in [0-9]+ ms  " 300
sleep 0.5
echo "r, every file read again (overview): $(screen | grep -oE "read in [0-9]+ ms" | head -1)"
T send-keys -t b Escape r
wait_for "reloaded in [0-9]+ ms" 300
echo "r, every file read again (grid):     $(screen | grep -oE "reloaded in [0-9]+ ms" | head -1)"
T send-keys -t b q
rm -rf "$run"
