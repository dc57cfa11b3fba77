#!/usr/bin/env bash
# attrscope export through the real binary: every golden pipeline as JSON,
# CSV and scores dicts, overwrite safety, errors.
# Usage: cli_export.sh ATTRSCOPE FIXTURES_DIR
set -u
bin=$1 fx=$2
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# Every case and pipeline of the goldens, exported as JSON and compared.
python3 - "$bin" "$fx" "$tmp" <<'PY' && ok || bad "golden walk"
import json, math, subprocess, sys
bin, fx, tmp = sys.argv[1:4]
gold = json.load(open(f"{fx}/golden/aggregations.json"))
cases = 0
def close(a, b):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-5 * max(1.0, abs(b))
def cmp_matrix(got, want, what):
    if want is None:
        assert got is None, what
        return
    assert len(got) == len(want), f"{what}: {len(got)} rows, want {len(want)}"
    for r, (gr, wr) in enumerate(zip(got, want)):
        assert len(gr) == len(wr), f"{what} row {r}"
        for c, (g, w) in enumerate(zip(gr, wr)):
            assert close(g, w), f"{what}[{r}][{c}] = {g}, want {w}"
def run(case, args, want):
    global cases
    out = f"{tmp}/o.json"
    cmd = [bin, "export", f"{fx}/inseq/{case}.json", "-o", out, "--force"] + args
    p = subprocess.run(cmd, capture_output=True, text=True)
    assert p.returncode == 0, f"{case} {args}: {p.stderr}"
    got = json.load(open(out))["sequences"]
    assert len(got) == len(want), f"{case} {args}: {len(got)} sequences"
    for g, w in zip(got, want):
        what = f"{case} {args}"
        assert [t["token"] for t in g["source"]] == w["source"], what + " source tokens"
        assert [t["token"] for t in g["target"]] == w["target"], what + " target tokens"
        assert g["attr_pos_start"] == w["attr_pos_start"], what
        assert g["attr_pos_end"] == w["attr_pos_end"], what
        cmp_matrix(g["source_attributions"], w["source_attributions"], what + " source")
        cmp_matrix(g["target_attributions"], w["target_attributions"], what + " target")
        ws = w.get("step_scores") or {}
        assert set(g["step_scores"]) == set(ws), what + " step score names"
        for k in ws:
            assert all(close(a, b) for a, b in zip(g["step_scores"][k], ws[k])), f"{what} step {k}"
        cases += 1
for case, pipes in gold.items():
    for key, want in pipes.items():
        if key.startswith("_"):
            continue
        if key == "default --weight probability":
            args = ["-a", "default", "--weight", "probability"]
        elif key == "pair with=1 (sequence 0)":
            args = ["--seq", "0", "-a", "pair with=1"]
        else:
            args = ["-a", key]
        run(case, args, want)
v06 = json.load(open(f"{fx}/golden/v06_ig_granular.golden.json"))
for f in ["v06_ig_granular", "v06_ig_granular_lists"]:
    run(f, [], v06["default"])
print(f"golden sequences compared: {cases}")
PY

# Variants of one case give the same export.
"$bin" export "$fx/inseq/encdec_ig_granular.json" -o "$tmp/a.json" && \
"$bin" export "$fx/inseq/encdec_ig_granular.json.gz" -o "$tmp/b.json" && \
"$bin" export "$fx/inseq/encdec_ig_granular_split_0.json" "$fx/inseq/encdec_ig_granular_split_1.json" -o "$tmp/c.json" || bad "variant exports"
python3 - "$tmp" <<'PY' && ok || bad "variants agree"
import json, sys
t = sys.argv[1]
a, b, c = (json.load(open(f"{t}/{n}.json")) for n in "abc")
strip = lambda d: [{k: v for k, v in s.items() if k != "file"} for s in d["sequences"]]
assert strip(a) == strip(b) == strip(c)
PY

