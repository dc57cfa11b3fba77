# Export of the current view: CSV and JSON files with the values of the
# goldens, never overwriting a file without asking, errors in place.
source "$(dirname "$0")/tuilib.bash" "$@"
AGG=$GOLDEN/aggregations.json
CASE=encdec_occlusion_coarse
NAME=$CASE-seq1-source.csv

start 100 30 TERM=xterm-256color -- "$INSEQ/$CASE.json" --pipeline none
expect "seq 1/1" "starts"
keys Tab e
expect "$NAME" "export prompt offers a name"
keys Enter
expect "exported the source pane (10 rows + 1 step rows, 11 columns)" "export message"
if [ -f "$WORK/$NAME" ]; then ok "CSV written"; else fail "no $NAME"; fi
python3 - "$WORK/$NAME" "$AGG" <<'PY' && ok "CSV holds every golden value, tokens and step row" || fail "CSV content"
import csv, json, math, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8")))
g = json.load(open(sys.argv[2]))["encdec_occlusion_coarse"]["none"][0]
assert rows[0][:3] == ["row", "token", "0:\u2581Ciao"], rows[0]
m = g["source_attributions"]
assert len(rows) == 1 + len(m) + 1
for i, r in enumerate(m):
    assert rows[1 + i][1] == g["source"][i]
    for j, v in enumerate(r):
        assert abs(float(rows[1 + i][2 + j]) - v) <= 1e-6 * max(1, abs(v)), (i, j)
assert rows[-1][1] == "probability"
for j, v in enumerate(g["step_scores"]["probability"]):
    assert abs(float(rows[-1][2 + j]) - v) <= 1e-6
PY
# never overwrite silently
echo sentinel > "$WORK/$NAME"
keys e Enter
expect "exists. Overwrite it?" "asks before overwriting"
keys n
expect "cancelled" "no: cancelled"
if [ "$(cat "$WORK/$NAME")" = sentinel ]; then ok "file left alone"; else fail "file was overwritten"; fi
keys e Enter
expect "exists. Overwrite it?" "asks again"
keys y
expect "exported the source pane" "yes: exported"
if head -1 "$WORK/$NAME" | grep -q '^row,token,'; then ok "file overwritten after yes"; else fail "not overwritten"; fi
# JSON of the target pane, NaN as null
keys Tab e C-u
type_text "target.json"
keys Enter
expect "exported the target pane" "JSON export"
python3 - "$WORK/target.json" "$AGG" <<'PY' && ok "JSON values, tokens, NaN as null" || fail "JSON content"
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
g = json.load(open(sys.argv[2]))["encdec_occlusion_coarse"]["none"][0]
assert d["pane"] == "target" and d["pipeline"] == "none" and d["weight"] is None
assert d["rows"] == g["target"]
assert [c["token"] for c in d["columns"]] == g["target"]
for a, b in zip(d["values"], g["target_attributions"]):
    for x, y in zip(a, b):
        assert (x is None) == (y is None)
        if x is not None:
            assert abs(x - y) <= 1e-6 * max(1, abs(y))
assert list(d["step_scores"]) == ["probability"]
PY
# errors stay in the prompt
keys e C-u
type_text "view.html"
keys Enter
expect "HTML export is not available in this build" "HTML: error shown in the prompt"
keys C-u
type_text "view.txt"
keys Enter
expect "name it .csv, .json or .html" "unknown extension: error in place"
keys C-u
type_text "."
keys Enter
expect "is a directory" "directory refused"
keys Escape
wait_gone "export the view to" && ok "Esc closes the prompt" || fail "prompt still open"
keys q
expect_restored 0
finish
