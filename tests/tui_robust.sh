# Robustness: no terminal output when stdout is not a terminal, files that
# fail to load, signals (TERM, INT, HUP, TSTP/CONT), resizing from 20x6 to
# 400x120, hostile token text (escape sequences, newlines, bidi controls)
# and wide characters, the progress bar of a slow load, reload.
source "$(dirname "$0")/tuilib.bash" "$@"
COARSE=$INSEQ/encdec_occlusion_coarse.json

# --- not a terminal: nothing on stdout, a hint on stderr
"$BIN" "$COARSE" >"$WORK/out.txt" 2>"$WORK/err.txt" </dev/null
st=$?
if [ $st -eq 2 ] && [ ! -s "$WORK/out.txt" ]; then ok "stdout not a terminal: status 2, no output"; else fail "status $st, $(wc -c <"$WORK/out.txt") bytes"; fi
if grep -q "attrscope show" "$WORK/err.txt"; then ok "points to show/export"; else fail "stderr: $(cat "$WORK/err.txt")"; fi

# --- files that fail
start 80 24 TERM=xterm-256color -- "$WORK/missing.json"
expect_restored 1
if grep -q "missing.json" "$WORK/stderr"; then ok "missing file named on stderr"; else fail "stderr: $(cat "$WORK/stderr")"; fi
printf '{"attributes": {"sequence_attributions": [' >"$WORK/truncated.json"
start 100 24 TERM=xterm-256color -- "$WORK/truncated.json" "$COARSE"
expect "seq 0 of 1" "the good file is shown"
expect "1 of 2 files read (1 sequence); 1 could not be read: $WORK/truncated.json" "the failure is reported in the status line"
keys q
expect_restored 0

# --- signals
for sig in TERM HUP; do
    start 80 24 TERM=xterm-256color -- "$COARSE"
    expect "seq 0 of 1" "running before SIG$sig"
    kill -"$sig" "$(bin_pid)"
    case $sig in TERM) want=143 ;; HUP) want=129 ;; esac
    expect_restored $want
done
start 80 24 TERM=xterm-256color -- "$COARSE"
expect "seq 0 of 1" "running before Ctrl-C"
keys C-c
expect_restored 130
# Ctrl-Z from a shell with job control, then fg
start_shell 80 24
run_in_shell "$COARSE"
expect "seq 0 of 1" "running before Ctrl-Z"
keys C-z
expect "Stopped" "Ctrl-Z stops the explorer"
modes=$(T display-message -p -t "$SESSION" '#{alternate_on} #{cursor_flag}')
if [ "$modes" = "0 1" ]; then ok "stopped: the terminal is given back"; else fail "modes while stopped: $modes"; fi
T send-keys -t "$SESSION" -l "fg"
keys Enter
expect "seq 0 of 1" "fg: the explorer is back"
keys j
wait_status "^ src 1 " && ok "keys work after fg" || fail "status after fg: $(status_line)"
keys q
wait_for 'shell$' 5 || fail "the shell prompt is back after q"
T send-keys -t "$SESSION" -l 'echo EXIT=$?; for w in icanon echo opost icrnl; do stty -a | tr -s " ;" "\n\n" | grep -qx $w && echo TTY-$w; done; echo TTY-END'
keys Enter
expect_restored 0 shell

# --- resizing
start 100 30 TERM=xterm-256color -- "$INSEQ/encdec_ig_granular.json"
expect "seq 0 of 2" "starts at 100x30"
for size in "20 6" "37 9" "400 120" "60 14" "20 6" "160 50"; do
    set -- $size
    resize "$1" "$2"
    if wait_for "seq 0 of 2" && wait_status "^ src "; then ok "${1}x$2: header and status"; else fail "${1}x$2"; fi
done
resize 20 6
keys j j l
wait_status "^ src 2 .* 1 " && ok "20x6: keys move the cursor" || fail "20x6 cursor: $(status_line)"
resize 12 4
expect "too small" "below 20x6: says it is too small" 2
resize 100 30
wait_status "^ src 2 .* 1 " && ok "back to 100x30, cursor kept" || fail "cursor after resizes"
keys q
expect_restored 0

# --- hostile and wide token text
python3 - "$WORK/tokens.json" <<'PY'
import base64, json, struct, sys
def st(rows):
    flat = [x for r in rows for x in r]
    data = struct.pack("<%df" % len(flat), *flat)
    hdr = json.dumps({"attribution": {"dtype": "F32", "shape": [len(rows), len(rows[0])],
                                      "data_offsets": [0, len(data)]}}).encode()
    hdr += b" " * ((8 - len(hdr) % 8) % 8)
    return base64.b64encode(struct.pack("<Q", len(hdr)) + hdr + data).decode()
