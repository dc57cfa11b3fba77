#!/usr/bin/env bash
# Every malformed file of tests/data/bad (expected.tsv: file, message)
# through every command: exit 1 and the one expected line on stderr,
# nothing written.
# Usage: cli_bad.sh ATTRSCOPE FIXTURES_DIR
set -u
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
d=$here/data/bad
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

n=0
while IFS=$'\t' read -r file msg; do
  case $file in '#'*|'') continue ;; esac
  n=$((n + 1))
  # the commands read a directory as its .json/.json.gz files (the loader
  # alone refuses one, with the message of expected.tsv)
  [ "$file" = adir ] && msg="no .json or .json.gz files in this directory"
  for c in "info" "info --json" "show" "export -o $tmp/o.json" "export -o $tmp/o.csv" \
           "export -o $tmp/o.html" "save -o $tmp/o.inseq.json"; do
    read -r sub rest <<<"$c"
    # shellcheck disable=SC2086
    err=$(timeout 60 "$bin" $sub "$d/$file" $rest 2>&1 >/dev/null); rc=$?
    [ $rc -eq 1 ] && [ "$err" = "attrscope: $d/$file: $msg" ] && ok || bad "$c $file: exit $rc: $err"
    ls "$tmp"/o.* >/dev/null 2>&1 && { bad "$c $file wrote an output"; rm -f "$tmp"/o.*; } || ok
  done
done <"$d/expected.tsv"
[ $n -ge 30 ] && ok || bad "only $n cases"

echo "cli_bad: $pass passed, $fail failed"
[ $fail -eq 0 ]
