#!/usr/bin/env bash
# Runs the whole test suite: the normal build, a release build (its
# warnings too are errors), the ASan+UBSan build, the
# library tests under valgrind memcheck (no leaks allowed), and a minute of
# each libFuzzer target when clang can build them (fuzz/run.sh).
# Expects tools/setup.sh to have run (it installs the packages).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

echo "== build (warnings are errors)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DATTRSCOPE_WERROR=ON >/dev/null
cmake --build build -j"$jobs"

echo "== release build (-O3 finds other warnings)"
cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DATTRSCOPE_WERROR=ON >/dev/null
cmake --build build-release -j"$jobs"

echo "== build with AddressSanitizer + UndefinedBehaviorSanitizer"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DATTRSCOPE_SANITIZE=ON -DATTRSCOPE_WERROR=ON >/dev/null
cmake --build build-asan -j"$jobs"

echo "== sanitizer suite"
(cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
   UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j"$jobs")

echo "== library tests under valgrind memcheck"
for t in build/test_*; do
  [ -x "$t" ] || continue
  CK_FORK=no valgrind -q --leak-check=full --show-leak-kinds=definite,indirect,possible \
    --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 "$t" >/dev/null \
    || { echo "valgrind: $t reported errors or leaks"; exit 1; }
  echo "valgrind clean: $(basename "$t")"
done

echo "== fuzzing (60 s per target)"
if fuzz/run.sh --available; then
  fuzz/run.sh 60
else
  echo "skipped: clang with libFuzzer is not installed (tools/setup.sh --test installs it)"
fi

echo "== suite"
(cd build && ctest --output-on-failure -j"$jobs")
