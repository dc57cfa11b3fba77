# Granular and attention tensors browsed without aggregation: the slider of
# the embedding dim, slicing, show_dim sub-columns, undo; the same controls
# as options on a multi-dimensional file.  Values are read from the status
# line and checked against the tensors of the fixture files.
source "$(dirname "$0")/tuilib.bash" "$@"
G=$INSEQ/encdec_ig_granular.json
M=$INSEQ/deconly_attention_multidim.json

check() { # WHAT FILE FIELD INDEX... (after the cursor is on the cell)
    local what=$1 file=$2 field=$3
    shift 3
    local got want
    got=$(status_value)
    want=$(ref raw "$file" 0 "$field" "$@")
    if close_to "$got" "$want"; then ok "$what = $got"; else fail "$what: got $got want $want"; fi
}

start 120 30 TERM=xterm-256color -- "$G" --pipeline none
expect "Embedding Dimension ◂ 0/24 ▸" "slider over the embedding dim"
keys Tab
goto_cell 2 5
wait_status "^ src 2 .* 5 .* Embedding Dimension 0/24" || fail "cell 2,5"
check "source[2][5][0]" "$G" source_attributions 2 5 0
keys '>' '>' '>'
expect "Embedding Dimension ◂ 3/24 ▸" "> steps the slider"
wait_status "Embedding Dimension 3/24" || fail "status shows the slider index"
check "source[2][5][3]" "$G" source_attributions 2 5 3
keys '<'
wait_status "Embedding Dimension 2/24" && check "source[2][5][2]" "$G" source_attributions 2 5 2
keys d
expect "too large: slice it first" "show_dim list explains the size limit"
keys Down Enter
expect "more than max-show-size 20" "refused with the reason"
keys S
expect "slice DIM=A:B" "slice prompt"
keys C-u
type_text "2=4:14"
keys Enter
expect "2=4:14" "slice shown in the header"
expect "Embedding Dimension ◂ 4/24 ▸" "slider kept inside the slice"
keys d Down Enter
expect "cols×Embedding Dimension(10)" "sub-columns by the embedding dim"
expect "0:Ciao" "generated token over its group"
goto_cell 1 13
wait_status "^ src 1 .* 1 .*Embedding Dimension 7" || fail "sub-column 13 is token 1, index 7"
check "source[1][1][7]" "$G" source_attributions 1 1 7
keys u
expect "Embedding Dimension ◂ 4/24 ▸" "undo: back to the slider"
keys u
expect_gone_slice() { if wait_gone "2=4:14"; then ok "undo: slice removed"; else fail "slice still shown"; fi; }
expect_gone_slice
keys u
expect "nothing to undo" "undo stops at the start"
keys q
expect_restored 0

# the same through options, on an attention file (layers x heads)
start 120 30 TERM=xterm-256color -- "$M" --pipeline none --show-dim "attention head" --slice "Model Layer=1:3"
expect "cols×Attention Head(6)" "--show-dim by name"
expect "Model Layer ◂ 1/4 ▸" "--slice keeps the layer slider in range"
goto_cell 3 17
wait_status "^ tgt 3 .* 2 .*Attention Head 5  Model Layer 1/4" || fail "cell 3,17: $(status_line)"
check "target[3][2][1][5]" "$M" target_attributions 3 2 1 5
keys '>' '>'
expect "Model Layer ◂ 2/4 ▸" "> stops at the end of the slice"
wait_status "Model Layer 2/4" && check "target[3][2][2][5]" "$M" target_attributions 3 2 2 5
keys d g Enter
expect "Attention Head ◂" "show_dim none: heads become a slider"
keys D
expect "< and > step Attention Head" "D picks the other slider"
keys '>' '>' '>'
expect "Attention Head ◂ 3/6 ▸" "the head slider steps"
goto_cell 3 2
wait_status "^ tgt 3 .* 2 .*Attention Head 3/6" && check "target[3][2][2][3]" "$M" target_attributions 3 2 2 3
keys q
expect_restored 0

# --max-show-size lets the 24 embedding indices be columns at once
start 200 30 TERM=xterm-256color -- "$G" --pipeline none --show-dim 2 --max-show-size 30
expect "cols×Embedding Dimension(24)" "--max-show-size 30 allows show_dim 2"
keys q
expect_restored 0
# bad options end before the terminal is touched
start 80 20 TERM=xterm-256color -- "$G" --pipeline none --show-dim "Nope"
expect_restored 2
if grep -q "no dim named 'Nope'" "$WORK/stderr"; then ok "bad --show-dim reported on stderr"; else fail "stderr: $(cat "$WORK/stderr")"; fi
start 80 20 TERM=xterm-256color -- "$G" --pipeline none --show-dim 2
expect_restored 2
if grep -q "more than max-show-size 20: slice it first (key S or option --slice 2=0:20)" "$WORK/stderr"; then ok "too large --show-dim reported with the key and the option"; else fail "stderr: $(cat "$WORK/stderr")"; fi
# under the default pipeline (2D), the extra dims are one key away: d, S
# and the options switch to a pipeline that keeps them and say so
start 120 30 TERM=xterm-256color -- "$G"
expect "pipeline: default" "default pipeline: a 2D view"
keys d
expect "now 'none', which keeps it (u: back)" "d switches to the pipeline none and says so"
expect "too large: slice it first (S, or --slice)" "the list names the key and the option"
keys Escape
expect "pipeline: none" "the header shows the new pipeline"
keys u
expect "pipeline: default" "u goes back to the default pipeline"
keys S C-u
type_text "2=0:4"
keys Enter
expect "sliced: 2=0:4; the pipeline 'default' reduced Embedding Dimension" "S 2=0:4 switches too"
expect "Embedding Dimension ◂ 0/24 ▸ │ 2=0:4" "the slice holds"
keys d Down Enter
expect "cols×Embedding Dimension(4)" "then the sliced dim can be columns"
keys q
expect_restored 0
start 120 30 TERM=xterm-256color -- "$G" --slice 2=0:4 --show-dim 2
expect "cols×Embedding Dimension(4)" "--show-dim 2 under the default pipeline"
expect "now 'none', which keeps it" "the switch is said at start"
keys q
expect_restored 0
start 120 30 TERM=xterm-256color -- "$G" --weight probability --show-dim 2
expect_restored 2
if grep -q "clear the weight (key w, empty) and use the pipeline 'none'" "$WORK/stderr"; then ok "--weight with --show-dim says what to do"; else fail "stderr: $(cat "$WORK/stderr")"; fi
start 80 20 TERM=xterm-256color -- "$INSEQ/encdec_occlusion_coarse.json"
keys d
expect "the attributions are 2D: there are no extra dims" "coarse file: d says there are none"
keys q
expect_restored 0
finish