# Scores dicts equal inseq's get_scores_dicts().
"$bin" export "$fx/inseq/encdec_ig_granular.json" -o "$tmp/s.scores.json" || bad "scores export"
python3 - "$tmp/s.scores.json" "$fx/golden/encdec_ig_granular.scores_dicts.json" <<'PY' && ok || bad "scores dicts golden"
import json, math, sys
got, want = (json.load(open(p)) for p in sys.argv[1:3])
def cmp(g, w, path):
    if isinstance(w, dict):
        assert list(g) == list(w), f"{path}: keys {list(g)[:3]} vs {list(w)[:3]}"
        for k in w: cmp(g[k], w[k], path + "/" + k)
    elif isinstance(w, list):
        assert len(g) == len(w), path
        for i, (x, y) in enumerate(zip(g, w)): cmp(x, y, f"{path}[{i}]")
    elif isinstance(w, float) and math.isnan(w):
        assert math.isnan(g), path
    else:
        assert abs(g - w) <= 1e-5 * max(1, abs(w)), f"{path}: {g} vs {w}"
cmp(got, want, "")
PY

# CSV: tidy long format, RFC 4180 quoting, every cell once.
"$bin" export "$fx/inseq/encdec_occlusion_coarse.json" -o "$tmp/x.csv" || bad "csv export"
python3 - "$tmp/x.csv" "$fx/golden/aggregations.json" <<'PY' && ok || bad "csv content"
import csv, json, math, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
g = json.load(open(sys.argv[2]))["encdec_occlusion_coarse"]["none"][0]
src = [r for r in rows if r["kind"] == "source"]
assert len(src) == len(g["source"]) * len(g["target"])
for r in src:
    i, j = int(r["attributed_index"]), int(r["generated_index"])
    assert r["attributed_token"] == g["source"][i] and r["generated_token"] == g["target"][j]
    assert abs(float(r["value"]) - g["source_attributions"][i][j]) < 1e-5
tgt = [r for r in rows if r["kind"] == "target"]
nan = [r for r in tgt if r["value"] == "NaN"]
assert len(tgt) == len(g["target"]) ** 2 and nan
comma = [r for r in src if r["generated_token"] == ","]
assert comma, "the ',' token must survive quoting"
steps = {r["kind"] for r in rows if r["kind"].startswith("step:")}
assert steps == {"step:" + k for k in g["step_scores"]}, steps
PY

# -o - writes to standard output; non-2D results export with their shape.
"$bin" export "$fx/inseq/deconly_attention_multidim.json" -a none -o - >"$tmp/stdout.json" || bad "stdout export"
python3 -c '
import json,sys
s=json.load(open(sys.argv[1]))["sequences"][0]
assert s["shape"]=={"target_attributions":[13,7,4,6]} and s["source_attributions"] is None
assert len(s["target_attributions"][0][0])==4
' "$tmp/stdout.json" && ok || bad "non-2D JSON with shape"
# Decoded tokens on request only.
"$bin" export "$fx/inseq/deconly_saliency_granular.json" -o "$tmp/raw.json" && \
"$bin" export "$fx/inseq/deconly_saliency_granular.json" --decode-tokens auto -o "$tmp/dec.json" || bad "decode exports"
python3 -c '
import json,sys
r=json.load(open(sys.argv[1]))["sequences"][0]["target"]
d=json.load(open(sys.argv[2]))["sequences"][0]["target"]
assert r[1]["token"]=="\u0120caf" and d[1]["token"]==" caf" and d[2]["token"]=="é", (r[1],d[1],d[2])
' "$tmp/raw.json" "$tmp/dec.json" && ok || bad "--decode-tokens"

