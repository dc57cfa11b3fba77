#!/usr/bin/env bash
# The README's generated tables are what the code generates: the explorer's
# keys (the action table) and the pipeline keys (the language's lists).
# Usage: readme_keys.sh ATTRSCOPE FIXTURES_DIR
set -u
bin=$1
readme=$(cd "$(dirname "$0")/.." && pwd)/README.md
pass=0 fail=0
check() { # NAME GENERATED DOCUMENTED
  if [ "$(printf '%s\n' "$2" | sed -e '$a\' )" = "$(printf '%s\n' "$3" | sed -e '$a\')" ]; then
    pass=$((pass + 1))
  else
    diff <(printf '%s\n' "$2") <(printf '%s\n' "$3") | head -20
    echo "README.md $1 differ from the generated ones: run tools/readme.sh"
    fail=$((fail + 1))
  fi
}
gen=$("$bin" --keys-markdown)
doc=$(sed -n '/<!-- keys:begin -->/,/<!-- keys:end -->/p' "$readme" | sed '1,/^$/d' | sed '1,/^$/d' | sed '$d')
check "keys" "$gen" "$doc"
gen=$("$bin" --pipeline-markdown)
doc=$(sed -n '/<!-- pipeline:begin -->/,/<!-- pipeline:end -->/p' "$readme" | sed '1d;$d')
check "pipeline keys" "$gen" "$doc"
echo "readme_keys: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
