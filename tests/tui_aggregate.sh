# Values under real pipelines against aggregations.json: the class default
# of a granular file at start, pipelines changed in the editor (subwords,
# spans with a function, the default weighted by a step score, a pair of
# sequences picked from the list), read from the status line's exact value;
# errors shown in place (the offending text marked) without leaving the
# editor.
source "$(dirname "$0")/tuilib.bash" "$@"
CASE=encdec_ig_granular

start 120 40 TERM=xterm-256color -- "$INSEQ/$CASE.json"
expect "pipeline: default" "default pipeline at start"
keys Tab   # the source pane alone
expect "pipeline: default │ source " "source pane"
for rc in "0 0" "3 4" "9 10" "5 2"; do
    expect_golden_cell $CASE default 0 src source_attributions $rc
done
keys G
expect_golden_step $CASE default 0 probability 3
keys Tab   # the target pane alone
expect "│ target " "target pane"
for rc in "0 1" "4 7" "10 10"; do
    expect_golden_cell $CASE default 0 tgt target_attributions $rc
done
keys ']'
expect "seq 1 of 2" "second sequence"
for rc in "2 3" "9 9"; do
    expect_golden_cell $CASE default 1 tgt target_attributions $rc
done
keys '['
expect "seq 0 of 2" "back to the first"

KEY="vnorm | subwords"
set_pipeline "$KEY"
expect "pipeline: vnorm | subwords │" "subwords applied"
for rc in "1 1" "7 6" "3 0"; do
    expect_golden_cell $CASE "$KEY" 0 tgt target_attributions $rc
done
goto_cell 1 0
expect "tgt 1  mondo, ←" "merged tokens in the status line"
keys Tab   # both panes: the source is the upper one
for rc in "1 2" "6 7"; do
    expect_golden_cell $CASE "$KEY" 0 src source_attributions $rc
done
keys ']'
expect "seq 1 of 2" "second sequence under subwords"
expect_golden_cell $CASE "$KEY" 1 src source_attributions 2 3
keys '['

KEY="vnorm | spans:mean source_spans=2:5 target_spans=7:9"
set_pipeline "$KEY"
expect "pipeline: vnorm | spans:mean" "spans applied"
for rc in "2 0" "2 7" "7 9" "0 3"; do
    expect_golden_cell $CASE "$KEY" 0 src source_attributions $rc
done
keys Tab Tab
for rc in "7 8" "8 9"; do
    expect_golden_cell $CASE "$KEY" 0 tgt target_attributions $rc
done
keys G
expect_golden_step $CASE "$KEY" 0 probability 7
keys k
expect_golden_step $CASE "$KEY" 0 entropy 7

# the default weighted by probability: w picks the step score
set_pipeline default
keys w
expect "weight attributions by a step score" "weight list"
keys G Enter    # the last step score of the list
wait_for "× " || fail "the weight appears in the header"
expect "pipeline: default × probability" "weighted by probability"
KEY="default --weight probability"
for rc in "0 1" "5 9" "10 10"; do
    expect_golden_cell $CASE "$KEY" 0 tgt target_attributions $rc
done
keys Tab
for rc in "0 0" "8 6"; do
    expect_golden_cell $CASE "$KEY" 0 src source_attributions $rc
done
keys ']'
expect_golden_cell $CASE "$KEY" 1 src source_attributions 4 5
keys '['

