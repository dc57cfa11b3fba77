# Export of the current view: CSV and JSON files with the values of the
# goldens; HTML pages (heatmap of a 2D view with the cell texts the status
# line shows, granular page of a tensor view with its show_dim and slices,
# tokens page); never overwriting a file without asking, errors in place.
source "$(dirname "$0")/tuilib.bash" "$@"
AGG=$GOLDEN/aggregations.json
CASE=encdec_occlusion_coarse
NAME=$CASE-seq0-source.csv
ABS=$(cd "$WORK" && pwd -P)   # messages name the absolute path written
# the screen with wrapped lines joined (a long message goes on over the next
# line, indented by one space)
joined() { screen | sed -e ':a' -e 'N' -e '$!ba' -e 's/\n //g'; }
JOINED_WANT=
joined_shows() { joined | grep -qF -- "$JOINED_WANT"; }
expect_joined() { # TEXT DESCRIPTION
    JOINED_WANT=$1
    if poll 5 joined_shows; then ok "$2"; else fail "$2 (wanted: $1)"; fi
}

start 100 30 TERM=xterm-256color -- "$INSEQ/$CASE.json" --pipeline none
expect "seq 0 of 1" "starts"
keys Tab e
expect "$NAME" "export prompt offers a name"
keys Enter
expect_joined "exported the source pane (10 rows + 1 step rows, 11 columns) to $ABS/$NAME" "export message with the absolute path, whole"
if [ -f "$WORK/$NAME" ]; then ok "CSV written"; else fail "no $NAME"; fi
python3 - "$WORK/$NAME" "$AGG" <<'PY' && ok "CSV holds every golden value, tokens and step row" || fail "CSV content"
import csv, json, math, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8", newline="")))
g = json.load(open(sys.argv[2]))["encdec_occlusion_coarse"]["none"][0]
# the tidy table of `attrscope export`
assert rows[0] == ["sequence", "kind", "attributed_index", "attributed_token", "generated_index",
                   "generated_token", "value"], rows[0]
m = g["source_attributions"]
cols = len(m[0])
assert len(rows) == 1 + (len(m) + 1) * cols, len(rows)
seen = set()
for r in rows[1:]:
    seq, kind, ai, at, gi, gt, v = r
    assert seq == "0"
    j = int(gi) - g["attr_pos_start"]
    assert gt == g["target"][int(gi)], (gt, gi)
    if kind == "source":
        i = int(ai)
        assert at == g["source"][i]
        want = m[i][j]
        if want is None:
            assert v == "NaN"
        else:
            assert abs(float(v) - want) <= 1e-6 * max(1, abs(want)), (i, j)
        seen.add((i, j))
    else:
        assert kind == "step:probability" and ai == "" and at == "", r
        assert abs(float(v) - g["step_scores"]["probability"][j]) <= 1e-6
        seen.add(("p", j))
assert len(seen) == (len(m) + 1) * cols
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
if head -1 "$WORK/$NAME" | grep -q '^sequence,kind,'; then ok "file overwritten after yes"; else fail "not overwritten"; fi
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
# HTML of the 2D view: the heatmap page; its cell texts are the status
# line's values rounded as inseq rounds them, tokens decoded as on screen
vals=()
for rc in "2 6" "4 9" "0 1"; do
    goto_cell $rc
    wait_status "^ tgt ${rc% *} .* ${rc#* } .* = " || fail "cell $rc"
    vals+=("$rc $(status_value)")
done
keys e C-u
type_text "view.html"
keys Enter
expect "exported the heatmap page of sequence 0 to $ABS/view.html" "HTML export message with the absolute path"
python3 - "$WORK/view.html" "${vals[@]}" <<'PY' && ok "heatmap page cells equal the status-line values" || fail "heatmap page content"
import sys
from html.parser import HTMLParser
class P(HTMLParser):
    def __init__(self):
        super().__init__(); self.tables = []; self.cell = None
    def handle_starttag(self, tag, a):
        if tag == "table": self.tables.append([])
        elif tag == "tr" and self.tables: self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables: self.cell = ""
    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.tables[-1][-1].append(self.cell); self.cell = None
    def handle_data(self, d):
        if self.cell is not None: self.cell += d
p = P(); p.feed(open(sys.argv[1], encoding="utf-8").read())
assert len(p.tables) == 2, len(p.tables)   # source, then target
tgt = p.tables[1]
assert tgt[1][2] == " Ciao", repr(tgt[1][2])   # decoded, as on screen
for arg in sys.argv[2:]:
    r, c, v = arg.split()
    row = tgt[2 + int(r)]
    assert row[0] == r, row[:2]
    want = "" if v == "NaN" else repr(round(float(v), 3))
    assert row[2 + int(c)] == want, (r, c, row[2 + int(c)], want)
