# tuilib.bash - helpers for the terminal tests (sourced by tests/tui_*.sh).
# Usage in a test: source tuilib.bash "$@"  (BIN FIXTURES as arguments).
# Each test gets its own tmux server (socket) and scratch directory; both
# go away at exit.  Waits poll the screen instead of sleeping.
set -u
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
FIX=$(cd "$2" && pwd)
TESTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
INSEQ=$FIX/inseq
GOLDEN=$FIX/golden
SOCK=attrscope-test-$$
SESSION=
NRUN=0
WORK=$(mktemp -d)
FAILS=0
CHECKS=0
command -v tmux >/dev/null || { echo "SKIP: tmux is needed for this test (apt-get install -y tmux)"; exit 77; }

T() { tmux -L "$SOCK" "$@"; }
cleanup() {
    local sock
    sock=$(T display-message -p '#{socket_path}' 2>/dev/null)
    T kill-server 2>/dev/null
    [ -n "$sock" ] && rm -f "$sock"
    rm -rf "$WORK"
}
trap cleanup EXIT

# start W H [ENV=VAL...] -- ARGS...: runs the binary in a fresh session,
# with settings of its own (XDG_CONFIG_HOME: an empty directory of the
# scratch dir, so neither the user's settings nor an earlier run's count;
# pass XDG_CONFIG_HOME=... to share them between runs).
# The pane stays after the binary exits, showing EXIT=<status>.
start() {
    local w=$1 h=$2
    shift 2
    local envs=()
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do envs+=("$1"); shift; done
    shift
    local args=""
    for a in "$@"; do args="$args $(printf '%q' "$a")"; done
    # a new session per run (the old one goes after, so the server stays up)
    local old=$SESSION
    NRUN=$((NRUN + 1))
    SESSION=run$NRUN
    T new-session -d -s "$SESSION" -x "$w" -y "$h" \
        "cd $(printf '%q' "$WORK") && env LANG=C.UTF-8 LC_ALL=C.UTF-8 ATTRSCOPE_HISTORY= XDG_CONFIG_HOME=$(printf '%q' "$WORK")/config$NRUN ${envs[*]} $(printf '%q' "$BIN")$args 2>$(printf '%q' "$WORK")/stderr; echo EXIT=\$?; sleep 60"
    [ -n "$old" ] && T kill-session -t "$old" 2>/dev/null
    return 0
}

screen() { T capture-pane -p -t "$SESSION"; }
screen_e() { T capture-pane -p -e -t "$SESSION"; }
keys() { T send-keys -t "$SESSION" "$@"; }
# literal text (no key-name lookup)
type_text() { T send-keys -t "$SESSION" -l "$1"; }

# poll SECONDS CMD...: runs CMD every 20 ms until it succeeds or time is up.
poll() {
    local n i=0
    n=$(awk -v s="$1" 'BEGIN { print int(s * 50) }')
    shift
    while [ $i -lt "$n" ]; do
        "$@" && return 0
        sleep 0.02
        i=$((i + 1))
    done
    return 1
}
shows() { screen | grep -qF -- "$1"; }
tty_end_shown() { screen | grep -qx 'TTY-END'; }
lacks() { ! shows "$1"; }

# wait_for TEXT [SECONDS]: until the screen shows TEXT (fixed string).
wait_for() { poll "${2:-5}" shows "$1"; }
# wait_gone TEXT [SECONDS]
wait_gone() { poll "${2:-5}" lacks "$1"; }

ok() { CHECKS=$((CHECKS + 1)); echo "ok - $1"; }
fail() {
    CHECKS=$((CHECKS + 1)); FAILS=$((FAILS + 1))
    echo "FAIL - $1"
    echo "----- screen -----"; screen; echo "------------------"
}
expect() { # expect TEXT DESCRIPTION [SECONDS]
    if wait_for "$1" "${3:-5}"; then ok "$2"; else fail "$2 (wanted: $1)"; fi
}
expect_not() { # expect_not TEXT DESCRIPTION
    if screen | grep -qF -- "$1"; then fail "$2 (found: $1)"; else ok "$2"; fi
}

# The status line's value (after " = ") on the line above the hints.
status_value() {
    screen | grep -E ' (src|tgt) [0-9]+ .* = |@ [0-9]+ .* = ' | tail -1 |
        sed -E 's/.* = ([^ ]+).*/\1/'
}

# close_to GOT WANT: relative/absolute 1e-6
close_to() {
    awk -v g="$1" -v w="$2" 'BEGIN {
        if (w == "NaN" || w == "nan" || w == "None") exit !(g == "NaN");
        d = g - w; if (d < 0) d = -d; a = w < 0 ? -w : w; if (a < 1) a = 1;
        exit !(d <= 1e-6 * a) }'
}

# The terminal is as it was: main screen, cursor shown, keypad off, and the
# binary's status.
expect_restored() { # expect_restored STATUS [shell]
    wait_for "EXIT=$1" 5 || { fail "exit status $1"; return; }
    ok "exit status $1"
    local modes
    modes=$(T display-message -p -t "$SESSION" '#{alternate_on} #{cursor_flag} #{keypad_cursor_flag} #{keypad_flag} #{mouse_any_flag}')
    if [ "$modes" = "0 1 0 0 0" ]; then ok "terminal restored"; else fail "terminal modes after exit: $modes"; fi
    # the tty's own settings: line editing, echo and output processing back
    # (read by the shell when the explorer ran from one: an interactive
    # shell's own line editor has other settings while it waits)
    local want missing= settings
    if [ "${2:-}" = shell ]; then
        # the loop prints its lines after EXIT=; wait for its last one
        poll 5 tty_end_shown || true
        for want in icanon echo opost icrnl; do
            screen | grep -q "^TTY-$want\$" || missing="$missing $want"
        done
    else
        settings=" $(stty -a -F "$(T display-message -p -t "$SESSION" '#{pane_tty}')" 2>/dev/null |
            tr -s ' ;\n' '   ') "
        for want in icanon echo opost icrnl; do
            case "$settings" in *" $want "*) ;; *) missing="$missing $want" ;; esac
        done
    fi
    if [ -z "$missing" ]; then ok "tty settings restored"; else fail "tty settings after exit lack:$missing"; fi
    if screen | grep -qE 'attrscope │|pipeline:'; then fail "explorer text left on screen"; else ok "no explorer text left"; fi
}

