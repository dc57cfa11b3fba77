# Monochrome (NO_COLOR, --color mono) and 8-color modes: no color escapes
# in monochrome, glyph density for narrow cells, exact values unchanged.
source "$(dirname "$0")/tuilib.bash" "$@"
AGG=$GOLDEN/aggregations.json
CASE=encdec_occlusion_coarse
COLOR_RE=$'\e\\[([0-9;]*;)?(3[0-7]|4[0-7]|9[0-7]|10[0-7]|38;5|48;5|38;2|48;2)[;m]'

check_cell() { # LABEL ROW COL (source pane, from the top-left)
    goto_cell "$2" "$3"
    if ! wait_status "^ src $2 .* $3 .* = "; then fail "$1: cell $2,$3 not reached"; return; fi
    local got want
    got=$(status_value)
    want=$(ref golden "$AGG" $CASE none 0 source_attributions "$2" "$3")
    if close_to "$got" "$want"; then ok "$1: source[$2][$3] = $got"; else fail "$1: got $got want $want"; fi
}

for how in "NO_COLOR=1 --" "-- --color mono"; do
    envs=${how%%--*}
    opt=${how#*--}
    # shellcheck disable=SC2086
    start 90 24 TERM=xterm-256color $envs -- "$INSEQ/$CASE.json" --pipeline none $opt
    expect "seq 1/1" "monochrome ($how) starts"
    if screen_e | grep -qE "$COLOR_RE"; then fail "monochrome ($how): color escapes on screen"; else ok "monochrome ($how): no color escapes"; fi
    if screen_e | grep -qE $'\e\\[([0-9;]*;)?7[;m]'; then ok "monochrome ($how): reverse video marks the cursor"; else fail "no reverse video"; fi
    check_cell "mono" 6 0
    keys '(' '('   # 4-column cells: glyphs instead of numbers
    if wait_for "▓" || wait_for "█"; then ok "narrow cells show glyph density"; else fail "no density glyphs"; fi
    if screen | grep -qE '^6  good +[-0-9]'; then fail "narrow cells print no numbers"; else ok "narrow cells print no numbers"; fi
    check_cell "mono narrow" 8 6
    keys q
    expect_restored 0
done

start 90 24 TERM=xterm-256color -- "$INSEQ/$CASE.json" --pipeline none --color 8
expect "seq 1/1" "8 colors start"
esc=$(screen_e)
if grep -qE $'\e\\[([0-9;]*;)?(38;5|48;5|38;2|48;2)[;m]' <<<"$esc"; then fail "8 colors: 256/truecolor escapes"; else ok "8 colors: only the 8 basic colors"; fi
if grep -qE $'\e\\[([0-9;]*;)?(4[14])m' <<<"$esc"; then ok "8 colors: red and blue backgrounds for strong values"; else fail "8 colors: no red/blue backgrounds"; fi
check_cell "8 colors" 3 7
keys '(' '('
if wait_for "▓" || wait_for "█"; then ok "8 colors: narrow cells show glyph density"; else fail "8 colors: no glyphs"; fi
# C cycles down, wrapping to the terminal's richest mode: 8 -> mono -> 256 -> 8
keys C
expect "colors: monochrome" "C steps down to monochrome"
keys C
expect "colors: 256 colors" "then up to the terminal's 256 colors"
keys C
expect "colors: 8 colors" "then 8 colors"
keys q
expect_restored 0
finish
