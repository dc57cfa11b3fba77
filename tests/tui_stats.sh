# Frame times measured by the binary (--stats, printed to stderr after the
# terminal is restored): the first frame of a granular file, moves and
# scrolls, a change to pipeline none and slider steps.  A (300, 100, 256)
# file keeps the test quick; the bounds are the targets for a (600, 200,
# 1024) file, so they hold with room.
source "$(dirname "$0")/tuilib.bash" "$@"
python3 "$TESTS/mkgranular.py" "$WORK/gran.json" 200 100 256

start 160 50 TERM=xterm-256color -- "$WORK/gran.json" --stats
expect "seq 0 of 1" "granular file opens" 10
k=()
for i in $(seq 30); do k+=(l); done
for i in $(seq 30); do k+=(j); done
keys "${k[@]}"
keys NPage NPage NPage G g End Home
# the tensor as it is (pipeline none): the slider steps through its last dim
keys a C-u
type_text none
keys Enter
expect "Embedding Dimension ◂ 0/256 ▸" "pipeline none: a slider over the embedding dim"
for i in $(seq 5); do keys '>'; done
expect "Embedding Dimension ◂ 5/256 ▸" "the slider stepped"
keys q
expect_restored 0
if screen | grep -q "stats"; then fail "statistics written on the terminal"; else ok "nothing written outside curses"; fi
cat "$WORK/stderr"
first=$(sed -nE 's/.*first frame ([0-9.]+) ms after start.*/\1/p' "$WORK/stderr")
moves=$(grep 'move/scroll keys:' "$WORK/stderr")
nmoves=$(sed -nE 's/.* ([0-9]+) frames.*/\1/p' <<<"$moves")
median=$(sed -nE 's/.*median ([0-9.]+) ms.*/\1/p' <<<"$moves")
data=$(grep 'data changes:' "$WORK/stderr")
dmax=$(sed -nE 's/.*max ([0-9.]+) ms.*/\1/p' <<<"$data")
ndata=$(sed -nE 's/.* ([0-9]+) frames.*/\1/p' <<<"$data")
# the first-frame target is for a real build; under AddressSanitizer decoding
# alone takes about 0.8 s of it, so there the bound is twice as wide
limit=1300
if LC_ALL=C grep -qa __asan_init "$BIN"; then limit=2600; fi
awk -v x="$first" -v l=$limit 'BEGIN { exit !(x > 0 && x < l) }' && ok "first frame in $first ms (bound $limit ms)" || fail "first frame $first ms (bound $limit ms)"
[ "${nmoves:-0}" -ge 60 ] && ok "$nmoves move frames timed" || fail "move frames: $nmoves"
awk -v x="$median" 'BEGIN { exit !(x < 5) }' && ok "median move frame $median ms" || fail "median move frame $median ms"
[ "${ndata:-0}" -ge 6 ] && ok "$ndata data frames timed (pipeline, slider)" || fail "data frames: $data"
awk -v x="$dmax" 'BEGIN { exit !(x != "" && x < 50) }' && ok "pipeline change and slider steps at most $dmax ms" || fail "data change $dmax ms"
# the slowest frames, slowest first, each with its key by name and kind
slow=$(sed -n '/slowest frames after a key:/,$p' "$WORK/stderr" | tail -n +2)
nslow=$(grep -cE '^    [^ ]+ +(move|data|other) +[0-9.]+ ms  \(drawing [0-9.]+, terminal output [0-9.]+\)$' <<<"$slow")
[ "$nslow" -eq 8 ] && ok "8 slowest frames listed" || fail "slowest frames: $slow"
sorted=$(awk '{ print $3 }' <<<"$slow" | sort -rn | tr '\n' ' ')
[ "$sorted" = "$(awk '{ print $3 }' <<<"$slow" | tr '\n' ' ')" ] && ok "slowest first" || fail "order: $slow"
if grep -qE '^    (>|PgDn|G|g|End|Home|l|j) ' <<<"$slow" && ! grep -qE '^    #' <<<"$slow"; then
    ok "keys named as the action table names them"
else
    fail "key names: $slow"
fi
finish