src = ["\u001b[31mRED", "line\nbreak", "\u202eevil", "\u4f60\u597d", "ok"]
tgt = ["\U0001F600x", "\u4e16\u754c", "\t"]
doc = {"info": {}, "step_attributions": None, "sequence_attributions": [{
    "source": [{"id": i, "token": t} for i, t in enumerate(src)],
    "target": [{"id": i, "token": t} for i, t in enumerate(tgt)],
    "source_attributions": st([[0.5, -0.25, 0.125]] * len(src)),
    "target_attributions": None, "step_scores": {}, "sequence_scores": {},
    "attr_pos_start": 0, "attr_pos_end": 3}]}
json.dump(doc, open(sys.argv[1], "w"))
PY
start 100 20 TERM=xterm-256color -- "$WORK/tokens.json" --pipeline none
expect 'seq 0 of 1' "hostile tokens load"
expect '0 \x1b[31mRED' "escape sequence shown escaped"
expect '1 line\nbreak' "newline shown escaped"
expect '2 \u202eevil' "bidi override shown escaped"
if screen_e | grep -q $'\e\\[31mRED'; then fail "raw escape reached the terminal"; else ok "no raw escape from the file"; fi
# every row's first value starts in the same column, wide labels included
cols=$(screen | python3 -c '
import sys, unicodedata
def w(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
print(len({w(l[:l.index("0.50")]) for l in sys.stdin if l[:1].isdigit() and "0.50" in l}))')
if [ "$cols" = 1 ]; then ok "values aligned next to wide labels"; else fail "values in $cols different columns"; fi
expect '你好' "CJK label shown"
keys t
expect '0 \x1b[31mRED' "raw mode is escaped too"
keys q
expect_restored 0
# outside a UTF-8 locale only ASCII reaches the terminal: non-ASCII as \u{...}
start 100 20 TERM=xterm-256color LANG=C LC_ALL=C -- "$WORK/tokens.json" --pipeline none
expect 'seq 0 of 1' "C locale: loads"
expect '3 \u{4f60}\u{597d}' "C locale: CJK label as escapes"
expect '0 \x1b[31mRED' "C locale: control escaped"
expect '2 \u202eevil' "C locale: bidi control escaped"
if screen | LC_ALL=C grep -q $'[\x80-\xff]'; then fail "non-ASCII bytes on screen in the C locale"; else ok "C locale: only ASCII on screen"; fi
keys l l
wait_status "^ src 0 .* 2 " && ok "C locale: moves" || fail "C locale: status $(status_line)"
keys q
expect_restored 0

# --- progress bar for a slow load: a 77 MB file of number lists
python3 - "$WORK/lists.json" 60 60 1000 <<'PY'
import json, sys
S, T, E = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
inner = "[" + ", ".join("%.17g" % ((i % 97) / 97.0 - 0.5) for i in range(E)) + "]"
row = "[" + ", ".join([inner] * T) + "]"
def tok(i, t):
    return {"__instance_type__": ["inseq.utils.typing", "TokenWithId"], "attributes": {"id": i, "token": t}}
seq = {"__instance_type__": ["inseq.data.attribution", "GranularFeatureAttributionSequenceOutput"],
       "attributes": {"attr_pos_end": T, "attr_pos_start": 0, "sequence_scores": {},
                      "source": [tok(i, "s%d" % i) for i in range(S)],
                      "target": [tok(i, "t%d" % i) for i in range(T)],
                      "source_attributions": "@@T@@", "target_attributions": None, "step_scores": {}}}
doc = {"__instance_type__": ["inseq.data.attribution", "FeatureAttributionOutput"],
       "attributes": {"info": {}, "sequence_attributions": [seq], "step_attributions": None}}
a, b = json.dumps(doc, indent=4, sort_keys=True).split('"@@T@@"')
with open(sys.argv[1], "w") as f:
    f.write(a + '{"Corder": true, "__ndarray__": [' + ", ".join([row] * S) + ']')
    f.write(', "dtype": "float32", "shape": [%d, %d, %d]}' % (S, T, E) + b)
PY
start 100 24 TERM=xterm-256color -- "$WORK/lists.json"
expect "Loading $WORK/lists.json" "progress shown after 300 ms" 3
expect " MB read, 0 sequences decoded" "bytes read so far" 1
expect "seq 0 of 1" "then the explorer" 20
keys q
expect_restored 0
rm -f "$WORK/lists.json"

# --- reload from disk
cp "$COARSE" "$WORK/data.json"
start 100 24 TERM=xterm-256color -- "$WORK/data.json"
expect "seq 0 of 1" "before reload"
cp "$INSEQ/encdec_pair_coarse.json" "$WORK/data.json"
keys r
expect "reloaded 2 sequences" "r reloads the file"
expect "seq 0 of 2" "new contents shown"
echo "not json" >"$WORK/data.json"
keys r
expect "reload failed, still showing the old data" "a failed reload keeps the data"
expect "seq 0 of 2" "old data still shown"
keys q
expect_restored 0
finish
