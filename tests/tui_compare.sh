#!/usr/bin/env bash
# The explorer's compare mode: two files of different methods on the same
# inputs side by side, then the difference B - A, one cursor for both, the
# column's metrics equal to `attrscope compare --json`; c, x, X, ] and Esc.
source "$(dirname "$0")/tuilib.bash" "$@"
ig=$INSEQ/encdec_ig_granular.json
occ=$INSEQ/encdec_occlusion_coarse.json
base=$INSEQ/encdec_base_sourceonly.json

"$BIN" compare "$ig" "$occ" --json >"$WORK/cmp.json" || fail "compare --json"
# metric line the explorer shows for step J, from the command's JSON
want_metrics() { # STEP [JSON]
    python3 - "${2:-$WORK/cmp.json}" "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))["comparisons"][0]["sequences"][0]["steps"][int(sys.argv[2])]
names = [("FA", "feature_agreement"), ("RA", "rank_agreement"), ("SA", "sign_agreement"),
         ("SRA", "signed_rank_agreement"), ("rho", "rank_correlation"),
         ("PRA", "pairwise_rank_agreement"), ("r", "pearson")]
parts = [f"step {d['step']}  n={d['n']} k={d['k']} "] + [
    f" {s} {'-' if d[n] is None else format(d[n], '.3f')}" for s, n in names]
print("".join(parts))
PY
}
# the value of a cell as `show` prints it in 3 places: A (IG, default) and B (occlusion)
cell() { # FILE ROW COL (source rows)
    "$BIN" export "$1" -o - --format scores | python3 -c "
import json, sys
d = json.load(sys.stdin)[0]['source_attributions']
print(format(list(list(d.values())[$3].values())[$2], '.3f'))"
}

start 130 30 TERM=xterm-256color -- --compare "$ig" "$occ"
expect "seq 0 ↔ 0 (1/1 matched) │ side by side" "--compare opens the matched sequence side by side" 10
expect "A: encdec_ig_granular.json" "A's title"
expect "B: encdec_occlusion_coarse.json" "B's title"
expect "$(want_metrics 0)" "step 0: the metrics of compare --json"
row=$(screen | grep -E '^s +0 +▁?Hello|^s +0 +Hello' | head -1)
[[ "$row" == *" $(cell "$ig" 0 0) "*"│"*" $(cell "$occ" 0 0) "* ]] && ok "row 0: A's value, then B's across the bar" || fail "row 0: $row"
expect " A $(cell "$ig" 0 0)  B $(cell "$occ" 0 0)  B-A " "the status shows both values and the difference"

# one cursor for both: move, both panes highlight the same cell
keys l l j
a=$(cell "$ig" 1 2) b=$(cell "$occ" 1 2)
expect " A $a  B $b  B-A " "moved: both values of source 1, step 2"
expect "$(want_metrics 2)" "step 2: its metrics"
expect "← 2 " "the status names the generated token"
hl=$(screen_e | grep -E 'world' | head -1 | grep -o '48;5;226' | wc -l)
[ "$hl" -eq 2 ] && ok "the cursor cell is highlighted in A and in B" || fail "cursor highlights on the row: $hl"

# c: the difference B - A
keys c
expect "│ difference B - A" "c: the difference"
expect "difference B - A (encdec_occlusion_coarse.json minus encdec_ig_granular.json)" "titled"
d=$(python3 -c "print(format(round($b - $a, 3), '.3f'))")
row=$(screen | grep -E '^s +1 ' | head -1)
expect " A $a  B $b  B-A " "the cursor stays on the same cell"
[[ "$row" == *"$(python3 -c "
a, b = float('$a'), float('$b')
print(format(b - a, '.3f'))")"* ]] && ok "the cell holds B - A" || fail "difference row: $row (want about $d)"
expect_not "│  B: encdec" "one pane only"

# c again: back to the grid; c on the grid (several files open) compares again
keys c
expect "attrscope │" "c: back to the grid"
expect_not "compare │" "compare mode left"
keys c
expect "│ side by side" "c on the grid with two files open: compare mode"
# k: the agreement@k metrics with another k, as compare -k
"$BIN" compare "$ig" "$occ" --json -k 3 >"$WORK/cmp3.json" || fail "compare --json -k 3"
keys k
expect "k of the agreement@k metrics" "k asks for k"
keys C-u
type_text 0
keys Enter
expect "k is a whole number from 1" "k 0 is refused in the prompt"
keys C-u
type_text 3
keys Enter
expect "agreement@k with k = 3" "k set to 3"
expect "$(want_metrics 0 "$WORK/cmp3.json")" "step 0: the metrics of compare --json -k 3"
keys l
expect "$(want_metrics 1 "$WORK/cmp3.json")" "step 1 with k = 3"
keys h
keys ']'
expect "one matched sequence only" "] with one matched sequence says so"
keys X
expect "compare │ A: encdec_occlusion_coarse.json │ B: encdec_ig_granular.json" "X swaps A and B"
keys x
expect "x compares A with the next file" "x with two files says what it needs"
keys Escape
expect "attrscope │" "Esc: back to the grid"
resize 40 10
sleep 0.3
keys c
resize 130 30
expect "│ side by side" "compare mode after a resize"
keys q
expect_restored 0

# three files: x steps B through the others; unmatched sequences counted
start 150 30 TERM=xterm-256color -- "$ig" "$occ" "$base"
expect "seq 0 of" "three files open" 10
keys c
expect "not matched: 1 of A, 0 of B" "IG's second sequence has no match in occlusion"
keys x
expect "B: encdec_base_sourceonly.json │ seq 1 ↔ 0 (1/1 matched)" "x: A against the third file"
expect "n=9 k=5" "source only: 9 tokens per step"
keys q
expect_restored 0

# decoder-only attention (4D) against saliency (granular): both to 2D maps
start 130 30 TERM=xterm-256color -- --compare "$INSEQ/deconly_attention_multidim.json" "$INSEQ/deconly_saliency_granular.json"
expect "seq 0 ↔ 0 (1/1 matched)" "attention vs saliency matched" 10
expect "step 0  n=6 k=5" "the first step attends to the 6 prompt tokens"
keys c q
expect_restored 0

# the grid's pipeline applies to both sides: a 3D one cannot be compared
start 130 30 -- -a none --compare "$ig" "$occ"
expect "compare needs 2D maps: Esc, then a to change the" "pipeline none: says why and what to do" 10
keys Escape a C-u
type_text default
keys Enter
expect "pipeline: default" "pipeline changed on the grid"
keys c
expect "$(want_metrics 0)" "compare again: the metrics under the new pipeline"
keys q
expect_restored 0

# a single file: the grid says what compare needs; --compare refuses
start 100 24 -- "$ig"
expect "seq 0 of 2" "one file" 10
keys c
expect "compare needs two files open" "c with one file says so"
keys q
expect_restored 0
start 100 24 -- --compare "$ig"
expect "EXIT=2" "--compare with one file: usage error"
grep -q -- "--compare needs two files" "$WORK/stderr" && ok "  with a message" || fail "stderr: $(cat "$WORK/stderr")"
finish
