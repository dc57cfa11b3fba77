# Moving by content: token search across rows and columns, the extremes of
# a row or a column, the top-k panel, sequences by list and by ]/[, the info
# panel.
source "$(dirname "$0")/tuilib.bash" "$@"
AGG=$GOLDEN/aggregations.json
CASE=encdec_occlusion_coarse

start 100 30 TERM=xterm-256color -- "$INSEQ/$CASE.json" --pipeline none
expect "seq 0 of 1" "starts"
keys /
expect "search token" "search prompt"
type_text "mondo"
keys Enter
expect "'mondo': match 1 of 2 (target row 1)" "first match: a target row"
wait_status "^ tgt 1  mondo ← 0 " && ok "cursor on the row" || fail "cursor: $(status_line)"
keys n
expect "'mondo': match 2 of 2 (column 1)" "n: the column"
wait_status "← 1  mondo = " && ok "cursor on the column" || fail "cursor: $(status_line)"
keys N
expect "'mondo': match 1 of 2" "N: back to the first"
keys / C-u
type_text "HELLO"
keys Enter
expect "'HELLO': match 1 of 1 (source row 0)" "case-insensitive"
keys /
type_text "zzz"
keys Enter
expect "no token matches 'zzz'" "no match reported"

# extremes: row 6 of the source holds the largest source value (column 0)
keys Tab   # source alone
goto_cell 6 5
keys +
wait_status "^ src 6 .* 0 .* = " && ok "+ jumps to the row's max column" || fail "row max: $(status_line)"
keys -
want=$(python3 -c "import json;r=json.load(open('$AGG'))['$CASE']['none'][0]['source_attributions'][6];print(r.index(min(r)))")
wait_status "^ src 6 .* $want .* = " && ok "- jumps to the row's min (column $want)" || fail "row min: $(status_line)"
keys 0 '{'
want=$(python3 -c "import json;m=json.load(open('$AGG'))['$CASE']['none'][0]['source_attributions'];c=[r[0] for r in m];print(c.index(min(c)))")
wait_status "^ src $want .* 0 .* = " && ok "{ jumps to the column's min (row $want)" || fail "column min: $(status_line)"
keys '}'
wait_status "^ src 6 .* 0 .* = " && ok "} jumps to the column's max (row 6)" || fail "column max: $(status_line)"

# top-k panel for the cursor's column
keys T
expect "top source for 0: Ciao" "top-k panel title"
if screen | grep -qE '│ +6\.564 6  good'; then ok "top-k lists the largest first"; else fail "top-k first entry"; fi
keys l
expect "top source for 1: mondo" "panel follows the column"
keys T
wait_gone "top source for" && ok "T hides the panel" || fail "panel still shown"
keys q
expect_restored 0

# sequences: ]/[ and the list with texts
start 100 30 TERM=xterm-256color -- "$INSEQ/encdec_pair_coarse.json"
expect "seq 0 of 2" "two sequences"
keys ']'
expect "seq 1 of 2" "] next"
keys ']'
expect "last sequence" "] at the end says so"
keys '['
expect "seq 0 of 2" "[ previous"
keys s
expect "sequences" "list opens"
if screen | grep -qE '  1  .+ → .+'; then ok "list shows input → generated text"; else fail "list texts"; fi
keys j Enter
expect "seq 1 of 2" "picked from the list"
# one numbering: the header's index is the one pair with=N, info and --seq take
keys i
expect "Sequence 1 (as stored):" "info panel counts as the header"
keys q a C-u
type_text "pair with=0"
keys Enter
expect "pipeline: pair with=0" "pair with=0 pairs with the header's seq 0"
keys u a C-u
type_text "pair with=2"
keys Enter
expect "there is no sequence 2" "with=2 is past the last sequence, seq 1 of 2"
keys Escape Escape
keys q
expect_restored 0

# --seq opens at a sequence, numbered as the header, info and show number them
start 100 30 TERM=xterm-256color -- "$INSEQ/encdec_ig_granular.json" --seq 1
expect "seq 1 of 2" "--seq 1 opens the second sequence"
keys q
expect_restored 0
start 100 30 TERM=xterm-256color -- "$INSEQ/encdec_ig_granular.json" --seq 2
expect_restored 2
if grep -qF -- "--seq 2: there are 2 sequences (0..1)" "$WORK/stderr"; then ok "--seq past the end refused"; else fail "stderr: $(cat "$WORK/stderr")"; fi
# the commands' --decode-tokens none is the explorer's --raw-tokens
start 100 30 TERM=xterm-256color -- "$INSEQ/encdec_ig_granular.json" --decode-tokens none
expect "▁Hello" "--decode-tokens none shows the raw tokens"
keys q
expect_restored 0

# floats of the info object as Python (and attrscope info) print them
start 100 40 TERM=xterm-256color -- "$INSEQ/encdec_ig_granular.json"
expect "seq 0 of 2" "starts"
keys i
expect "exec_time: 1.2345" "exec_time as the CLI prints it"
expect_not "1.2344999" "not with 17 digits"
keys q
# a cell a token cannot attend to says so in words
keys Tab Tab
wait_for "│ target" 3
goto_cell 3 0
if wait_status "^ tgt 3 .* 0 .* = NaN \(not attended: a future token\)"; then ok "future token cell said in words"; else fail "NaN cell: $(status_line)"; fi
goto_cell 0 1
if wait_status "^ tgt 0 .* 1 .* = [0-9.-]+ "; then ok "an attended cell has its value"; else fail "attended cell: $(status_line)"; fi
keys q
expect_restored 0

# the info panel: everything in info, non-finite markers as NaN/Infinity
start 100 40 TERM=xterm-256color -- "$TESTS/data/bad/ok_info_edge.json"
expect "seq 0 of 2" "starts"
keys i
expect "Info:" "info panel opens"
expect "attribution_method: saliency" "info keys and values"
expect "nan: NaN" "NaN marker"
expect "inf: [Infinity, -Infinity]" "infinity markers"
expect "source_attributions: (3, 2) F32" "shapes and dtypes of the sequence"
keys i
wait_gone "Info:" && ok "i closes the panel" || fail "panel still open"
keys q
expect_restored 0
finish