# Never overwrite without --force; the original stays intact.
echo "precious" >"$tmp/keep.json"
"$bin" export "$fx/inseq/encdec_occlusion_coarse.json" -o "$tmp/keep.json" 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "already exists (use --force to replace it)" "$tmp/err" && [ "$(cat "$tmp/keep.json")" = precious ] && ok || bad "refuses to overwrite ($rc)"
"$bin" export "$fx/inseq/encdec_occlusion_coarse.json" -o "$tmp/keep.json" --force && grep -q sequences "$tmp/keep.json" && ok || bad "--force replaces"
# A directory that cannot be written: clear error, nothing left behind.
mkdir "$tmp/ro" && chmod 555 "$tmp/ro"
if [ "$(id -u)" -ne 0 ]; then
  "$bin" export "$fx/inseq/encdec_occlusion_coarse.json" -o "$tmp/ro/x.json" 2>"$tmp/err"; rc=$?
  [ $rc -eq 1 ] && grep -q "cannot create a file there" "$tmp/err" && ok || bad "read-only dir ($rc)"
fi
[ -z "$(ls -A "$tmp/ro")" ] && ok || bad "temporary file left behind"


# HTML from a hostile file: every view keeps the payload as text.
python3 - "$here/data/bad/ok_minimal.json" "$tmp/xss.json" <<'PY'
import json,sys
d=json.load(open(sys.argv[1]))
a=d["attributes"]
a["info"]["model_name"]="</script><!--<script>alert(2)</script>"
a["sequence_attributions"][0]["attributes"]["source"][0]["attributes"]["token"]="<img src=x onerror=alert(1)>"
a["sequence_attributions"][0]["attributes"]["target"][1]["attributes"]["token"]="\"onmouseover=alert(3) x=\u2028"
json.dump(d,open(sys.argv[2],"w"),indent=4,sort_keys=True)
PY
for view in heatmap tokens; do
  "$bin" export "$tmp/xss.json" --view $view -o "$tmp/xss_$view.html" || bad "export $view"
done
"$bin" export "$tmp/xss.json" --view granular -a none -o "$tmp/xss_granular.html" 2>/dev/null
for f in "$tmp"/xss_*.html; do
  if grep -q '<img src=x' "$f" || grep -qP '(?<!\\)"onmouseover=alert' "$f" || grep -qi '</script><!--<script>alert' "$f"; then bad "raw payload in $(basename "$f")"; else ok; fi
done
grep -q '&lt;img src=x onerror=alert(1)&gt;' "$tmp/xss_heatmap.html" && ok || bad "payload shown as text in heatmap"

# Errors and exit codes.
"$bin" export "$fx/inseq/encdec_ig_granular.json" -o "$tmp/y.csv" -a none 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "must be 2-dimensional" "$tmp/err" && [ ! -e "$tmp/y.csv" ] && ok || bad "CSV of 3D ($rc)"
"$bin" export "$fx/inseq/encdec_ig_granular.json" -o "$tmp/y.json" -a 'frobnicate' 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "frobnicate" "$tmp/err" && ok || bad "unknown step ($rc)"
"$bin" export "$fx/inseq/encdec_ig_granular.json" -o "$tmp/y.json" -a 'spans source_spans=4:40' 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "encdec_ig_granular.json: sequence 0" "$tmp/err" && ok || bad "span out of range ($rc): $(cat "$tmp/err")"
"$bin" export "$fx/inseq/encdec_ig_granular.json" -o "$tmp/y.json" --seq 7 2>/dev/null; [ $? -eq 2 ] && ok || bad "--seq out of range"
"$bin" export "$fx/inseq/encdec_ig_granular.json" -o "$tmp/y.json" --weight nope 2>/dev/null; [ $? -eq 2 ] && ok || bad "--weight unknown"
"$bin" export "$fx/inseq/encdec_ig_granular.json" -o "$tmp/y.txt" 2>/dev/null; [ $? -eq 2 ] && ok || bad "unknown extension"
"$bin" export "$here/data/bad/truncated.json" -o "$tmp/y.json" 2>/dev/null; [ $? -eq 1 ] && [ ! -e "$tmp/y.json" ] && ok || bad "bad input exits 1"

echo "cli_export: $pass passed, $fail failed"
[ $fail -eq 0 ]