finish() {
    echo "$CHECKS checks, $FAILS failed"
    [ "$FAILS" -eq 0 ]
}

# The status line (the line showing the cursor cell).
status_line() { screen | grep -E '^ (src|tgt) [0-9]+ |^ [^ ]+ @ [0-9]+ ' | tail -1; }

# wait_status REGEX: until the status line matches (extended regex).
status_is() { status_line | grep -qE -- "$1"; }
wait_status() { poll 5 status_is "$1"; }

# goto_cell ROW COL: from the top-left of the focused pane.
goto_cell() {
    local r=$1 c=$2 k=()
    k+=(g 0)
    for ((i = 0; i < r; i++)); do k+=(j); done
    for ((i = 0; i < c; i++)); do k+=(l); done
    keys "${k[@]}"
}

ref() { python3 "$TESTS/tuiref.py" "$@"; }

# hue_256 N: "red", "blue" or "neutral" for an xterm 256-palette entry.
hue_256() {
    local i=$1
    if [ "$i" -lt 16 ] || [ "$i" -ge 232 ]; then echo neutral; return; fi
    i=$((i - 16))
    local r=$((i / 36)) b=$((i % 6))
    if [ $r -gt $b ]; then echo red; elif [ $b -gt $r ]; then echo blue; else echo neutral; fi
}
# cell_bg_256 TEXT: the 256-color background behind the first cell showing TEXT.
cell_bg_256() {
    screen_e | grep -oE "48;5;[0-9]+m *$1" | head -1 | sed -E 's/48;5;([0-9]+)m.*/\1/'
}

resize() { T resize-window -t "$SESSION" -x "$1" -y "$2"; }
# The process id of the binary (the child of the session's shell).
bin_pid() {
    local sh
    sh=$(T display-message -p -t "$SESSION" '#{pane_pid}')
    pgrep -P "$sh" -f "$(basename "$BIN")" | head -1
}

# start_shell W H: an interactive bash with job control (for Ctrl-Z and fg);
# run_in_shell ARGS... then types the command line into it.
start_shell() {
    local old=$SESSION
    NRUN=$((NRUN + 1))
    SESSION=run$NRUN
    T new-session -d -s "$SESSION" -x "$1" -y "$2" \
        "cd $(printf '%q' "$WORK") && env LANG=C.UTF-8 LC_ALL=C.UTF-8 ATTRSCOPE_HISTORY= XDG_CONFIG_HOME=$(printf '%q' "$WORK")/config$NRUN PS1='shell$ ' TERM=xterm-256color bash --norc --noprofile -i"
    [ -n "$old" ] && T kill-session -t "$old" 2>/dev/null
    wait_for 'shell$' 5
}
run_in_shell() {
    local line
    line=$(printf '%q' "$BIN")
    for a in "$@"; do line="$line $(printf '%q' "$a")"; done
    T send-keys -t "$SESSION" -l "$line; echo EXIT=\$?"
    T send-keys -t "$SESSION" Enter
}

# expect_golden_cell CASE KEY SEQ PANE(src|tgt) FIELD ROW COL: moves to the
# cell (from the top-left of the focused pane) and compares the status
# line's exact value with aggregations.json[CASE][KEY][SEQ][FIELD][ROW][COL].
expect_golden_cell() {
    local case=$1 key=$2 seq=$3 pane=$4 field=$5 r=$6 c=$7
    goto_cell "$r" "$c"
    if ! wait_status "^ $pane $r .* $c .* = "; then fail "$key: $pane cell $r,$c not reached"; return; fi
    local got want
    got=$(status_value)
    want=$(ref golden "$GOLDEN/aggregations.json" "$case" "$key" "$seq" "$field" "$r" "$c")
    if close_to "$got" "$want"; then ok "$key: $pane[$r][$c] = $got"; else fail "$key: $pane[$r][$c]: got $got, want $want"; fi
}

# expect_golden_step CASE KEY SEQ NAME COL: the step-score row NAME (the
# cursor must be on it) at column COL.
expect_golden_step() {
    local case=$1 key=$2 seq=$3 name=$4 c=$5
    keys 0
    for ((i = 0; i < c; i++)); do keys l; done
    if ! wait_status "^ $name @ $c "; then fail "$key: step row $name column $c not reached"; return; fi
    local got want
    got=$(status_value)
    want=$(ref golden "$GOLDEN/aggregations.json" "$case" "$key" "$seq" "step_scores.$name" "$c")
    if close_to "$got" "$want"; then ok "$key: $name[$c] = $got"; else fail "$key: $name[$c]: got $got, want $want"; fi
}

# set_pipeline TEXT: through the editor; waits for the header.
set_pipeline() {
    keys a C-u
    type_text "$1"
    keys Enter
    wait_gone "pipeline (Enter apply" || fail "editor still open after '$1'"
}
