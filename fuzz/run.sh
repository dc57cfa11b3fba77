#!/usr/bin/env bash
# Builds the libFuzzer targets with clang into build-fuzz/ and runs each one
# for a bounded time, one after the other.
#
#   fuzz/run.sh [SECONDS]     seconds per target (default 60)
#   fuzz/run.sh --available   exit 0 when clang can build libFuzzer targets
#
# Seeds (copied at run time, never committed): the inseq fixtures in tests/data/fixtures, the
# project's malformed and hostile test files, and earlier regressions for
# fuzz_load; fuzz/corpus/pipeline, the pipelines of the goldens and
# earlier regressions for fuzz_pipeline.  What the fuzzer learns is kept in
# build-fuzz/corpus/TARGET between runs.
#
# Any crash, timeout, out-of-memory or leak input is copied to
# tests/data/fuzz-regressions/ (named TARGET-KIND-HASH, where the regression
# test replays it) and the script fails.
# Environment: FUZZ_TARGETS (default "fuzz_load fuzz_pipeline"),
# FUZZ_JOBS (build jobs, default 2).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

available() {
  command -v clang >/dev/null 2>&1 || return 1
  local d
  d=$(mktemp -d) || return 1
  printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n)\n{ (void)d; (void)n; return 0; }\n' >"$d/t.c"
  clang -fsanitize=fuzzer,address,undefined "$d/t.c" -o "$d/t" >/dev/null 2>&1
  local rc=$?
  rm -rf "$d"
  return $rc
}

if [ "${1:-}" = "--available" ]; then
  available
  exit $?
fi
secs=${1:-60}
case $secs in '' | *[!0-9]*) echo "usage: fuzz/run.sh [SECONDS] | --available" >&2; exit 2 ;; esac
if ! available; then
  echo "fuzz/run.sh: clang with libFuzzer (clang, libclang-rt-dev) is needed" >&2
  exit 2
fi

targets=${FUZZ_TARGETS:-fuzz_load fuzz_pipeline}
fixtures=$root/tests/data/fixtures
out=$root/build-fuzz
regress=$root/tests/data/fuzz-regressions

echo "== building the fuzz targets (clang, libFuzzer + ASan + UBSan) into build-fuzz/"
CC=clang cmake -S . -B "$out" -DATTRSCOPE_FUZZ=ON -DATTRSCOPE_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null || exit 1
# shellcheck disable=SC2086
cmake --build "$out" -j"${FUZZ_JOBS:-2}" --target $targets >/dev/null || {
  echo "fuzz/run.sh: build failed" >&2; exit 1; }

copy_files() { # destination, files...
  local dst=$1 f; shift
  for f in "$@"; do
    [ -f "$f" ] && [ -s "$f" ] && cp "$f" "$dst/$(basename "$(dirname "$f")")-$(basename "$f")"
  done
  return 0
}

seed_load() {
  local d=$1
  copy_files "$d" "$fixtures"/inseq/* "$root"/tests/data/bad/* "$root"/tests/data/hostile/* \
    "$regress"/load-*
}

seed_pipeline() {
  local d=$1
  copy_files "$d" "$root"/fuzz/corpus/pipeline/* "$regress"/pipeline-*
  if command -v python3 >/dev/null 2>&1 && [ -f "$fixtures/golden/aggregations.json" ]; then
    python3 - "$fixtures/golden/aggregations.json" "$d" <<'PY' || true
import hashlib, json, os, sys
cases = json.load(open(sys.argv[1]))
for case in cases.values():
    for key in case:
        text = key.split(" --weight")[0].split(" (sequence")[0]
        name = "golden-" + hashlib.sha1(text.encode()).hexdigest()[:12]
        open(os.path.join(sys.argv[2], name), "w").write(text)
PY
  fi
}

status=0
summary=()
for t in $targets; do
  short=${t#fuzz_}
  corpus=$out/corpus/$t seeds=$out/seeds/$t arts=$out/artifacts/$t log=$out/logs/$t.log
  rm -rf "$seeds" "$arts"
  mkdir -p "$corpus" "$seeds" "$arts" "$out/logs"
  "seed_$short" "$seeds"
  case $short in
    load) maxlen=65536 ;;   # most fixtures fit; larger seeds are cut
    *) maxlen=1024 ;;
  esac
  dict=()
  [ -f "$root/fuzz/$short.dict" ] && dict=(-dict="$root/fuzz/$short.dict")
  echo "== $t: ${secs}s, $(ls "$seeds" | wc -l) seeds, $(ls "$corpus" | wc -l) inputs in the corpus"
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1} \
    "$out/$t" -max_total_time="$secs" -max_len=$maxlen -rss_limit_mb=2048 -timeout=10 \
    -print_final_stats=1 -artifact_prefix="$arts/" "${dict[@]}" "$corpus" "$seeds" >"$log" 2>&1
  rc=$?
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*')
  found=()
  for a in "$arts"/*; do
    [ -f "$a" ] || continue
    kind=$(basename "$a" | cut -d- -f1)
    sum=$(sha1sum "$a" | cut -c1-12)
    mkdir -p "$regress"
    cp "$a" "$regress/$short-$kind-$sum"
    found+=("tests/data/fuzz-regressions/$short-$kind-$sum")
  done
  if ((${#found[@]})) || [ $rc -ne 0 ]; then
    status=1
    echo "!! $t failed (exit $rc); the end of its log ($log):"
    grep -v '^#[0-9]' "$log" | tail -40
    for f in "${found[@]}"; do echo "!! kept $f"; done
    summary+=("$t: FAILED after ${execs:-?} runs; ${found[*]:-no input kept}")
  else
    summary+=("$t: ok, ${secs}s, ${execs:-?} runs, coverage ${cov:-?}, corpus $(ls "$corpus" | wc -l)")
  fi
done

echo "== fuzz summary"
printf '  %s\n' "${summary[@]}"
exit $status
