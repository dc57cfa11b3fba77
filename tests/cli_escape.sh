#!/usr/bin/env bash
# Every command on every hostile file (tests/data/hostile): no raw C0 or C1
# control, DEL, bidi control or invalid UTF-8 sequence C0 80 from a file
# reaches standard output, standard error or a written file.  Newline is
# allowed everywhere, CR as the CSV line end, tab/CR in HTML markup.
# Usage: cli_escape.sh ATTRSCOPE FIXTURES_DIR
set -u
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
h=$here/data/hostile
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

clean() { # file, description, [extra allowed: csv|html]
  local c0='\x00-\x09\x0b-\x1f'
  case "${3:-}" in
    csv) c0='\x00-\x09\x0b\x0c\x0e-\x1f' ;;
    html) c0='\x00-\x08\x0b\x0c\x0e-\x1f' ;;
  esac
  local re="[${c0}\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xa8-\xae]|\xe2\x81[\xa6-\xa9]|\xc0\x80"
  if LC_ALL=C grep -qaP "$re" "$1"; then
    bad "$2: raw control character"
    LC_ALL=C grep -naP "$re" "$1" | head -2 | cat -v | cut -c1-160
  else
    ok
  fi
}

run() { # description, allowed, command...
  local what=$1 allow=$2
  shift 2
  timeout 120 "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  [ $rc -le 2 ] && ok || bad "$what: exit $rc"
  clean "$tmp/out" "$what (stdout)" "$allow"
  clean "$tmp/err" "$what (stderr)"
}

n=0
for f in "$h"/*.json "$h"/*.json.gz; do
  name=$(basename "$f")
  n=$((n + 1))
  run "info $name" "" "$bin" info "$f"
  run "info --json $name" "" "$bin" info --json "$f"
  run "show $name" "" "$bin" show "$f"
  run "show --decode-tokens none $name" "" "$bin" show --decode-tokens none "$f"
  run "show -a none $name" "" "$bin" show -a none "$f"
  for fmt in json csv scores; do
    allow=""; [ $fmt = csv ] && allow=csv
    run "export --format $fmt $name" "$allow" "$bin" export "$f" --format $fmt -o -
    run "export --format $fmt --decode-tokens auto $name" "$allow" \
      "$bin" export "$f" --format $fmt --decode-tokens auto -o -
  done
  for view in heatmap tokens granular; do
    extra=()
    [ $view = granular ] && extra=(-a none)
    run "export --view $view $name" html "$bin" export "$f" --view $view "${extra[@]}" -o -
  done
  for out in saved.json saved.json.gz; do
    rm -f "$tmp/$out"
    run "save $out $name" "" "$bin" save "$f" -o "$tmp/$out"
    if [ -e "$tmp/$out" ]; then
      if [ "${out%.gz}" != "$out" ]; then gzip -dc "$tmp/$out" >"$tmp/saved.txt"; else cp "$tmp/$out" "$tmp/saved.txt"; fi
      clean "$tmp/saved.txt" "save $out $name (file)"
      run "info of the saved $out $name" "" "$bin" info "$tmp/$out"
    fi
  done
done
[ $n -ge 12 ] && ok || bad "only $n hostile files"

# The class name, score names and info keys of names_control.json are shown
# escaped.
"$bin" info "$h/names_control.json" >"$tmp/info.txt" 2>&1
for want in 'sequence 0: Coarse\x1b]52;c;cHduZWQ=\x07\x1b[2J\u009b1m\u202eX' \
            '\x1b]0;step\x07p\u009b (2,)' '\x1b[2Jseq\u202e (2,)' '\x1b]52;c;cHduZWQ=\x07: "\u009b2J"'; do
  grep -qF -- "$want" "$tmp/info.txt" && ok || bad "info does not show $want"
done

echo "cli_escape: $pass passed, $fail failed"
[ $fail -eq 0 ]
