# Frames drawn in part (a cursor move redraws two rows; a scroll moves the
# cells on the terminal itself, with delete/insert-character and scrolling
# regions, and draws only what came into view) look exactly like the same
# screen repainted whole (Ctrl-L): every cell's character and colors.
source "$(dirname "$0")/tuilib.bash" "$@"

# seen FILE: the screen as seen (without the two status lines)
seen() {
    local h
    h=$(T display-message -p -t "$SESSION" '#{pane_height}')
    T capture-pane -p -e -N -t "$SESSION" | head -$((h - 2)) | ref cells >"$1"
}
# check NAME KEYS...: sends the keys, compares with a repaint
check() {
    local name=$1
    shift
    for k in "$@"; do keys "$k"; sleep 0.02; done
    sleep 0.3
    seen "$WORK/part.txt"
    keys C-l
    sleep 0.3
    seen "$WORK/whole.txt"
    if cmp -s "$WORK/part.txt" "$WORK/whole.txt"; then
        ok "$name: as repainted"
    else
        fail "$name: differs from a repaint"
        diff "$WORK/part.txt" "$WORK/whole.txt" | head -4 | cut -c1-300
    fi
}
rep() { local n=$1 k=$2 out=(); for ((i = 0; i < n; i++)); do out+=("$k"); done; echo "${out[@]}"; }

for mode in 256 mono; do
    start 70 24 TERM=xterm-256color -- "$INSEQ/encdec_ig_granular.json" -a none --color $mode
    expect "seq 0 of 2" "$mode: granular, both panes"
    check "$mode: cursor moves" $(rep 3 l) $(rep 2 j) k h
    check "$mode: scroll right by a cell" $(rep 12 l)
    check "$mode: scroll left" $(rep 14 h)
    check "$mode: to the last column and back" '$' 0
    check "$mode: scroll down a pane" $(rep 12 j)
    check "$mode: into the lower pane and up again" $(rep 14 j) $(rep 20 k)
    check "$mode: pages" NPage NPage PPage
    check "$mode: scroll both ways at the bottom" G $(rep 6 k) $(rep 12 l) $(rep 3 h)
    keys q
    expect_restored 0
done
# the side panel is drawn in full every frame
start 90 24 TERM=xterm-256color -- "$INSEQ/encdec_ig_granular.json"
expect "seq 0 of 2" "default pipeline"
keys T
expect "top source for" "top-k panel"
check "panel: moves and scrolls" $(rep 4 l) $(rep 12 j) $(rep 5 k)
keys q
expect_restored 0
finish
