#!/usr/bin/env bash
# Settings remembered in $XDG_CONFIG_HOME/attrscope/config: the cell width,
# the color mode, decoded or raw tokens and the mouse are written when
# changed (the other lines kept), read at start, and command-line options
# win; a malformed line is reported with the file and line, not fatal.
source "$(dirname "$0")/tuilib.bash" "$@"
CFG=$WORK/xdg/attrscope/config
F=$INSEQ/encdec_occlusion_coarse.json

# the first column's width on screen: from the "0" over it to the "1"
colw() { screen | grep -m1 '^source' | awk '{print index($0, " 1 ") - index($0, " 0 ")}'; }

start 120 40 TERM=xterm-256color XDG_CONFIG_HOME="$WORK/xdg" -- "$F"
expect "q:quit" "no config file: defaults"
[ ! -e "$CFG" ] && ok "nothing written before a change" || fail "config written at start"
w0=$(colw)
keys ')'
has_cw() { grep -q '^cell-width = ' "$CFG" 2>/dev/null; }
poll 5 has_cw && ok "( ) write the cell width ($(grep cell-width "$CFG"))" || fail "no cell-width in $CFG"
w1=$(colw)
[ "$w1" -gt "$w0" ] && ok "wider cells on screen ($w0 -> $w1)" || fail "width $w0 -> $w1"
keys t
expect "raw token text" "raw tokens"
has_tok() { grep -q '^tokens = raw$' "$CFG" 2>/dev/null; }
poll 5 has_tok && ok "t writes tokens = raw" || fail "tokens not saved: $(cat "$CFG")"
keys C
expect "colors: " "C cycles colors"
has_color() { grep -qE '^color = (truecolor|256|8|mono)$' "$CFG" 2>/dev/null; }
poll 5 has_color && ok "C writes the color mode ($(grep color "$CFG"))" || fail "color not saved"
[ "$(grep -c . "$CFG")" = 4 ] && ok "one line per setting, and the comment" || fail "config: $(cat "$CFG")"
ls "$(dirname "$CFG")" | grep -qv '^config$' && fail "temporary files left: $(ls "$(dirname "$CFG")")" || ok "no temporary file left"
keys q
expect_restored 0

# read at start: the width and raw tokens come back
printf '# mine\ncolor = 8   # a comment\ncell-width = %s\ntokens = raw\nmouse = off\n' "$w1" >"$CFG"
start 120 40 TERM=xterm-256color XDG_CONFIG_HOME="$WORK/xdg" -- "$F"
expect "q:quit" "config read"
[ "$(colw)" = "$w1" ] && ok "cell width from the file" || fail "width $(colw), want $w1"
expect "▁mondo" "raw tokens from the file"
mode=$(T display-message -p -t "$SESSION" '#{mouse_any_flag}')
[ "$mode" = 0 ] && ok "mouse = off from the file" || fail "mouse $mode"
# 8 colors: the cells use only the first 8 background colors
if screen_e | grep -qE '48;5;[0-9]{2,}m'; then fail "256-color cells with color = 8"; else ok "color = 8 from the file"; fi
# a change keeps the other lines and comments
keys ')'
poll 5 bash -c "grep -q '^cell-width = ' '$CFG' && ! grep -q '^cell-width = $w1\$' '$CFG'" &&
    ok "the width line replaced" || fail "width line: $(cat "$CFG")"
grep -q '^# mine$' "$CFG" && grep -q '^color = 8   # a comment$' "$CFG" && grep -q '^mouse = off$' "$CFG" &&
    ok "the other lines kept as written" || fail "lines lost: $(cat "$CFG")"
keys q
expect_restored 0

# command-line options win over the file
start 120 40 TERM=xterm-256color XDG_CONFIG_HOME="$WORK/xdg" -- --decoded-tokens --color 256 "$F"
expect "q:quit" "options over the config"
expect " mondo" "--decoded-tokens wins"
expect_not "▁mondo" "no raw tokens"
if screen_e | grep -qE '48;5;[0-9]{2,}m'; then ok "--color 256 wins"; else fail "--color 256 not used"; fi
keys q
expect_restored 0

# a malformed file: the explorer starts and says where
printf 'cell-width = 7\nmouse maybe\ncolour = 256\n' >"$CFG"
start 120 40 TERM=xterm-256color XDG_CONFIG_HOME="$WORK/xdg" -- "$F"
expect "seq 0 of 1" "a malformed file is not fatal"
expect "$CFG line 2: expected 'name = value'; line ignored" "the message names the file and line"
printf 'color = purple\n' >"$CFG"
start 120 40 TERM=xterm-256color XDG_CONFIG_HOME="$WORK/xdg" -- "$F"
expect "line 1: color must be auto, truecolor, 256, 8 or mono, not 'purple'" "a bad value"
printf 'colour = 256\n' >"$CFG"
start 120 40 TERM=xterm-256color XDG_CONFIG_HOME="$WORK/xdg" -- "$F"
expect "line 1: unknown setting 'colour' (known: cell-width, color, mouse, tokens)" "an unknown setting"
keys q
expect_restored 0

# a place that cannot be written: the change still applies, the message says why
rm -rf "$WORK/ro"; mkdir -p "$WORK/ro"; : >"$WORK/ro/attrscope"
start 120 40 TERM=xterm-256color XDG_CONFIG_HOME="$WORK/ro" -- "$F"
expect "seq 0 of 1" "unwritable config place"
keys t
expect "setting tokens not saved: $WORK/ro/attrscope" "a failed write is reported"
expect "▁mondo" "the change applies all the same"
# without XDG_CONFIG_HOME: ~/.config
mkdir -p "$WORK/home"
start 120 40 TERM=xterm-256color XDG_CONFIG_HOME= HOME="$WORK/home" -- "$F"
expect "q:quit" "HOME only"
keys t
has_home() { grep -q '^tokens = raw$' "$WORK/home/.config/attrscope/config" 2>/dev/null; }
poll 5 has_home && ok "falls back to ~/.config/attrscope/config" || fail "nothing in ~/.config"
keys q
expect_restored 0
finish