PY
# an existing page is not replaced without a yes
cp "$WORK/view.html" "$WORK/before.html"
keys e C-u
type_text "view.html"
keys Enter
expect "view.html exists. Overwrite it?" "asks before replacing the page"
keys n
expect "cancelled" "no: cancelled"
cmp -s "$WORK/view.html" "$WORK/before.html" && ok "page left alone" || fail "page replaced"
keys t   # raw tokens: the page follows
keys e C-u
type_text "view.html"
keys Enter
expect "Overwrite it?" "asks again before replacing"
keys y
expect "exported the heatmap page" "yes: replaced"
grep -q '<th>▁Ciao</th>' "$WORK/view.html" && ok "raw tokens in the page with raw tokens on" || fail "raw tokens"
keys t
# the tokens page
keys e C-u
type_text "view.tokens.html"
keys Enter
expect "exported the tokens page of sequence 0 to $ABS/view.tokens.html" "tokens page"
grep -q 'data-text=" mondo"' "$WORK/view.tokens.html" && ok "tokens page written" || fail "tokens page content"
# errors stay in the prompt
keys e C-u
type_text "view.txt"
keys Enter
expect "name it .csv, .json, .html, .tokens.html" "unknown extension: error in place"
keys C-u
type_text "."
keys Enter
expect "is a directory" "directory refused"
keys Escape
wait_gone "export the view to" && ok "Esc closes the prompt" || fail "prompt still open"
keys q
expect_restored 0

# a granular view (pipeline none) exports the granular page with the view's
# show_dim and slices; its values are the tensor's
start 120 30 TERM=xterm-256color -- "$INSEQ/encdec_ig_granular.json" --pipeline none --slice 2=4:10 --show-dim 2
expect "cols×Embedding Dimension(6)" "sub-columns of dim 2, sliced"
goto_cell 3 13
wait_status "^ src 3 .* 2 .* = .*Embedding Dimension 5" || fail "granular cell: $(status_line)"
v=$(status_value)
keys e C-u
type_text "gran.html"
keys Enter
expect "exported the granular page of sequence 0 to $ABS/gran.html" "granular page"
python3 - "$WORK/gran.html" "$v" <<'PY' && ok "granular page: show_dim, slice and the cell's value" || fail "granular page content"
import base64, json, re, struct, sys
s = open(sys.argv[1], encoding="utf-8").read()
meta = json.loads(re.search(r'id="as-meta">(.*?)</script>', s, re.S).group(1))
m = meta["seqs"][0]["groups"][0]
assert m["dims"] == [{"dim": 2, "name": "Embedding Dimension", "size": 6, "offset": 4, "role": "show"}], m["dims"]
src = m["maps"][0]
assert src["shape"] == [10, 11, 6], src["shape"]
blob = re.search(r'id="%s">(.*?)</script>' % src["blob"], s, re.S).group(1)
data = base64.b64decode("".join(blob.split()))
(x,) = struct.unpack_from("<f", data, 4 * ((3 * 11 + 2) * 6 + 1))
want = float(sys.argv[2])
assert abs(x - want) <= 1e-6 * max(1, abs(want)), (x, want)
PY
keys e C-u
type_text "gran.tokens.html"
keys Enter
expect "the tokens view needs 2D attributions" "tokens page of a tensor view: error in the prompt"
keys Escape
# Save as an inseq file: the whole file under the view's pipeline; 2D results
# become coarse sequences with the golden values.
keys a C-u
type_text "default"
keys Enter
expect "pipeline: default" "back to the default pipeline"
keys e C-u
type_text "saved.inseq.json"
keys Enter
wait_for 'saved.inseq.json' || true
for _ in $(seq 50); do [ -s "$WORK/saved.inseq.json" ] && break; sleep 0.1; done
"$BIN" export "$WORK/saved.inseq.json" -o "$WORK/saved_export.json" >/dev/null 2>&1
python3 - "$WORK/saved.inseq.json" "$WORK/saved_export.json" "$AGG" <<'PY' && ok "explorer saves an inseq file inseq can load" || fail "inseq save content"
import json, sys
raw = json.load(open(sys.argv[1]))
assert raw["__instance_type__"] == ["inseq.data.attribution", "FeatureAttributionOutput"]
seqs = raw["attributes"]["sequence_attributions"]
assert all(s["__instance_type__"][1] == "CoarseFeatureAttributionSequenceOutput" for s in seqs)
got = json.load(open(sys.argv[2]))["sequences"]
want = json.load(open(sys.argv[3]))["encdec_ig_granular"]["default"]
assert len(got) == len(want) == 2
for g, w in zip(got, want):
    for k in ("source_attributions", "target_attributions"):
        for gr, wr in zip(g[k], w[k]):
            for a, b in zip(gr, wr):
                assert (a is None and b is None) or abs(a - b) < 1e-5, (k, a, b)
