#!/usr/bin/env bash
# The README's key list is the one the action table generates.
# Usage: readme_keys.sh ATTRSCOPE FIXTURES_DIR
set -u
bin=$1
readme=$(cd "$(dirname "$0")/.." && pwd)/README.md
gen=$("$bin" --keys-markdown)
doc=$(sed -n '/<!-- keys:begin -->/,/<!-- keys:end -->/p' "$readme" | sed '1,/^$/d' | sed '1,/^$/d' | sed '$d')
if [ "$(printf '%s\n' "$gen" | sed -e '$a\' )" = "$(printf '%s\n' "$doc" | sed -e '$a\')" ]; then
  echo "readme_keys: 1 passed, 0 failed"
else
  diff <(printf '%s\n' "$gen") <(printf '%s\n' "$doc") | head -20
  echo "README.md keys differ from 'attrscope --keys-markdown': run tools/readme.sh"
  echo "readme_keys: 0 passed, 1 failed"
  exit 1
fi
