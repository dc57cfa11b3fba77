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

t() { # seconds of a command, best of 3
    local best=999 s e
    for _ in 1 2 3; do
        s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N)
        best=$(awk -v s="$s" -v e="$e" -v b="$best" 'BEGIN{d=e-s; print (d < b) ? d : b}')
    done
    printf '%.3f' "$best"
}
# shellcheck disable=SC2086
cat_s=$(t sh -c "cat $files >/dev/null")
# shellcheck disable=SC2086
load=$("$build/bench_summary" $files)
load_s=$(sed -nE 's/^loader alone +([0-9.]+) s.*/\1/p' <<<"$load")
# shellcheck disable=SC2086
sum_s=$(t "$bin" summary $files)
# shellcheck disable=SC2086
sum_json_s=$(t "$bin" summary $files --json)
echo "cat FILES > /dev/null          $cat_s s"
sed 's/^/bench_summary: /' <<<"$load"
echo "attrscope summary FILES        $sum_s s"
echo "attrscope summary FILES --json $sum_json_s s"
awk -v c="$cat_s" -v l="$load_s" -v s="$sum_s" 'BEGIN {
    printf "target: summary <= 1.5 x (cat + loader) = %.3f s: %.2f x, %s\n",
        1.5 * (c + l), s / (c + l), s <= 1.5 * (c + l) ? "met" : "NOT met" }'
