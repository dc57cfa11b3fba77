#!/usr/bin/env bash
# The dataset summary against reading the files: the 500 files x 100
# sequences of bench/scale.sh (one generated file hard-linked under 500
# names), summarised with `attrscope summary DIR` and read with `cat` and
# the loader (bench_summary) in the same run.  Target: summary <= 1.5 x
# (cat + loader).  Usage: bench/summary.sh [BUILD_DIR] [WORK_DIR] [NFILES]
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
work=${2:-${TMPDIR:-/tmp}/attrscope-scale}
nfiles=${3:-500}
bin=$build/attrscope
dir=$work/runs
mkdir -p "$dir"
src=$work/one.json
[ -s "$src" ] || "$build/gen" "$src" --encoder-decoder --src 30 --tgt 20 --dim 8 --seqs 100 \
    --no-sync --force >/dev/null
for i in $(seq 0 $((nfiles - 1))); do
    f=$(printf '%s/run_%04d.json' "$dir" "$i")
    [ -e "$f" ] || ln "$src" "$f"
done
files=$(for i in $(seq 0 $((nfiles - 1))); do printf '%s/run_%04d.json ' "$dir" "$i"; done)
printf '%d files of %.1f MB (%d sequences each) in %s\n' "$nfiles" \
    "$(awk -v b="$(stat -c %s "$src")" 'BEGIN { print b / 1e6 }')" 100 "$dir"

# t CMD...: "WALL CPU" seconds of a command, each the best of $runs (CPU =
# user + system of the command and its children: steadier on a busy machine)
runs=${RUNS:-2}
t() {
    local bw=999 bc=999 w c out
    for _ in $(seq "$runs"); do
        out=$( { TIMEFORMAT='%R %U %S'; time "$@" >/dev/null 2>&1; } 2>&1 | tail -1)
        w=$(awk '{print $1}' <<<"$out"); c=$(awk '{print $2 + $3}' <<<"$out")
        bw=$(awk -v a="$w" -v b="$bw" 'BEGIN{print (a < b) ? a : b}')
        bc=$(awk -v a="$c" -v b="$bc" 'BEGIN{print (a < b) ? a : b}')
    done
    printf '%.3f %.3f' "$bw" "$bc"
}
# shellcheck disable=SC2086
read -r cat_w cat_c <<<"$(t sh -c "cat $files >/dev/null")"
# shellcheck disable=SC2086
load=$("$build/bench_summary" -n "$runs" $files)
read -r load_w load_c <<<"$(sed -nE 's/^loader alone +([0-9.]+) s wall, ([0-9.]+) s CPU.*/\1 \2/p' <<<"$load")"
# shellcheck disable=SC2086
read -r sum_w sum_c <<<"$(t "$bin" summary $files)"
echo "cat FILES > /dev/null          $cat_w s wall, $cat_c s CPU"
sed 's/^/bench_summary: /' <<<"$load"
echo "attrscope summary FILES        $sum_w s wall, $sum_c s CPU"
awk -v cw="$cat_w" -v lw="$load_w" -v sw="$sum_w" -v cc="$cat_c" -v lc="$load_c" -v sc="$sum_c" 'BEGIN {
    printf "target: summary <= 1.5 x (cat + loader)\n"
    printf "  wall: %.3f s vs %.3f s = %.2f x, %s\n", sw, cw + lw, sw / (cw + lw),
        sw <= 1.5 * (cw + lw) ? "met" : "NOT met"
    printf "  CPU:  %.3f s vs %.3f s = %.2f x, %s\n", sc, cc + lc, sc / (cc + lc),
        sc <= 1.5 * (cc + lc) ? "met" : "NOT met" }'
