# Cell values on screen against the goldens: the status line's exact value of
# cells of the coarse file (pipeline none: raw values), in 256 colors,
# scrolling a small terminal, both panes and the step-score rows; colors of
# the extreme cells; quit restores the terminal.
source "$(dirname "$0")/tuilib.bash" "$@"
AGG=$GOLDEN/aggregations.json
CASE=encdec_occlusion_coarse

start 60 14 TERM=xterm-256color -- "$INSEQ/$CASE.json" --pipeline none
expect "seq 0 of 1" "explorer starts"
expect "none" "pipeline none in the header"
keys Tab   # source pane alone
expect_status_cell() { # PANE(src|tgt) FIELD ROW COL
    local pane=$1 field=$2 r=$3 c=$4
    goto_cell "$r" "$c"
    if ! wait_status "^ $pane $r .* $c .* = "; then fail "$pane cell $r,$c not reached"; return; fi
    local got want
    got=$(status_value)
    want=$(ref golden "$AGG" $CASE none 0 "$field" "$r" "$c")
    if close_to "$got" "$want"; then ok "$pane[$r][$c] = $got"; else fail "$pane[$r][$c]: got $got, want $want"; fi
}
for rc in "0 0" "6 0" "9 10" "3 7" "8 6" "5 4"; do
    expect_status_cell src source_attributions $rc
done
# the step-score row under the source rows
keys G
for c in 0 4 10; do
    keys 0
    for ((i = 0; i < c; i++)); do keys l; done
    if wait_status "^ probability @ $c "; then
        got=$(status_value); want=$(ref golden "$AGG" $CASE none 0 step_scores.probability "$c")
        if close_to "$got" "$want"; then ok "probability[$c] = $got"; else fail "probability[$c]: got $got want $want"; fi
    else
        fail "step row column $c"
    fi
done
keys Tab   # target pane alone
expect "target" "target pane shown"
for rc in "0 1" "2 6" "10 10" "4 9" "0 0" "7 3"; do
    expect_status_cell tgt target_attributions $rc
done
# token texts in the status line (decoded: the ▁ is a space)
goto_cell 3 6
if wait_status "^ tgt 3  oggi ← 6  bella = "; then ok "status names both tokens"; else fail "status tokens: $(status_line)"; fi

# colors: 256-color escapes; the largest value (7.388 at target 2,6) is the
# last bucket's red, the smallest (-4.472 at target 0,5) a blue
keys Tab   # both
resize 100 40
expect "7.39" "large terminal shows the whole target pane"
esc=$(screen_e)
if grep -q $'\e\\[38;2' <<<"$esc"; then fail "no truecolor escapes in 256-color mode"; else ok "no truecolor escapes"; fi
bg=$(cell_bg_256 '7\.39')
if [ "$bg" = 124 ]; then ok "max cell is the last bucket's red (124)"; else fail "max cell background $bg"; fi
bg=$(cell_bg_256 '-4\.47')
if [ "$(hue_256 "${bg:-0}")" = blue ]; then ok "min cell is blue ($bg)"; else fail "min cell background $bg"; fi
# the legend shows the symmetric range
expect "-7.388" "legend min is -max"
keys q
expect_restored 0

# the base class with source attributions only: one pane, its step score
CASE=encdec_base_sourceonly
start 100 30 TERM=xterm-256color -- "$INSEQ/$CASE.json" --pipeline none
expect "pipeline: none │ source " "only the source pane"
keys Tab
expect "this sequence has only the source heatmap" "Tab explains why nothing changes"
for rc in "0 0" "2 3" "4 1"; do
    expect_status_cell src source_attributions $rc
done
keys G k   # the step rows are in file order: contrast_prob_diff, probability
if wait_status "^ contrast_prob_diff @ 1 "; then
    got=$(status_value); want=$(ref golden "$AGG" $CASE none 0 step_scores.contrast_prob_diff 1)
    if close_to "$got" "$want"; then ok "contrast_prob_diff[1] = $got"; else fail "contrast_prob_diff: got $got want $want"; fi
else
    fail "step row: $(status_line)"
fi
keys q
expect_restored 0
finish
