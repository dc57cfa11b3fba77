# tuilib.bash - helpers for the terminal tests (sourced by tests/tui_*.sh).
# Usage in a test: source tuilib.bash "$@"  (BIN FIXTURES as arguments).
# Each test gets its own tmux server (socket) and scratch directory; both
# go away at exit.  Waits poll the screen instead of sleeping.
set -u
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
FIX=$2
INSEQ=$FIX/inseq
GOLDEN=$FIX/golden
SOCK=attrscope-test-$$
WORK=$(mktemp -d)
FAILS=0
CHECKS=0
command -v tmux >/dev/null || { echo "tmux is needed for this test"; exit 1; }

T() { tmux -L "$SOCK" "$@"; }
cleanup() { T kill-server 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

# start W H [ENV=VAL...] -- ARGS...: runs the binary in a fresh session.
# The pane stays after the binary exits, showing EXIT=<status>.
start() {
    local w=$1 h=$2
    shift 2
    local envs=()
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do envs+=("$1"); shift; done
    shift
    local args=""
    for a in "$@"; do args="$args $(printf '%q' "$a")"; done
    T kill-session -t main 2>/dev/null
    # one shell command: run, then report the status and the terminal modes
    T new-session -d -s main -x "$w" -y "$h" \
        "cd $(printf '%q' "$WORK") && env LANG=C.UTF-8 LC_ALL=C.UTF-8 ATTRSCOPE_HISTORY= ${envs[*]} $(printf '%q' "$BIN")$args 2>$(printf '%q' "$WORK")/stderr; echo EXIT=\$?; sleep 60"
    T set-option -t main remain-on-exit on >/dev/null
}

screen() { T capture-pane -p -t main; }
screen_e() { T capture-pane -p -e -t main; }
keys() { T send-keys -t main "$@"; }
# literal text (no key-name lookup)
type_text() { T send-keys -t main -l "$1"; }

# wait_for TEXT [SECONDS]: until the screen shows TEXT (fixed string).
wait_for() {
    local text=$1 limit=${2:-5} i=0 n
    n=$(awk -v s="$limit" 'BEGIN{print int(s*50)}')
    while [ $i -lt "$n" ]; do
        screen | grep -qF -- "$text" && return 0
        sleep 0.02
        i=$((i + 1))
    done
    return 1
}

# wait_gone TEXT [SECONDS]
wait_gone() {
    local text=$1 limit=${2:-5} i=0 n
    n=$(awk -v s="$limit" 'BEGIN{print int(s*50)}')
    while [ $i -lt "$n" ]; do
        screen | grep -qF -- "$text" || return 0
        sleep 0.02
        i=$((i + 1))
    done
    return 1
}

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
expect_restored() { # expect_restored STATUS
    wait_for "EXIT=$1" 5 || { fail "exit status $1"; return; }
    ok "exit status $1"
    local modes
    modes=$(T display-message -p -t main '#{alternate_on} #{cursor_flag} #{keypad_cursor_flag} #{keypad_flag} #{mouse_any_flag}')
    if [ "$modes" = "0 1 0 0 0" ]; then ok "terminal restored"; else fail "terminal modes after exit: $modes"; fi
    if screen | grep -qE 'attrscope │|pipeline:'; then fail "explorer text left on screen"; else ok "no explorer text left"; fi
}

finish() {
    echo "$CHECKS checks, $FAILS failed"
    [ "$FAILS" -eq 0 ]
}
