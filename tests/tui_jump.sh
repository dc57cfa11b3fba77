#!/usr/bin/env bash
# The : prompt (rows, columns, sequences, panes, step rows; errors in the
# prompt), sorting rows by a column (o), redo (C-r) and search across
# sequences (/ n N, Tab for this sequence only).
source "$(dirname "$0")/tuilib.bash" "$@"

jump() { keys :; wait_for "jump to:" || fail "no jump prompt"; type_text "$1"; keys Enter; }

start 120 40 TERM=xterm-256color -- "$INSEQ/encdec_pair_coarse.json"
expect "q:quit" "explorer up"
jump "7"
if wait_status '^ src 7  day ← 0 '; then ok ":7 goes to row 7"; else fail ":7"; fi
jump "c5"
if wait_status '^ src 7  day ← 5  una '; then ok ":c5 goes to column 5"; else fail ":c5"; fi
jump "r2 c9"
if wait_status '^ src 2 , ← 9 '; then ok ":r2 c9"; else fail ":r2 c9"; fi
jump "3,4"
if wait_status '^ src 3  today ← 4 '; then ok ":3,4"; else fail ":3,4"; fi
jump "tgt 6"
if wait_status '^ tgt 6  bella ← 4 '; then ok ":tgt 6 moves to the target pane"; else fail ":tgt 6"; fi
jump "probability"
if wait_status '^ probability @ 4 '; then ok ":probability goes to the step row"; else fail ":probability"; fi
# errors stay in the prompt, which stays open
jump "42"
expect "row 42: the target pane has rows 0 to 10" "a row out of range is refused in place"
expect "jump to:" "the prompt stays open"
keys C-u
type_text "c99"
keys Enter
expect "column 99: the columns are 0 to 10" "a column out of range"
keys C-u
type_text "zebra"
keys Enter
expect "'zebra' is not a row (12), column (c5), sequence (seq 2)" "an unknown word"
keys C-u
type_text "seq 9"
keys Enter
expect "sequence 9: there are 2 (0 to 1)" "a sequence out of range"
keys C-u
type_text "seq 1 src 1"
keys Enter
expect "seq 1 of 2" ":seq 1 opens the second sequence"
if wait_status '^ src 1  planet '; then ok "and row 1 of its source"; else fail ":seq 1 src 1"; fi
jump "s0"
expect "seq 0 of 2" ":s0 back to the first"

# o: largest first, smallest first, the file's order; row numbers stay
jump "src 0 c0"
keys o
expect "sorted src by 0" "the header says how rows are sorted"
# column 0 of sequence 1: 3.27 (row 5) is not the largest; read the rows
col0() { screen | awk '/^source/ {on=1; next} on && /^ *[0-9]+ / {print $1, $(NF-10)} /^probability/ {exit}'; }
vals=$(screen | awk '/^source/ {on=1; next} on && /^ *[0-9]+ / {print $3} /^probability/ {exit}')
first=$(echo "$vals" | head -1)
sorted=$(echo "$vals" | sort -gr | tr '\n' ' ')
[ "$(echo "$vals" | tr '\n' ' ')" = "$sorted" ] && ok "rows sorted largest first ($first on top)" || fail "not sorted descending: $vals"
rows=$(screen | awk '/^source/ {on=1; next} on && /^ *[0-9]+ / {print $1} /^probability/ {exit}' | tr '\n' ' ')
[ "$rows" != "0 1 2 3 4 5 6 7 8 9 " ] && ok "row numbers keep the tokens' indices ($rows)" || fail "rows not reordered"
[ "$(echo "$rows" | tr ' ' '\n' | grep -c .)" = 10 ] && ok "every row still there" || fail "rows lost: $rows"
if wait_status '^ src 0  Hello ← 0 '; then ok "the cursor stays on its token"; else fail "cursor left token 0"; fi
keys o
expect "smallest first" "o again: smallest first"
vals=$(screen | awk '/^source/ {on=1; next} on && /^ *[0-9]+ / {print $3} /^probability/ {exit}')
[ "$(echo "$vals" | tr '\n' ' ')" = "$(echo "$vals" | sort -g | tr '\n' ' ')" ] && ok "rows sorted smallest first" || fail "not ascending: $vals"
keys o
expect "rows in the file's order" "o a third time: the file's order"
expect_not "sorted src" "the header no longer says sorted"
rows=$(screen | awk '/^source/ {on=1; next} on && /^ *[0-9]+ / {print $1} /^probability/ {exit}' | tr '\n' ' ')
[ "$rows" = "0 1 2 3 4 5 6 7 8 9 " ] && ok "original order back" || fail "order: $rows"

