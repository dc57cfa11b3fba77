#!/usr/bin/env bash
# Benchmarks against the targets of the issues, on a generated file the size
# users hit: decoder-only granular, target_attributions (600, 200, 1024)
# float32 (491 MB of scores).  Prints each figure beside cat and gzip from the
# same run.  Usage: bench/run.sh [BUILD_DIR] [WORK_DIR]
set -euo pipefail
build=${1:-build}
work=${2:-${TMPDIR:-/tmp}/attrscope-bench}
mkdir -p "$work"
bin=$build/attrscope

t() { # seconds of a command, best of 3
  local best=999 s e
  for _ in 1 2 3; do
    s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N)
    best=$(awk -v s="$s" -v e="$e" -v b="$best" 'BEGIN{d=e-s; print (d < b) ? d : b}')
  done
  printf '%.3f' "$best"
}

f=$work/big.json
[ -s "$f" ] || "$build/gen" "$f" --no-sync --force >/dev/null
[ -s "$f.gz" ] || gzip -5 -c "$f" >"$f.gz"
ls -l "$f" "$f.gz" | awk '{printf "%-45s %8.1f MB\n", $9, $5/1048576}'

echo "== reference"
echo "cat FILE > /dev/null            $(t sh -c "cat '$f' >/dev/null") s"
echo "gzip -dc FILE.gz > /dev/null    $(t sh -c "gzip -dc '$f.gz' >/dev/null") s"

echo "== inflate alone, zlib and ISA-L igzip (the floor under loading FILE.gz)"
"$build/bench_inflate" "$f.gz"

echo "== load (target: plain <= 1.0 s, gzip <= 1.15 x gzip -dc, peak RSS <= 1.25 x scores)"
"$build/bench_load" "$f" "$f.gz"
echo "attrscope info FILE             $(t "$bin" info "$f") s"
echo "attrscope info FILE.gz          $(t "$bin" info "$f.gz") s"

echo "== aggregation (target: default <= 0.25 s)"
"$build/bench_agg"

echo "== export (targets: CSV of the aggregated result <= 0.5 s; HTML heatmap end to end <= 1.5 s)"
echo "export -o x.csv (load+agg+csv)  $(t "$bin" export "$f" -o "$work/x.csv" --force) s"
echo "export -o x.html (load+agg+html) $(t "$bin" export "$f" -o "$work/x.html" --force) s"
echo "load only (info)                 $(t "$bin" info "$f") s"
"$build/bench_html" time 2>/dev/null || true

echo "== explorer frames: what curses alone costs for a whole 400x120 screen (bench/frames.sh times the explorer itself)"
"$build/bench_curses" 400x120 --colors 1
"$build/bench_curses" 400x120 --colors 60

echo "== save (targets: <= 1.5 s plain; compressed <= 1.2 x gzip -5 of the same bytes)"
echo "save -o y.json                  $(t "$bin" save "$f" -o "$work/y.json" --force) s"
s=$(date +%s.%N); "$bin" save "$f" -o "$work/y.json.gz" --force; e=$(date +%s.%N)
echo "save -o y.json.gz               $(awk -v s="$s" -v e="$e" 'BEGIN{printf "%.3f", e-s}') s"
s=$(date +%s.%N); gzip -5 -c "$work/y.json" >/dev/null; e=$(date +%s.%N)
echo "gzip -5 of the same bytes       $(awk -v s="$s" -v e="$e" 'BEGIN{printf "%.3f", e-s}') s"

echo "== token-heavy files (targets: <= 2 x the time of a same-size tensor-heavy file, peak RSS <= 2 x the file)"
"$(dirname "$0")/tokens.sh" "$build" "$work"
