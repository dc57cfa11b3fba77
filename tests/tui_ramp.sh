# Colors follow the values, read back from the terminal as a person sees
# them (tests/tuicolors.py over capture-pane -e): in 256 colors, 8 colors,
# truecolor (COLORTERM, --color truecolor, and C cycling into it, with no
# direct-color terminal description installed) and monochrome; the
# colorbar; ranges that are truthful (all-negative data, one-sided,
# percentile, bounds by hand, one range across slider positions).
source "$(dirname "$0")/tuilib.bash" "$@"
CASE=$INSEQ/encdec_occlusion_coarse.json
colors() { screen_e | python3 "$TESTS/tuicolors.py" "$@"; }

check_mode() { # LABEL MODE: cells and colorbar follow the values
    local out
    if out=$(colors check "$2"); then ok "$1: colors follow the values ($out)"; else fail "$1: $out"; fi
}
check_bar() {
    local out
    if out=$(colors bar); then ok "$1: colorbar blue to white to red ($out)"; else fail "$1: colorbar: $out"; fi
}
header2() { screen | sed -n 2p; }

start 110 32 TERM=xterm-256color -- "$CASE" --pipeline none --color 256
expect "seq 0 of 1" "256 colors start"
check_mode "256 colors" 256
check_bar "256 colors"
if screen_e | grep -qE $'48;2;'; then fail "256 colors: 24-bit escapes"; else ok "256 colors: palette escapes only"; fi
expect "abs seq" "the colorbar names the range mode and scope"
# the cursor's value is marked on the bar and moves with it
bar1=$(header2)
goto_cell 6 0   # 6.56, near the top of the range
wait_status "^ src 6 .* 0 " || fail "cursor not at 6,0"
if [ "$(header2)" != "$bar1" ] && header2 | grep -qE '◆ +[0-9.]+ abs'; then ok "the cursor's mark moves to the top of the bar"; else fail "bar mark: $(header2)"; fi
if header2 | grep -q '┃'; then ok "zero tick on the colorbar"; else fail "no zero tick: $(header2)"; fi
# ? shows the legend
keys '?'
keys G
expect "marks zero" "the help explains the colorbar"
expect "bold step score" "the help says what bold step scores mean"
keys q
# C from 256 goes down to 8 colors, then monochrome, then back to 256
keys C
expect "colors: 8 colors" "C steps down to 8 colors"
check_mode "C to 8 colors" 8
keys q
expect_restored 0

start 110 32 TERM=xterm-256color -- "$CASE" --pipeline none --color 8
expect "seq 0 of 1" "8 colors start"
check_mode "8 colors" 8
keys q
expect_restored 0

start 110 32 TERM=xterm-256color -- "$CASE" --pipeline none --color mono
expect "seq 0 of 1" "monochrome starts"
check_mode "monochrome" mono
if screen | grep -q '▸ *1\.46'; then ok "monochrome: the cursor carries a mark"; else fail "no cursor mark"; fi
keys q
expect_restored 0

