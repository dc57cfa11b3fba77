#!/usr/bin/env bash
# The mouse: a click on a cell, a row label, a column label or a step-score
# row moves the cursor there (either pane); the wheel scrolls rows, with
# Shift columns; a click in the sequence list selects, a second click picks;
# --no-mouse and "mouse = off" in the config file leave the mouse alone.
# Events are written into the pane as a terminal sends them (SGR 1006 for
# xterm, X10 for screen).
source "$(dirname "$0")/tuilib.bash" "$@"

# sgr BUTTON X Y: a press at column X, line Y (1-based, as terminals count),
# and its release (the wheel has none)
sgr() {
    type_text $'\e[<'"$1;$2;$3M"
    [ "$1" -lt 64 ] && type_text $'\e[<'"$1;$2;$3m"
    return 0
}
# the screen line (1-based) showing TEXT at its start
line_of() { screen | grep -n -- "$1" | head -1 | cut -d: -f1; }

# cells 6 columns wide (the settings file's cell width; the grid would widen
# them to the terminal otherwise), so that the positions below are cells
mkdir -p "$WORK/cw6/attrscope"
echo "cell-width = 6" >"$WORK/cw6/attrscope/config"
start 100 30 TERM=xterm-256color XDG_CONFIG_HOME="$WORK/cw6" -- "$INSEQ/encdec_occlusion_coarse.json"
expect "q:quit" "explorer up"
mode=$(T display-message -p -t "$SESSION" '#{mouse_any_flag}')
[ "$mode" = 1 ] && ok "mouse reporting asked for" || fail "mouse reporting not on: $mode"

# source row 3 (" 3  today") at column 2: cells start after the labels,
# six columns each (the value "0.13" of row 3 column 2)
y=$(line_of '^3  today')
sgr 0 30 "$y"
if wait_status '^ src 3  today .* 2 , = 0\.128844'; then ok "click on a source cell"; else fail "click on a source cell"; fi
# a click on the row label keeps the column
y=$(line_of '^7  day')
sgr 0 3 "$y"
if wait_status '^ src 7  day .* 2 , = '; then ok "click on a row label"; else fail "click on a row label"; fi
# a click on a column label keeps the row
sgr 0 64 3
if wait_status '^ src 7  day .* 8 (giorn|ata)'; then ok "click on a column label"; else fail "click on a column label"; fi
# the target pane, and its step-score row
y=$(line_of '^ 4  è')
sgr 0 50 "$y"
if wait_status '^ tgt 4  è .* 6 '; then ok "click on a target cell"; else fail "click on a target cell"; fi
y=$(screen | grep -n '^probability' | tail -1 | cut -d: -f1)
sgr 0 26 "$y"
if wait_status '^ probability @ 2 '; then ok "click on a step-score row"; else fail "click on a step-score row"; fi
# clicks outside the grid change nothing
before=$(status_line)
sgr 0 5 1
sleep 0.2
[ "$(status_line)" = "$before" ] && ok "click on the header does nothing" || fail "header click moved the cursor"

# the sequence list: a click selects, a click on the selection opens it
start 100 30 TERM=xterm-256color -- "$INSEQ/encdec_pair_coarse.json"
expect "q:quit" "two sequences"
keys s
expect "sequences (2)" "list open"
y=$(line_of ' 1  y → y2')
sgr 0 20 "$y"
sleep 0.2
expect "sequences (2)" "one click keeps the list"
sgr 0 20 "$y"
wait_gone "sequences (2)"
expect "seq 1 of 2" "a second click opens the sequence"