# errors in place: the editor stays open with the text, the message says
# what is wrong and the offending text is drawn in the error style
keys a C-u
type_text "vnorm | spans foo=1"
keys Enter
expect "pipeline: step 2 'spans': unknown key 'foo'" "parse error in the editor"
expect "> vnorm | spans foo=1" "editor stays open"
# sgr_before TEXT: the escape sequences right before TEXT on the input line
sgr_before() {
    screen_e | grep -F '> ' | grep -F 'spans' | head -1 | grep -oE $'(\e\\[[0-9;]*m)+'"$1" | head -1 |
        sed "s/$1\$//" | cat -v
}
a=$(sgr_before foo) b=$(sgr_before vnorm)
if [ -n "$a" ] && [ "$a" != "$b" ]; then ok "the unknown key is marked ($a)"; else fail "mark of 'foo': '$a' vs '$b'"; fi
keys C-u
type_text "default | spans source_spans=2:50"
keys Enter
expect "goes past the end of the source (10 tokens)" "data error in the editor"
expect "> default | spans source_spans=2:50" "editor stays open after a data error"
a=$(sgr_before 'spans source') b=$(sgr_before default)
if [ -n "$a" ] && [ "$a" != "$b" ]; then ok "the failing step is marked"; else fail "mark of the step: '$a' vs '$b'"; fi
keys C-u
type_text "vnorm |"
expect "will not run: pipeline: step 2: is empty" "checked while typing"
keys Escape
expect "pipeline: default × probability" "the view is unchanged"
keys q
expect_restored 0

# pair: the other sequence picked in the editor's list
CASE=encdec_pair_coarse
KEY="pair with=1 (sequence 0)"
start 120 40 TERM=xterm-256color -- "$INSEQ/$CASE.json"
expect "pipeline: default" "coarse file"
keys a C-u C-n C-n C-n C-n C-n
expect "pair" "pair in the step list"
keys C-o
expect "> pair with=1 " "the other sequence filled in (the only one)"
keys Enter
expect "pipeline: pair with=1 │" "pair applied"
for rc in "1 1" "0 0" "6 4" "9 10"; do
    expect_golden_cell $CASE "$KEY" 0 src source_attributions $rc
done
goto_cell 1 0
expect "world →  planet" "differing tokens shown as a → b (decoded)"
keys Tab Tab
for rc in "1 1" "10 10" "3 2"; do
    expect_golden_cell $CASE "$KEY" 0 tgt target_attributions $rc
done
keys G
expect_golden_step $CASE "$KEY" 0 probability 4
keys q
expect_restored 0

# -a / --aggregate (as the other commands take it) and --weight at start
start 120 40 TERM=xterm-256color -- "$INSEQ/encdec_ig_granular.json" -a "vnorm | subwords"
expect "pipeline: vnorm | subwords │" "-a sets the pipeline"
expect_golden_cell encdec_ig_granular "vnorm | subwords" 0 src source_attributions 1 2
keys q
expect_restored 0
start 120 40 TERM=xterm-256color -- "$INSEQ/encdec_ig_granular.json" --aggregate=default --weight probability
expect "pipeline: default × probability" "--aggregate=P with --weight"
keys Tab
expect_golden_cell encdec_ig_granular "default --weight probability" 0 src source_attributions 8 6
keys q
expect_restored 0
start 120 40 TERM=xterm-256color -- "$INSEQ/encdec_ig_granular.json" -a "vnorm | spans foo=1"
expect_restored 2
grep -q "pipeline: step 2 'spans': unknown key 'foo'" "$WORK/stderr" && ok "a bad -a: usage error naming the step" || fail "stderr: $(cat "$WORK/stderr")"

# decoder-only GPT-2 tokens: the class default, labels decoded for the file
# (byte-level: Ã© is é, Ġ a space, Ċ a newline), t for the raw strings
CASE=deconly_saliency_granular
start 120 40 TERM=xterm-256color -- "$INSEQ/$CASE.json"
expect "pipeline: default │ target " "decoder-only: the target pane"
expect "2 é " "byte-level token decoded"
expect "11 \\n " "newline token shown escaped"
for rc in "2 0" "8 3" "11 5"; do
    expect_golden_cell $CASE default 0 tgt target_attributions $rc
done
goto_cell 4 0
expect "tgt 4  Paris ← 0  croiss" "decoded tokens in the status line"
keys t
expect "tgt 4 ĠParis ← 0 Ġcroiss" "raw token strings"
expect "2 Ã© " "raw byte-level token"
keys t
expect "tgt 4  Paris ← 0  croiss" "decoded again"
keys q
expect_restored 0
finish
