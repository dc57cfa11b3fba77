#!/usr/bin/env bash
# y copies the cell's value, Y the row (tab-separated, with the token
# labels) over OSC 52; tmux takes it into a buffer with set-clipboard on.
source "$(dirname "$0")/tuilib.bash" "$@"

start 120 40 TERM=xterm-256color -- "$INSEQ/encdec_occlusion_coarse.json"
expect "q:quit" "explorer up"
T set-option -s set-clipboard on
T delete-buffer 2>/dev/null
goto_cell 3 2
wait_status '^ src 3  today ← 2 , = 0\.128844529' || fail "cell 3,2 not reached"
keys y
expect "copied 0.128844529 to the clipboard" "y: status message"
buf() { T show-buffer 2>/dev/null; }
buf_is() { [ "$(buf)" = "$1" ]; }
if poll 5 buf_is "0.128844529"; then ok "y: tmux's buffer holds the value"; else fail "y: buffer '$(buf)'"; fi
keys Y
expect "copied the row (11 values, tab-separated)" "Y: status message"
has_rows() { [ "$(buf | wc -l)" -eq 2 ]; }
poll 5 has_rows || fail "Y: buffer '$(buf)'"
head=$(buf | head -1)
row=$(buf | tail -1)
[ "$(printf '%s' "$head" | cut -f1)" = "source" ] && ok "header starts with the pane" || fail "header: $head"
[ "$(printf '%s' "$head" | awk -F'\t' '{print NF}')" = 12 ] && ok "11 column labels" || fail "header fields: $head"
[ "$(printf '%s' "$head" | cut -f3)" = "1:▁mondo" ] || [ "$(printf '%s' "$head" | cut -f3)" = "1: mondo" ] || [ "$(printf '%s' "$head" | cut -f3)" = "1:mondo" ] &&
    ok "column labels are index:token ($(printf '%s' "$head" | cut -f3))" || fail "column 1 label: $(printf '%s' "$head" | cut -f3)"
case "$(printf '%s' "$row" | cut -f1)" in 3:*today*) ok "row label index:token" ;; *) fail "row label: $(printf '%s' "$row" | cut -f1)" ;; esac
[ "$(printf '%s' "$row" | cut -f4)" = "0.128844529" ] && ok "the row's values, tab-separated" || fail "row: $row"
# the values are the file's (the CLI prints the same row)
want=$(ref golden "$GOLDEN/aggregations.json" encdec_occlusion_coarse none 0 source_attributions 3 10)
got=$(printf '%s' "$row" | cut -f12)
close_to "$got" "$want" && ok "last value $got matches the golden" || fail "last value $got, want $want"
# a step-score row
keys G
wait_status '^ probability @ ' || fail "step row not reached"
keys Y
poll 5 bash -c "tmux -L $SOCK show-buffer | tail -1 | grep -q '^probability	'" &&
    ok "Y on the step row: labelled with its name" || fail "step row: $(buf | tail -1)"
keys q
expect_restored 0
finish