# redo: C-r applies again what u took back
keys C-r
expect "nothing to redo" "nothing to redo at first"
set_pipeline "subwords"
expect "pipeline: subwords" "pipeline subwords"
keys u
expect "undone: pipeline default" "undo"
keys C-r
expect "redone: pipeline subwords" "C-r redoes"
expect "pipeline: subwords" "the header shows the redone pipeline"
keys u
expect "undone: pipeline default" "undo again"
set_pipeline "none"
keys C-r
expect "nothing to redo" "a new change clears redo"

# search across sequences: "planet" is only in sequence 2
start 120 40 TERM=xterm-256color -- "$INSEQ/encdec_pair_coarse.json"
expect "q:quit" "again"
keys /
expect "search token in every sequence" "the search prompt says its scope"
type_text "planet"
keys Enter
expect "seq 1 of 2" "the search goes on into sequence 2"
expect "'planet': match 1 of 1 (source row 1) in seq 1 (another sequence)" "status says where"
# "Hello" is in both: n goes from sequence 2 into sequence 1 (wrapping)
keys /
type_text "Hello"
keys Enter
expect "'Hello': match 1 of 1 (source row 0) in seq 1" "a match in the shown sequence first"
keys n
expect "seq 0 of 2" "n moves on into the other sequence"
expect "'Hello': match 1 of 1 (source row 0) in seq 0 (another sequence)" "n status"
keys N
expect "seq 1 of 2" "N goes back"
# Tab: this sequence only
keys /
expect "search token in every sequence" "prompt"
keys Tab
expect "search token in this sequence (Tab: all sequences)" "Tab keeps the search to this sequence"
keys C-u
type_text "Hello"
keys Enter
expect "'Hello': match 1 of 1 (source row 0), this sequence only" "this sequence only"
keys n
expect "'Hello': match 1 of 1 (source row 0), this sequence only" "n stays in the sequence"
expect "seq 1 of 2" "still sequence 2"
keys /
keys C-u
type_text "mondo"
keys Enter
expect "no token of this sequence matches 'mondo'" "no match here"
keys / Tab C-u
type_text "zzzz"
keys Enter
expect "no token matches 'zzzz' in any sequence" "no match anywhere"
keys q
expect_restored 0

# a decoder-only file: columns are generated tokens; "beautiful" is in
# sequence 2 only, as a row and as a column
start 120 40 TERM=xterm-256color -- "$INSEQ/deconly_saliency_granular.json"
expect "q:quit" "decoder-only"
keys /
type_text "beautiful"
keys Enter
expect "seq 1 of 2" "found in the second sequence"
expect "'beautiful': match 1 of 2 (target row 6) in seq 1" "two matches (row and column)"
keys n
expect "'beautiful': match 2 of 2 (column 3) in seq 1" "the column match"
keys q
expect_restored 0

# several files (a catalog): the search loads the file holding the match,
# and : jumps across files
start 120 40 TERM=xterm-256color -- "$INSEQ/encdec_ig_granular_split_0.json" "$INSEQ/encdec_ig_granular_split_1.json"
expect "seq 0 of 2" "two files"
keys /
type_text "libreria"
keys Enter
expect "encdec_ig_granular_split_1.json" "the second file is loaded"
expect "'libreria': match 1 of 2 (target row 1) in seq 1 (another sequence)" "the match in the other file"
keys n
expect "'libreria': match 2 of 2 (column 1) in seq 1" "its column"
keys n
expect "seq 1 of 2" "no other file has it: n wraps in the sequence"
expect "'libreria': match 1 of 2 (target row 1) in seq 1" "back to the first match"
keys :
type_text "seq 0 c3"
keys Enter
expect "encdec_ig_granular_split_0.json" ":seq 0 loads the first file again"
if wait_status ' ← 3  oggi '; then ok "and goes to column 3"; else fail ":seq 0 c3"; fi
keys q
expect_restored 0
finish