if command -v tic >/dev/null; then
    # no direct-color description on the system: built from TERM
    for how in "COLORTERM=truecolor --" "COLORTERM=24bit --" "-- --color truecolor"; do
        envs=${how%%--*}
        opt=${how#*--}
        # shellcheck disable=SC2086
        start 110 32 TERM=xterm-256color TERMINFO_DIRS= $envs -- "$CASE" --pipeline none $opt
        expect "seq 0 of 1" "truecolor ($how) starts"
        if screen_e | grep -qE $'48;2;178;24;43m *7\\.39'; then ok "truecolor ($how): the max cell is inseq's red"; else fail "truecolor ($how): max cell"; fi
        check_mode "truecolor ($how)" truecolor
        check_bar "truecolor ($how)"
        keys q
        expect_restored 0
    done
    ls "${TMPDIR:-/tmp}" | grep -q "^attrscope-ti-" && fail "the compiled description is left behind" || ok "the compiled description is removed"
    # C cycles truecolor -> 256 -> 8 -> mono -> truecolor
    start 110 32 TERM=xterm-256color COLORTERM=truecolor -- "$CASE" --pipeline none
    expect "seq 0 of 1" "truecolor starts"
    keys C
    expect "colors: 256 colors" "C: truecolor to 256 colors"
    check_mode "256 colors on a direct-color screen" truecolor
    keys C C
    expect "colors: monochrome" "C: down to monochrome"
    keys C
    expect "colors: truecolor" "C: back up to truecolor"
    check_mode "truecolor after C" truecolor
    keys q
    expect_restored 0
else
    ok "truecolor: skipped (no tic)"
fi

# all values negative: a real range from the largest |value|, every cell blue
start 110 32 TERM=xterm-256color -- "$INSEQ/deconly_saliency_granular.json" -a 'min normalize=false' --color 256
expect "seq 0 of" "all-negative data opens"
if header2 | grep -qE -- '-[0-9.]+ .* [0-9.]+ abs seq' && ! header2 | grep -q -- '0.000 .* 0.000'; then ok "all-negative: a real range ($(header2 | grep -oE -- '-[0-9.]+ .*'))"; else fail "all-negative range: $(header2)"; fi
check_mode "all-negative" 256
n=$(colors cells | awk '$1 < 0 && $4 > $2 + 8' | wc -l)
if [ "$n" -gt 5 ]; then ok "all-negative: $n blue cells"; else fail "all-negative: $n blue cells"; fi
keys q
expect_restored 0

# range menu: one-sided, percentile, bounds by hand, back to abs
start 110 32 TERM=xterm-256color -- "$CASE" --pipeline none --color 256
expect "seq 0 of 1" "starts for the range menu"
keys m
expect "one-sided: 0..a" "m opens the range menu"
keys g j Enter
expect "one-sided seq" "one-sided: the colorbar says so"
if header2 | grep -qE ' 0\.0* +.* 7\.388 one-sided'; then ok "one-sided: 0 to the largest |value|"; else fail "one-sided bounds: $(header2)"; fi
check_mode "one-sided" 256
keys m g j j Enter
expect "clip at the percentile" "percentile prompt"
keys C-u
type_text "90"
keys Enter
expect "p90 seq" "percentile 90: the colorbar says so"
check_mode "percentile 90 (clipped cells share the strongest color)" 256
keys m g j j j j Enter
expect "color range MIN MAX" "bounds prompt"
keys -l -- "-1 2"
keys Enter
expect "(set)" "bounds by hand: the message says so"
if header2 | grep -qE -- '-1\.0* .* 2\.0* set'; then ok "bounds by hand on the colorbar"; else fail "bounds: $(header2)"; fi
check_mode "bounds by hand" 256
keys m g j j j j Enter
keys C-u Enter
keys m g Enter
expect "abs seq" "back to abs from the data"
keys q
expect_restored 0

# one range over every slider position (the heads, layers, ... of a granular view)
start 120 32 TERM=xterm-256color -- "$INSEQ/encdec_ig_granular.json" --pipeline none --color 256
expect "seq 0 of" "granular opens"
r0=$(header2 | grep -oE -- '-[0-9.]+ .* [0-9.]+ abs seq' | sed 's/ .* / /')
keys '>'
sleep 0.3
r1=$(header2 | grep -oE -- '-[0-9.]+ .* [0-9.]+ abs seq' | sed 's/ .* / /')
keys m g j j j j j j Enter
expect "all slices" "the range over all slider positions is labelled"
s1=$(header2 | grep -oE -- '-[0-9.]+ .* [0-9.]+ abs seq' | sed 's/ .* / /')
keys '>'
sleep 0.3
s2=$(header2 | grep -oE -- '-[0-9.]+ .* [0-9.]+ abs seq' | sed 's/ .* / /')
if [ -n "$s1" ] && [ "$s1" = "$s2" ]; then ok "shared across slider positions: $s1 on both"; else fail "shared range moved: '$s1' '$s2' (per position: '$r0' '$r1')"; fi
check_mode "shared across slider positions" 256
keys q
expect_restored 0
finish
