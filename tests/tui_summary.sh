#!/usr/bin/env bash
# The dataset overview (O) and the sequence list sorted by a summary column
# (s, < > r, Enter opens): the figures of tests/data/summary are worked out
# by hand in tests/test_summary.c.
source "$(dirname "$0")/tuilib.bash" "$@"
D=$WORK/runs
mkdir -p "$D"
cp "$TESTS/data/summary/a_encdec.json" "$D/a.json"
cp "$TESTS/data/summary/b_deconly.json" "$D/b.json"
echo "not json" >"$D/c_bad.json"

start 130 44 TERM=xterm-256color -- "$D"
expect "a.json │ seq 0 of 3" "the directory opens"
keys O
expect "─ overview" "O opens the overview"
expect "3 sequences, 6 generation steps, from 3 of 3 files" "every file read, the bad one counted"
expect "left out: 1 files, 0 sequences; first: $D/c_bad.json" "the unreadable file is named"
shows_line() { screen | grep -qE -- "$1"; }
if poll 5 shows_line "│ entropy \(nats, mean per step\) +3 +0 +0.6666 +0.5623 +0.801  █"; then
    ok "mean entropy per sequence, with a sparkline"; else fail "mean entropy row"; fi
if shows_line "│ source share \(mean per step\) +2 +1 +0.7083"; then
    ok "source share: the decoder-only sequence is missing"; else fail "source share row"; fi
if shows_line "│ probability \(step score\) +2 +1 +0.5625"; then ok "step score means"; else fail "step score row"; fi
if shows_line "│ +source +54.2%  █    ▇      29.2  0.0  0.0  0.0  0.0 25.0"; then ok "position mass with a sparkline"; else fail "position mass"; fi
if shows_line "│ +1  B +source +0.5000 +2 "; then ok "top tokens"; else fail "top tokens"; fi
# per-step entropies H13 H112 H21 H13 over 10 bins of [0.5623, 1.0397]
expect "[  0.5623,   0.6101) ████████████████████████████████████████ 2" "per-step entropy histogram in bars"
expect "[  0.6101,   0.6578) ████████████████████                     1" "the half-height bar"
# s from the overview: the sequence list, then sorting
keys s
expect "sequences (3), sorted by the files' order ▲" "s opens the list in file order"
row_order() { screen | grep -E '│ +[0-9]+ +[0-9]+ +[0-9]+ ' | sed -E 's/.* ([0-9]+)  ([A-Z][A-Z ]*) → .*/\1/' | tr '\n' ' '; }
order_is() { [ "$(row_order)" = "$1" ]; }
if poll 5 order_is "0 1 2 "; then ok "file order"; else fail "file order: $(row_order)"; fi
keys '>' '>' '>' '>'
expect "sorted by entropy ▲" "> steps to the entropy column"
expect "▲entropy" "the sorted column is marked in the header"
if poll 5 order_is "2 1 0 "; then ok "ascending entropy"; else fail "entropy order: $(row_order)"; fi
keys r
expect "sorted by entropy ▼" "r reverses"
if poll 5 order_is "0 1 2 "; then ok "descending entropy"; else fail "descending: $(row_order)"; fi
keys '>'
expect "sorted by src_share ▼" "the next column"
if poll 5 order_is "0 1 2 "; then ok "NaN share last"; else fail "share order: $(row_order)"; fi
keys r
if poll 5 order_is "1 0 2 "; then ok "ascending share, NaN still last"; else fail "share asc: $(row_order)"; fi
keys '<' '<' '<' '<' '<'
expect "sorted by the files' order ▲" "< wraps back to the files' order"
keys '<'
expect "sorted by score:entropy ▲" "< from the files' order goes to the last column"
# Enter opens the selected sequence: sort by entropy, take the first row
keys '>' '>' '>' '>' '>'
expect "sorted by entropy ▲" "back to entropy"
keys g Enter
expect "b.json │ seq 2 of 3" "Enter opens the lowest-entropy sequence"
# / search inside the sorted list
keys s
expect "sequences (3)" "the list again"
keys /
type_text "w"
keys Enter
expect "'w': sequence 1" "search finds the sequence"
keys Enter
expect "a.json │ seq 1 of 3" "the found sequence opens"
keys q
expect_restored 0

# one file, and the bundled example: both summarised from memory (the file
# is gone from the disk when O is pressed, and the overview still shows it)
cp "$INSEQ/encdec_ig_granular.json" "$WORK/one.json"
start 130 44 TERM=xterm-256color -- "$WORK/one.json"
expect "one.json │ seq 0 of 2" "one file opens"
rm "$WORK/one.json"
keys O
expect "2 sequences, 21 generation steps, from 1 of 1 files" "the overview of one file, from memory"
expect_not "left out" "nothing left out although the file is gone"
keys Escape q
expect_restored 0
start 130 44 TERM=xterm-256color --
expect "example.json │ seq 0 of 2" "the example opens"
keys O
expect "2 sequences, " "the overview of the example"
expect "tokens receiving the most attribution" "with its top tokens"
keys Escape q
expect_restored 0
finish