# the wheel scrolls a long pane (the cursor stays on screen); Shift+wheel
# scrolls the columns
start 60 14 TERM=xterm-256color -- "$INSEQ/encdec_ig_granular.json" -a none
expect "pipeline: none" "granular, small screen"
keys Tab
y=$(screen | grep -n '^ *0 ' | head -1 | cut -d: -f1)
sgr 65 30 "$y"
if poll 5 bash -c "! tmux -L $SOCK capture-pane -p -t $SESSION | grep -q '^ *0  Hello'"; then ok "wheel down scrolls the rows"; else fail "wheel down did not scroll"; fi
if wait_status '^ src 3 '; then ok "the cursor moved into the window"; else fail "cursor not in the window after the wheel"; fi
sgr 64 30 "$y"
expect "0  Hello" "wheel up scrolls back"
sgr 69 30 "$y"
if wait_status ' ← 3 '; then ok "shift+wheel scrolls the columns"; else fail "shift+wheel did not scroll columns"; fi
keys q
expect_restored 0

# X10 encoding (TERM=screen: kmous \E[M): button, column and line + 32
start 100 30 TERM=screen -- "$INSEQ/encdec_occlusion_coarse.json"
expect "q:quit" "TERM=screen"
y=$(line_of '^5  a')
T send-keys -t "$SESSION" -H 1b 5b 4d 20 "$(printf '%x' $((30 + 32)))" "$(printf '%x' $((y + 32)))"
if wait_status '^ src 5  a .* 2 , '; then ok "X10 click"; else fail "X10 click"; fi

# --no-mouse: nothing asked, clicks are not read as keys
start 100 30 TERM=xterm-256color -- --no-mouse "$INSEQ/encdec_occlusion_coarse.json"
expect "q:quit" "--no-mouse"
mode=$(T display-message -p -t "$SESSION" '#{mouse_any_flag}')
[ "$mode" = 0 ] && ok "--no-mouse: no mouse reporting" || fail "--no-mouse: mouse reporting $mode"
# the config file turns it off too, and --mouse back on
mkdir -p "$WORK/cfg/attrscope"
printf 'mouse = off\n' >"$WORK/cfg/attrscope/config"
start 100 30 TERM=xterm-256color XDG_CONFIG_HOME="$WORK/cfg" -- "$INSEQ/encdec_occlusion_coarse.json"
expect "q:quit" "mouse = off"
mode=$(T display-message -p -t "$SESSION" '#{mouse_any_flag}')
[ "$mode" = 0 ] && ok "config mouse = off" || fail "config mouse = off: mouse reporting $mode"
start 100 30 TERM=xterm-256color XDG_CONFIG_HOME="$WORK/cfg" -- --mouse "$INSEQ/encdec_occlusion_coarse.json"
expect "q:quit" "--mouse over the config"
mode=$(T display-message -p -t "$SESSION" '#{mouse_any_flag}')
[ "$mode" = 1 ] && ok "--mouse wins over the config file" || fail "--mouse: mouse reporting $mode"
keys q
expect_restored 0

# Ctrl-Z gives the mouse back to the shell; fg takes it again
start_shell 100 30
run_in_shell "$INSEQ/encdec_occlusion_coarse.json"
expect "q:quit" "from a shell"
keys C-z
expect "shell$" "stopped"
mode=$(T display-message -p -t "$SESSION" '#{mouse_any_flag}')
[ "$mode" = 0 ] && ok "no mouse reporting while stopped" || fail "mouse reporting left on while stopped"
type_text "fg"
keys Enter
expect "q:quit" "continued"
flag_on() { [ "$(T display-message -p -t "$SESSION" '#{mouse_any_flag}')" = 1 ]; }
poll 5 flag_on && ok "mouse reporting back after fg" || fail "no mouse after fg"
y=$(line_of '^5  a')
sgr 0 30 "$y"
if wait_status '^ src 5  a .* 2 , '; then ok "clicks work after fg"; else fail "click after fg"; fi
keys q
if wait_gone "q:quit"; then ok "quit after fg"; else fail "still running after q"; fi
mode=$(T display-message -p -t "$SESSION" '#{mouse_any_flag}')
[ "$mode" = 0 ] && ok "no mouse reporting after quitting" || fail "mouse reporting left on"
finish
