#!/usr/bin/env bash
# Following files (--watch, key F): a file written in two halves is not
# shown (and no error flashes) until it is whole; files added to a watched
# directory join the list; the cursor, the pipeline and the shown sequence
# stay; a followed single file reloads when rewritten; F stops.
source "$(dirname "$0")/tuilib.bash" "$@"
D=$WORK/runs
mkdir -p "$D"
G=$INSEQ/encdec_ig_granular_split_0.json
cp "$G" "$D/run_000.json"
errors_seen() { screen | grep -qE "could not be read|cannot|error|failed"; }

start 130 40 TERM=xterm-256color -- --watch -a sum "$D"
expect "run_000.json │ seq 0 of 1" "the directory opens"
expect "following the files (inotify)" "--watch says it follows"
expect "pipeline: sum" "the pipeline given"
keys j j l l l
if wait_status "^ src 2 .* ← 3 "; then ok "cursor moved"; else fail "cursor moved"; fi
before=$(status_line)

# a new file written in two halves, seconds apart
size=$(stat -c %s "$G")
head -c $((size / 2)) "$G" >"$D/run_001.json"
flash=0
for _ in $(seq 1 60); do   # 1.2 s of looking: no error, no new sequence
    errors_seen && flash=1
    sleep 0.02
done
if [ $flash = 0 ]; then ok "no error while the file is half written"; else fail "an error flashed"; fi
expect_not "seq 0 of 2" "the half-written file is not listed"
tail -c +$((size / 2 + 1)) "$G" >>"$D/run_001.json"
expect "seq 0 of 2" "once whole it joins the list" 8
if errors_seen; then fail "no error after the reload"; else ok "no error after the reload"; fi
if [ "$(status_line)" = "$before" ]; then ok "the cursor stays"; else fail "cursor: '$(status_line)' was '$before'"; fi
expect "pipeline: sum" "the pipeline stays"
expect "run_000.json │ seq 0 of 2" "the shown sequence stays"

# more files appended, one copied in at once, one renamed into place
cp "$INSEQ/encdec_occlusion_coarse.json" "$D/run_002.json"
cp "$G" "$D/.tmp_003" && mv "$D/.tmp_003" "$D/run_003.json"
expect "seq 0 of 4" "appended files join the list" 8
keys s
expect "sequences (4)" "the sequence list has them"
keys G Enter
expect "run_003.json │ seq 3 of 4" "and opens them"
keys F
expect "not following the files any more" "F stops following"
cp "$G" "$D/run_004.json"
sleep 1.5
expect_not "seq 3 of 5" "no reload once stopped"
keys q
expect_restored 0

# without inotify: looking every second finds new files too
start 130 40 TERM=xterm-256color ATTRSCOPE_WATCH_POLL=1 -- --watch "$D"
expect "following the files (looking every second)" "polling when asked"
expect "seq 0 of 5" "all five files"
head -c 100 "$G" >"$D/run_005.json"
sleep 2.5
expect_not "seq 0 of 6" "a half-written file waits when polling too"
if errors_seen; then fail "no error while polling"; else ok "no error while polling"; fi
cat "$G" >"$D/run_005.json"
expect "seq 0 of 6" "polling picks up the whole file" 8
keys q
expect_restored 0

# a single file, followed with F, rewritten in two halves
F1=$WORK/one.json
cp "$INSEQ/encdec_occlusion_coarse.json" "$F1"
start 130 40 TERM=xterm-256color -- "$F1"
expect "one.json │ seq 0 of 1" "a single file opens"
keys F
expect "following the files" "F follows"
keys Tab   # source alone
old=$(status_value)
P=$INSEQ/encdec_pair_coarse.json
size=$(stat -c %s "$P")
head -c $((size / 2)) "$P" >"$F1.part" && mv "$F1.part" "$F1"
flash=0
for _ in $(seq 1 60); do
    errors_seen && flash=1
    sleep 0.02
done
if [ $flash = 0 ]; then ok "no error while the file is half written"; else fail "an error flashed"; fi
if [ "$(status_value)" = "$old" ]; then ok "the old data stays meanwhile"; else fail "the value changed to $(status_value)"; fi
tail -c +$((size / 2 + 1)) "$P" >>"$F1"
expect "following: reloaded at" "reloaded once whole" 8
expect "seq 0 of 2" "the new content (two sequences)"
keys q
expect_restored 0
# a directory followed with the overview open: the files that did not
# change are not read again (b.json is rewritten behind their signature's
# back - same size, inode and time - so reading it again would show); r
# reads them all
D2=$WORK/run2
mkdir -p "$D2"
cp "$TESTS/data/summary/a_encdec.json" "$D2/a.json"
cp "$TESTS/data/summary/b_deconly.json" "$D2/b.json"
start 130 44 TERM=xterm-256color -- --watch "$D2"
expect "a.json │ seq 0 of 3" "the run opens"
keys O
expect "3 sequences, 6 generation steps, from 2 of 2 files" "the overview of both files"
touch -r "$D2/b.json" "$WORK/b.times"
size=$(stat -c %s "$D2/b.json")
head -c "$size" /dev/zero | tr '\0' x >"$WORK/garbage"
cat "$WORK/garbage" >"$D2/b.json"
touch -r "$WORK/b.times" "$D2/b.json"
cp "$TESTS/data/summary/a_encdec.json" "$D2/c.json"
expect "5 sequences, " "a new file joins the overview" 8
expect "from 3 of 3 files" "  read once whole"
expect "(2 unchanged files taken from before; r reads them all)" "  the others taken from before"
expect_not "left out" "  b.json not read again"
keys Escape
expect "seq 0 of 5" "the list has the new file's sequences"
keys O
expect "5 sequences, " "the overview again"
keys r
expect "left out: 1 files, 0 sequences; first: $D2/b.json" "r reads every file again" 8
expect "4 sequences, " "  b.json's sequence is gone"
expect_not "taken from before" "  nothing taken from before"
keys Escape q
expect_restored 0
finish
