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

# ---- outputs that are not regular files -------------------------------------

# A character device is written in place, with or without --force, and stays.
for force in "" --force; do
  "$bin" export "$coarse" --format json -o /dev/null $force && [ -c /dev/null ] && ok || bad "export -o /dev/null $force"
  "$bin" save "$coarse" -o /dev/null $force && [ -c /dev/null ] && ok || bad "save -o /dev/null $force"
  # through a link: the link stays a link to the device
  ln -sf /dev/null "$tmp/null.json"
  "$bin" export "$coarse" --format json -o "$tmp/null.json" $force && [ -L "$tmp/null.json" ] && [ -c /dev/null ] \
    && ok || bad "export -o link-to-/dev/null $force"
done
# /dev/full: the write fails, the message names it, the device stays.
for c in "export --format csv -o /dev/full" "export --format html -o /dev/full" "save -o /dev/full" "save --compress -o /dev/full"; do
  # shellcheck disable=SC2086
  err=$("$bin" ${c%% *} "$coarse" ${c#* } --force 2>&1); rc=$?
  [ $rc -eq 1 ] && grep -q "^attrscope: /dev/full: .*No space left on device$" <<<"$err" && [ -c /dev/full ] \
    && ok || bad "$c: exit $rc: $err"
done
# A FIFO is written into (its reader gets the file), never replaced.
for c in export save; do
  rm -f "$tmp/fifo.json" "$tmp/got.json"
  mkfifo "$tmp/fifo.json"
  cat "$tmp/fifo.json" >"$tmp/got.json" &
  timeout 20 "$bin" $c "$coarse" -o "$tmp/fifo.json" --force; rc=$?
  wait
  [ $rc -eq 0 ] && [ -p "$tmp/fifo.json" ] && python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/got.json" \
    && ok || bad "$c into a FIFO: exit $rc"
done
# A socket is refused.
python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$tmp/sock.json"
err=$("$bin" export "$coarse" -o "$tmp/sock.json" --force 2>&1); rc=$?
[ $rc -eq 2 ] && [ "$err" = "attrscope: $tmp/sock.json: is a socket; only regular files are written or replaced" ] && [ -S "$tmp/sock.json" ] \
  && ok || bad "socket: exit $rc: $err"
# A link to a regular file: refused without --force; with it the file the
# link points to is replaced and the link stays (as the shell's >).
for c in export save; do
  echo precious >"$tmp/real.json"
  ln -sf real.json "$tmp/link.json"
  err=$("$bin" $c "$coarse" -o "$tmp/link.json" 2>&1); rc=$?
  [ $rc -eq 2 ] && [ "$err" = "attrscope: $tmp/link.json: already exists (use --force to replace it)" ] \
    && [ "$(cat "$tmp/real.json")" = precious ] && ok || bad "$c link without --force: exit $rc: $err"
  "$bin" $c "$coarse" -o "$tmp/link.json" --force; rc=$?
  [ $rc -eq 0 ] && [ -L "$tmp/link.json" ] && [ "$(readlink "$tmp/link.json")" = real.json ] \
    && python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/real.json" && ok || bad "$c link --force: exit $rc"
  # a link to nothing is refused
  ln -sf missing.json "$tmp/dangling.json"
  err=$("$bin" $c "$coarse" -o "$tmp/dangling.json" --force 2>&1); rc=$?
  [ $rc -eq 2 ] && grep -q "dangling.json: is a symbolic link to a file that cannot be reached" <<<"$err" \
    && [ ! -e "$tmp/missing.json" ] && ok || bad "$c dangling link: exit $rc: $err"
done
ls -a "$tmp" | grep -q '\.tmp$' && bad "temporary files left: $(ls -a "$tmp")" || ok

# ---- standard output that cannot be written ----------------------------------

for c in "--keys-markdown" "--help" "--version" "info --help" "show --help" "export --help" "save --help" \
         "info $coarse" "info --json $coarse" "show $coarse" "export $coarse -o -" \
         "export $coarse --format csv -o -" "export $coarse --format html -o -" "export $coarse --format scores -o -"; do
  # shellcheck disable=SC2086
  err=$("$bin" $c 2>&1 >/dev/full); rc=$?
  [ $rc -ne 0 ] && grep -q "No space left on device" <<<"$err" && ok || bad "$c >/dev/full: exit $rc: $err"
done

# ---- signals and the file size limit while writing ---------------------------

gen=$(dirname "$bin")/gen
if [ -x "$gen" ]; then
  "$gen" "$tmp/big.json" --encoder-decoder --src 100 --tgt 100 --dim 256 --no-sync >/dev/null
  mkdir "$tmp/out"
  for sig in INT TERM HUP; do
    for c in "export -a none -o $tmp/out/x.json" "save --compress -o $tmp/out/x.json.gz"; do
      # shellcheck disable=SC2086
      "$bin" ${c%% *} "$tmp/big.json" ${c#* } 2>/dev/null &
      pid=$!
      seen=0
      for _ in $(seq 1 3000); do
        if ls -a "$tmp/out" | grep -q '\.tmp$'; then seen=1; break; fi
        kill -0 $pid 2>/dev/null || break
        sleep 0.01
      done
      kill -$sig $pid 2>/dev/null
      wait $pid; rc=$?
      case $sig in INT) want=130 ;; TERM) want=143 ;; HUP) want=129 ;; esac
      if [ $seen = 1 ]; then
        [ $rc -eq $want ] && ok || bad "$c: SIG$sig: exit $rc"
        left=$(ls -A "$tmp/out")
        [ -z "$left" ] && ok || bad "$c: SIG$sig left: $left"
      else
        bad "$c: no temporary file seen before the end (exit $rc)"
      fi
      rm -f "$tmp/out"/* "$tmp/out"/.??*
    done
  done
  # Over `ulimit -f` (1 MB): a clean error naming the file, nothing left.
  for c in "export --view granular -o $tmp/out/x.html" "export -a none -o $tmp/out/x.json" "save -o $tmp/out/x.json"; do
    # shellcheck disable=SC2086
    err=$(ulimit -f 2048; "$bin" ${c%% *} "$tmp/big.json" ${c#* } 2>&1); rc=$?
    [ $rc -eq 1 ] && grep -q "^attrscope: $tmp/out/x\.[a-z]*: .*File too large" <<<"$err" && [ -z "$(ls -A "$tmp/out")" ] \
      && ok || bad "$c over ulimit -f: exit $rc: $err; left: $(ls -A "$tmp/out")"
    rm -f "$tmp/out"/* "$tmp/out"/.??*
  done
else
  echo "(no gen next to the binary: signal cases skipped)"
fi

echo "cli_specials: $pass passed, $fail failed"
[ $fail -eq 0 ]
