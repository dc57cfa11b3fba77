# Layout over terminal sizes: at 120x40 and 200x60 the cells widen so the
# token texts show whole and the heatmap uses the width; the header and the
# status bars span the terminal; at 80x24 and narrower the hints keep ?:help
# and q:quit; ( and ) still set the width by hand.
source "$(dirname "$0")/tuilib.bash" "$@"
D=$INSEQ/deconly_saliency_granular.json

# the line of the column labels (the one under the "target 0 1 ..." line)
label_line() { screen | grep -A1 -E '^target +0 ' | tail -1; }
# the last column a heatmap cell of the first row reaches
row0_end() { screen | grep -E '^0  Hello ' | head -1 | sed -E 's/[[:space:]]+$//' | awk '{ print length($0) }'; }
# the second header line's colorbar legend sits at the right edge
bars_span() { # W
    local w=$1 line
    line=$(screen | sed -n 2p | sed -E 's/[[:space:]]+$//')
    [ "$(printf '%s' "$line" | wc -m)" -ge $((w - 3)) ]
}

for size in 120x40 200x60; do
    w=${size%x*} h=${size#*x}
    start "$w" "$h" TERM=xterm-256color -- "$D"
    expect "seq 0 of 2" "$size: starts"
    if label_line | grep -q "croiss " && label_line | grep -q "<|endoftext|>" && ! label_line | grep -q "…"; then ok "$size: token texts whole"; else fail "$size: labels: $(label_line)"; fi
    keys q
    expect_restored 0
    # a file with more columns: the heatmap takes the width
    start "$w" "$h" TERM=xterm-256color -- "$INSEQ/encdec_ig_granular.json"
    expect "seq 0 of 2" "$size: starts"
    end=$(row0_end)
    if [ "$end" -ge $((w * 2 / 3)) ]; then ok "$size: the heatmap uses the width (to column $end of $w)"; else fail "$size: heatmap ends at column $end of $w"; fi
    if bars_span "$w"; then ok "$size: the second header line reaches the right edge"; else fail "$size: header line 2 does not span"; fi
    if screen | tail -1 | grep -q "e:export  ?:help  q:quit"; then ok "$size: every hint"; else fail "$size: hints: $(screen | tail -1)"; fi
    keys '('
    sleep 0.3
    end2=$(row0_end)
    if [ "$end2" -lt "$end" ]; then ok "$size: ( narrows the cells by hand"; else fail "$size: ( did not narrow ($end2 vs $end)"; fi
    keys q
    expect_restored 0
done

for size in 80x24 64x20 50x16; do
    w=${size%x*} h=${size#*x}
    start "$w" "$h" TERM=xterm-256color -- "$D"
    expect "pipeline: default" "$size: starts"
    if screen | tail -1 | grep -qE '\?:help  q:quit *$'; then ok "$size: the hints end with ?:help q:quit"; else fail "$size: hints: $(screen | tail -1)"; fi
    if screen | tail -1 | grep -q "…"; then fail "$size: a hint is cut"; else ok "$size: no hint cut"; fi
    keys q
    expect_restored 0
done

# values that fixed places would show as 0.00 get significant digits, in the
# cells and on the status line
start 120 30 TERM=xterm-256color -- "$INSEQ/encdec_ig_granular.json" -a 'prod normalize=false'
expect "pipeline: prod normalize=false" "prod normalize=false"
row=$(screen | grep -E '^0  Hello ' | head -1)
if grep -qE ' -?[0-9.]+e-[0-9]+ ' <<<"$row"; then ok "small cells in scientific notation"; else fail "row 0: $row"; fi
if grep -qE ' -?0\.0+ ' <<<"$row"; then fail "a cell shows only zeros: $row"; else ok "no cell shows a nonzero value as 0.00"; fi
if wait_status "= -1\.59065701e-06 "; then ok "status line: the value in full"; else fail "status: $(status_line)"; fi
keys q
expect_restored 0
finish