PY
keys q
expect_restored 0
# hostile tokens (tests/data/hostile): every label lines up with its row in
# JSON (a NUL token too), CSV holds no raw control, no invalid UTF-8 and no
# live formula
for f in tokens_control csv_formula; do
    start 120 40 TERM=xterm-256color -- "$TESTS/data/hostile/$f.json"
    expect "seq 0 of 1" "$f opens"
    keys Tab   # the source pane alone: one file per export
    if wait_gone "─ target ─"; then ok "$f: source pane alone"; else fail "$f: source pane alone"; fi
    for ext in csv json; do
        keys e C-u
        type_text "$f.$ext"
        keys Enter
        expect "exported the" "$f.$ext exported"
        for _ in $(seq 50); do [ -s "$WORK/$f.$ext" ] && break; sleep 0.1; done
    done
    if LC_ALL=C grep -qaP '[\x00-\x09\x0b\x0c\x0e-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xa8-\xae]|\xe2\x81[\xa6-\xa9]|\xc0\x80' "$WORK/$f.csv"; then
        fail "$f.csv: raw control bytes"
    else
        ok "$f.csv: no raw control bytes"
    fi
    python3 - "$WORK/$f.csv" "$WORK/$f.json" "$f" <<'PY' && ok "$f: CSV and JSON labels" || fail "$f: CSV and JSON labels"
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))   # strict UTF-8
d = json.load(open(sys.argv[2], encoding="utf-8"))
assert len(d["rows"]) == len(d["values"]), (len(d["rows"]), len(d["values"]))
assert len(d["columns"]) == len(d["values"][0])
assert rows[0][:2] == ["sequence", "kind"]
for r in rows[1:]:
    for x in (r[1], r[3], r[5]):
        assert not x or x[0] not in "=+-@\t\r", r
if sys.argv[3] == "tokens_control":
    assert "nul\x00byte" in d["rows"] and "\x1b[2J" in d["rows"], d["rows"][:6]
    toks = [r[3] for r in rows[1:] if r[1] in ("source", "target")]
    assert "nul\\0byte" in toks and "\\x1b[2J" in toks and "\\u202eevil" in toks, sorted(set(toks))[:8]
else:
    assert "'=HYPERLINK(\"http://example.com/\",\"click\")" in [r[3] for r in rows[1:]]
PY
    keys q
    expect_restored 0
done

# both panes shown: a CSV export is one tidy table of both, a JSON export
# writes one file per pane; ~ is the home directory; Tab completes paths; a
# long error is wrapped, not cut
mkdir -p "$WORK/home/exports-dir"
start 100 30 TERM=xterm-256color HOME="$WORK/home" -- "$INSEQ/$CASE.json" --pipeline none
expect "seq 0 of 1" "starts with both panes"
keys e
expect "$CASE-seq0.csv" "both panes: the offered name has no pane"
expect "export both panes" "the prompt says both panes"
keys C-u
type_text "~/exp"
keys Tab
expect "~/exports-dir/" "Tab completes a directory under ~"
type_text "both.csv"
keys Enter
expect_joined "exported both panes (source and target rows, step scores) to $ABS/home/exports-dir/both.csv" "both panes in one CSV, absolute path"
csv=$WORK/home/exports-dir/both.csv
if [ -f "$csv" ] && head -1 "$csv" | grep -q '^sequence,kind,'; then ok "one tidy CSV under the expanded ~"; else fail "files: $(ls "$WORK/home/exports-dir")"; fi
kinds=$(cut -d, -f2 "$csv" | sed 1d | sed 's/^step:.*/step/' | sort -u | tr '\n' ' ')
[ "$kinds" = "source step target " ] && ok "source rows, target rows and step scores" || fail "kinds: $kinds"
[ -z "$(sed 1d "$csv" | sort | uniq -d | head -1)" ] && ok "no line twice (step scores once)" || fail "repeated lines"
keys e C-u
type_text "~/exports-dir/both.json"
keys Enter
expect_joined "exported both panes: source to $ABS/home/exports-dir/both-source.json, target to $ABS/home/exports-dir/both-target.json" "JSON: one file per pane, absolute paths"
if python3 -c 'import json,sys; assert [json.load(open(f))["pane"] for f in sys.argv[1:]] == ["source", "target"]' "$WORK/home/exports-dir/both-source.json" "$WORK/home/exports-dir/both-target.json"; then ok "each JSON file holds its pane"; else fail "JSON panes"; fi
keys e C-u
type_text "~/exports-dir/both.json"
keys Enter
expect "exist. Overwrite them?" "asks before replacing either"
if screen | grep -qE '…[^│]*│'; then fail "the question is cut"; else ok "the question is wrapped, not cut"; fi
keys n
keys e C-u
type_text "~/no-such-directory-with-a-rather-long-name/and-a-long-file-name-as-well/out.csv"
keys Enter
expect "out.csv" "the error names the file"
if screen | grep -qE '…[^│]*│'; then fail "the error is cut"; else ok "the error is wrapped, not cut"; fi
keys Escape
keys q
expect_restored 0
finish
