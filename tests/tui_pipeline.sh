# The pipeline editor: errors in place, completion of steps, functions, keys
# and values (the pair's other sequence), the step list, history, undo; the
# weight picker.  (Values under each pipeline: tui_aggregate.sh.)
source "$(dirname "$0")/tuilib.bash" "$@"

start 110 34 TERM=xterm-256color -- "$INSEQ/encdec_pair_coarse.json"
expect "pipeline: default" "default pipeline at start"
keys a
expect "> default" "editor shows the current pipeline"
type_text "none | mean"
keys Enter
expect "pipeline: 'none' must be the whole pipeline" "error shown in the editor"
expect "> none | mean" "editor stays open with the text"
keys C-u
type_text "subwords | sbwords"
expect "will not run: pipeline: step 2: unknown step 'sbwords'" "checked while typing"
expect "unknown step 'sbwords' (did you mean 'subwords'?)" "with a guess at the name"
keys C-u
type_text "no"
keys Tab
expect "> none " "Tab completes a step"
keys Enter
expect "pipeline: none │" "applied at once"
expect "pipeline: none" "message"
# completion of functions, keys, closed values
keys a
type_text "spans:a"
keys Tab
expect "> spans:absmax " "function after STEP:"
type_text "sou"
keys Tab
expect "> spans:absmax source_spans=" "key of the step"
keys C-u
type_text "mean normalize=f"
keys Tab
expect "> mean normalize=false " "closed value set"
# ambiguous: Tab cycles through the candidates
keys C-u
type_text "s"
keys Tab
expect "completions:" "candidates listed"
keys Tab
expect "> scores " "first candidate"
keys Tab
expect "> spans " "next candidate"
keys BTab
expect "> scores " "Shift-Tab goes back"
# pair: the other sequence with its text
keys C-u
type_text "pair with="
keys Tab
expect "> pair with=1 " "the other sequence offered"
# the step list inserts steps
keys C-u
keys C-n C-n C-n C-n C-n C-n
keys C-o
expect "> mean" "^O inserts the selected step"
keys C-o
expect "> mean | mean" "then pipes the next one"
keys C-u C-p C-p C-p C-o
expect "> split split_pattern=" "a step with a required key comes with it"
keys Escape
wait_gone "pipeline (Enter apply" && ok "Esc closes" || fail "editor still open"
expect "pipeline: none │" "Esc leaves the pipeline alone"
# history: Up walks back through applied pipelines
keys a Up
expect "> none" "Up: the last pipeline"
keys Up
expect "> default" "Up again: the one before"
keys Down Down
expect "> none" "Down past the newest returns to the typed line"
keys Escape
# undo
keys u
expect "undone: pipeline default" "u undoes the pipeline change"
expect "pipeline: default │" "header follows"
keys u
expect "nothing to undo" "nothing more"
# weight from the step scores
keys w
expect "weight attributions by a step score" "weight list"
expect "(none)" "none first"
expect "probability" "step scores listed"
keys j Enter
expect "weighted by probability" "weight applied"
expect "pipeline: default × probability" "the header shows the weight"
keys w
expect "weight attributions by a step score" "w opens the weight list again"
keys g Enter
expect "no weighting" "(none) removes it"
keys q
expect_restored 0
finish
