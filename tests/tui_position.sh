#!/usr/bin/env bash
# The position indicator on the status line for a matrix larger than the
# screen: a generated 700x400 source heatmap (with bench's gen).
source "$(dirname "$0")/tuilib.bash" "$@"
GEN=$(dirname "$BIN")/gen
[ -x "$GEN" ] || { echo "SKIP: $GEN (bench/gen.c) is not built"; exit 77; }
"$GEN" "$WORK/big.json" --encoder-decoder --src 700 --tgt 400 --dim 1 >/dev/null ||
    { echo "FAIL - gen"; exit 1; }

pos() { screen | grep -oE 'rows [0-9]+-[0-9]+/[0-9]+ cols [0-9]+-[0-9]+/[0-9]+' | tail -1; }
pos_is() { pos | grep -qE -- "$1"; }
expect_pos() { # REGEX DESCRIPTION
    if poll 5 pos_is "$1"; then ok "$2 ($(pos))"; else fail "$2: position '$(pos)', wanted $1"; fi
}

start 120 40 TERM=xterm-256color -- "$WORK/big.json"
expect "q:quit" "700x400 file open"
keys Tab   # the source pane alone
expect "pipeline: default │ source " "source pane"
# 700 token rows and the probability row; 400 columns
expect_pos '^rows 1-[0-9]+/701 cols 1-[0-9]+/400$' "top-left"
h=$(pos | sed -E 's/rows 1-([0-9]+).*/\1/')
w=$(pos | sed -E 's/.*cols 1-([0-9]+).*/\1/')
[ "$h" -ge 20 ] && [ "$w" -ge 10 ] && ok "a window of $h rows, $w columns" || fail "window $h x $w"
keys PgDn
expect_pos "^rows $h-$((2 * h - 1))/701 " "one page down"
keys G
expect_pos "^rows $((701 - h + 1))-701/701 " "the last row"
keys $
expect_pos "cols $((400 - w + 1))-400/400$" "the last column"
keys :
type_text "350 c200"
keys Enter
if wait_status '^ src 350 .* ← 200 '; then ok ":350 c200"; else fail ":350 c200"; fi
p=$(pos)
r0=$(echo "$p" | sed -E 's/rows ([0-9]+)-([0-9]+).*/\1/'); r1=$(echo "$p" | sed -E 's/rows ([0-9]+)-([0-9]+).*/\2/')
c0=$(echo "$p" | sed -E 's/.*cols ([0-9]+)-([0-9]+).*/\1/'); c1=$(echo "$p" | sed -E 's/.*cols ([0-9]+)-([0-9]+).*/\2/')
# row 350 is the 351st line, column 200 the 201st
[ "$r0" -le 351 ] && [ "$r1" -ge 351 ] && [ "$c0" -le 201 ] && [ "$c1" -ge 201 ] &&
    ok "the window holds the cursor ($p)" || fail "window $p does not hold row 350, column 200"
# the status line keeps the cell's value whole beside it
v=$(status_value)
case "$v" in *…*|"") fail "value cut: '$v'" ;; *) ok "value whole beside the indicator ($v)" ;; esac
# a file that fits shows none
start 120 40 TERM=xterm-256color -- "$INSEQ/encdec_occlusion_coarse.json"
expect "q:quit" "small file"
expect_not "rows 1-" "no indicator when everything fits"
keys q
expect_restored 0
finish
