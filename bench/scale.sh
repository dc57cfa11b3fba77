#!/usr/bin/env bash
# Many files: a directory of 500 files x 100 sequences (one generated file,
# hard-linked under 500 names) opened in the explorer inside tmux with
# --stats.  Two runs: one quits after the first frame, one after every file
# is listed, with keys that move and scroll sent every 50 ms while the files
# are read.  Prints the time to the first frame, the time to the full
# listing, the frame times of those keys (all measured by the binary) and
# the peak RSS of each run (VmHWM of the process just before it quits).
# Usage: bench/scale.sh [BUILD_DIR] [WORK_DIR] [NFILES]
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
work=${2:-${TMPDIR:-/tmp}/attrscope-scale}
nfiles=${3:-500}
bin=$build/attrscope
command -v tmux >/dev/null || { echo "tmux is needed"; exit 1; }
dir=$work/runs
mkdir -p "$dir"
src=$work/one.json
[ -s "$src" ] || "$build/gen" "$src" --encoder-decoder --src 30 --tgt 20 --dim 8 --seqs 100 \
    --no-sync --force >/dev/null
for i in $(seq 0 $((nfiles - 1))); do
    f=$(printf '%s/run_%04d.json' "$dir" "$i")
    [ -e "$f" ] || ln "$src" "$f"
done
printf '%d files of %.1f MB (%d sequences each, hard links of one file) in %s\n' "$nfiles" \
    "$(awk -v b="$(stat -c %s "$src")" 'BEGIN { print b / 1e6 }')" 100 "$dir"

sock=attrscope-scale-$$
T() { tmux -L "$sock" "$@"; }
trap 'T kill-server 2>/dev/null || true' EXIT
screen() { T capture-pane -p -t scale; }
wait_for() { # TEXT SECONDS
    local i n
    n=$(awk -v s="$2" 'BEGIN { print int(s * 50) }')
    for ((i = 0; i < n; i++)); do
        screen | grep -qF -- "$1" && return 0
        sleep 0.02
    done
    echo "timed out waiting for: $1" >&2
    screen >&2
    return 1
}
binpid() {
    local sh
    sh=$(T display-message -p -t scale '#{pane_pid}')
    pgrep -P "$sh" -f "$(basename "$bin")" | head -1
}
# run WAIT_TEXT: opens the directory, waits for the text, reads VmHWM, quits;
# prints the peak RSS in MB and leaves the --stats report in $work/stats.txt
run() {
    T kill-session -t scale 2>/dev/null || true
    T new-session -d -s scale -x 160 -y 50 \
        "cd '$work' && env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color ATTRSCOPE_HISTORY= '$bin' --stats '$dir' 2>'$work/stats.txt'; echo EXIT=\$?; sleep 30"
    if [ -n "${2:-}" ]; then
        # keys while the files are read: the frames they bring are timed
        local k=0
        until screen | grep -qF -- "$1"; do
            T send-keys -t scale "$(case $((k % 4)) in 0) echo j ;; 1) echo l ;; 2) echo NPage ;; *) echo PPage ;; esac)"
            k=$((k + 1))
            sleep 0.05
        done
    fi
    wait_for "$1" 600
    local pid hwm
    pid=$(binpid)
    hwm=$(awk '/VmHWM/ { print $2 }' "/proc/$pid/status")
    T send-keys -t scale q
    wait_for "EXIT=0" 30
    awk -v k="$hwm" 'BEGIN { printf "%.1f", k / 1024 }'
}

rss1=$(run "seq 1/")
first=$(sed -nE 's/.*first frame ([0-9.]+) ms after start.*/\1/p' "$work/stats.txt")
echo "first frame:        $first ms after start (peak RSS $rss1 MB when quitting right after it)"
# (the header's count loses its "+" once every file is in: keys clear the
# message that says so)
rss2=$(run "/$((nfiles * 100)) │" keys)
listed=$(sed -nE 's/.*files read: +all [0-9]+ \(([0-9]+) sequences.*\) ([0-9.]+) ms after start.*/\2 ms (\1 sequences)/p' "$work/stats.txt")
echo "full listing:       $listed"
echo "peak RSS:           $rss2 MB after the full listing"
sed -n '1p;/files read/p;/files loaded/p;/move\/scroll/p' "$work/stats.txt" | sed 's/^/  /'
