# Color modes: monochrome (NO_COLOR, --color mono) without color escapes,
# 8 colors, truecolor when COLORTERM says so (through a direct-color
# terminal description); glyph density for narrow cells; exact values
# unchanged in every mode.
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
    expect "seq 0 of 1" "monochrome ($how) starts"
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
expect "seq 0 of 1" "8 colors start"
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

# truecolor: COLORTERM=truecolor and a direct-color description of the
# terminal (compiled here, so the test does not depend on the system's)
cat >"$WORK/direct.src" <<'TI'
xterm-direct|xterm with direct colors,
	colors#0x1000000, pairs#0x10000, RGB,
	setaf=\E[%?%p1%{8}%<%t3%p1%d%e38;2;%p1%{65536}%/%d;%p1%{256}%/%{255}%&%d;%p1%{255}%&%d%;m,
	setab=\E[%?%p1%{8}%<%t4%p1%d%e48;2;%p1%{65536}%/%d;%p1%{256}%/%{255}%&%d;%p1%{255}%&%d%;m,
	initc@, ccc@, oc@, use=xterm-256color,
TI
if command -v tic >/dev/null && tic -x -o "$WORK/terminfo" "$WORK/direct.src" 2>/dev/null; then
    start 100 30 TERM=xterm-256color COLORTERM=truecolor TERMINFO="$WORK/terminfo" -- "$INSEQ/$CASE.json" --pipeline none
    expect "seq 0 of 1" "truecolor starts"
    esc=$(screen_e)
    if grep -qE $'48;2;178;24;43m *7\\.39' <<<"$esc"; then ok "truecolor: the max cell is the colormap's red (178,24,43)"; else fail "truecolor max cell"; fi
    if grep -qE $'48;5;' <<<"$esc"; then fail "truecolor: 256-color escapes"; else ok "truecolor: no palette escapes"; fi
    check_cell "truecolor" 6 0
    keys q
    expect_restored 0
    start 100 30 TERM=xterm-256color COLORTERM=truecolor TERMINFO="$WORK/terminfo" -- "$INSEQ/$CASE.json" --color 256
    expect "seq 0 of 1" "--color 256 under COLORTERM=truecolor"
    if screen_e | grep -qE $'48;2;'; then fail "--color 256 still uses truecolor"; else ok "--color 256 wins"; fi
    keys q
    expect_restored 0
    start 100 30 TERM=xterm-256color COLORTERM=truecolor NO_COLOR=1 TERMINFO="$WORK/terminfo" -- "$INSEQ/$CASE.json"
    expect "seq 0 of 1" "NO_COLOR under COLORTERM=truecolor"
    if screen_e | grep -qE "$COLOR_RE"; then fail "NO_COLOR: colors"; else ok "NO_COLOR wins over COLORTERM"; fi
    keys q
    expect_restored 0
else
    ok "truecolor: skipped (no tic to describe a direct-color terminal)"
fi
finish
