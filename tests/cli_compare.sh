#!/usr/bin/env bash
# attrscope compare: two runs of different methods on the same inputs
# (integrated gradients vs occlusion, attention vs saliency), checked against
# the metrics computed on their own (tests/mkcompare.py) from the maps that
# `export --format scores` writes; matching, formats, HTML, errors.
# Usage: cli_compare.sh ATTRSCOPE FIXTURES_DIR
set -u
bin=$1 fx=$2
here=$(cd "$(dirname "$0")" && pwd)
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { # description, command...
  local d=$1; shift
  if "$@"; then ok; else bad "$d"; fi
}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
unset NO_COLOR COLORTERM COLUMNS
ig=$fx/inseq/encdec_ig_granular.json          # 2 sequences, granular (IG)
occ=$fx/inseq/encdec_occlusion_coarse.json    # IG's sequence 0, coarse (occlusion)
base=$fx/inseq/encdec_base_sourceonly.json    # IG's sequence 1, source only
att=$fx/inseq/deconly_attention_multidim.json # decoder-only attention (4D)
sal=$fx/inseq/deconly_saliency_granular.json  # the same prompt and more, saliency
pair=$fx/inseq/encdec_pair_coarse.json        # two different inputs

# ---- the numbers, against an independent computation ----
cat >"$tmp/check.py" <<'PY'
import json, math, struct, subprocess, sys
sys.path.insert(0, sys.argv[1])
from mkcompare import metrics
bin, a, b, k = sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
pa, pb = sys.argv[6], sys.argv[7]

def f32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]

def maps(path, pipe):
    out = subprocess.run([bin, "export", path, "-a", pipe, "--format", "scores", "-o", "-"],
                         check=True, capture_output=True).stdout
    return json.loads(out)

got = json.loads(subprocess.run([bin, "compare", a, b, "-k", str(k), "-a", pa, "-b", pb, "--json"],
                                check=True, capture_output=True).stdout)
ma, mb = maps(a, pa), maps(b, pb)
cmp = got["comparisons"][0]
assert got["k"] == k
checked = 0
for seq in cmp["sequences"]:
    sa, sb = ma[seq["a"]], mb[seq["b"]]
    for st in seq["steps"]:
        va, vb = [], []
        for part in ("source_attributions", "target_attributions"):
            if not sa[part] or not sb[part]:
                continue
            col_a = list(sa[part].values())[st["step"]]
            col_b = list(sb[part].values())[st["step"]]
            assert list(col_a) == list(col_b), "rows differ"
            for key in col_a:
                x, y = col_a[key], col_b[key]
                va.append(None if math.isnan(x) else f32(x))
                vb.append(None if math.isnan(y) else f32(y))
        want = metrics(va, vb, k)
        for m, w in want.items():
            g = st[m]
            if w is None:
                assert g is None, (seq["a"], st["step"], m, g)
            else:
                assert g is not None and abs(g - w) <= 1e-9, (seq["a"], st["step"], m, g, w)
            checked += 1
    # the sequence mean: per metric over the steps where it is defined
    for m in seq["mean"]:
        vals = [st[m] for st in seq["steps"] if st[m] is not None]
        w = math.fsum(vals) / len(vals) if vals else None
        g = seq["mean"][m]
        assert (g is None) if w is None else abs(g - w) <= 1e-12, (m, g, w)
# the comparison's mean: every step of every sequence weighs the same
for m in cmp["mean"]:
    if m == "steps":
        assert cmp["mean"][m] == sum(len(s["steps"]) for s in cmp["sequences"])
        continue
    vals = [st[m] for s in cmp["sequences"] for st in s["steps"] if st[m] is not None]
    w = math.fsum(vals) / len(vals) if vals else None
    assert (cmp["mean"][m] is None) if w is None else abs(cmp["mean"][m] - w) <= 1e-12
print(checked)
PY
n=$(python3 "$tmp/check.py" "$here" "$bin" "$ig" "$occ" 5 default default) \
  && [ "$n" -ge 70 ]; check "IG vs occlusion: every step's metrics as computed independently ($n)" test $? -eq 0
n=$(python3 "$tmp/check.py" "$here" "$bin" "$occ" "$ig" 3 default default) \
  && [ "$n" -ge 70 ]; check "occlusion vs IG with k=3 ($n)" test $? -eq 0
n=$(python3 "$tmp/check.py" "$here" "$bin" "$ig" "$base" 5 default default) \
  && [ "$n" -ge 70 ]; check "IG vs a source-only run ($n)" test $? -eq 0
n=$(python3 "$tmp/check.py" "$here" "$bin" "$att" "$sal" 5 default default) \
  && [ "$n" -ge 49 ]; check "attention (4D) vs saliency (granular), decoder-only ($n)" test $? -eq 0
n=$(python3 "$tmp/check.py" "$here" "$bin" "$att" "$sal" 4 'max | max' 'sum') \
  && [ "$n" -ge 49 ]; check "a pipeline per side ($n)" test $? -eq 0

n=$(python3 "$tmp/check.py" "$here" "$bin" "$ig" "$occ" 5 'vnorm | subwords' 'subwords') \
  && [ "$n" -ge 56 ]; check "merged subwords on both sides ($n)" test $? -eq 0
"$bin" compare "$ig" "$occ" -a 'vnorm | subwords' -b subwords --json >"$tmp/sw.json"
check "merged tokens label the steps" python3 -c "
import json; s=json.load(open('$tmp/sw.json'))['comparisons'][0]['sequences'][0]['steps']
assert len(s) == 8 and s[1]['token'] == '\u2581mondo,' and s[6]['token'] == '\u2581giornata!', s"
"$bin" compare "$ig" "$occ" -a 'vnorm | subwords' -b default >/dev/null 2>"$tmp/err"
check "pipelines that merge tokens differently: exit 2" test $? -eq 2
check "  and said so" grep -q 'the tokens differ after aggregation' "$tmp/err"

# ---- matching ----
"$bin" compare "$ig" "$occ" --json >"$tmp/io.json"; check "IG vs occlusion exits 0" test $? -eq 0
check "sequence 0 of IG matches occlusion's 0, IG's 1 is reported unmatched" python3 - "$tmp/io.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))["comparisons"][0]
assert [(s["a"], s["b"]) for s in d["sequences"]] == [(0, 0)]
assert d["unmatched"] == {"a": [1], "b": []}
s = d["sequences"][0]["steps"]
assert len(s) == 11 and [x["n"] for x in s] == [10 + j for j in range(11)]   # NaN cells left out
assert all(x["k"] == 5 for x in s) and s[0]["token"] == "\u2581Ciao"
assert d["a"]["pipeline"] == "default" and d["b"]["input"].endswith("encdec_occlusion_coarse.json")
PY
"$bin" compare "$ig" "$base" --json -k 50 >"$tmp/ib.json"
check "k shrinks to the tokens available; a source-only side limits the rows" python3 - "$tmp/ib.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))["comparisons"][0]
assert [(s["a"], s["b"]) for s in d["sequences"]] == [(1, 0)]
assert all(x["n"] == 9 and x["k"] == 9 for x in d["sequences"][0]["steps"])
assert all(x["feature_agreement"] == 1 for x in d["sequences"][0]["steps"])
PY
out=$("$bin" compare "$ig" "$occ")
check "table: header, sequence row, mean and unmatched line" \
  grep -q '^A seq B seq steps  *FA  *RA  *SA  *SRA  *rho  *PRA  *r$' <<<"$out"
check "table: unmatched listed" grep -qx 'not matched (tokens differ): A 1; B none' <<<"$out"
check "table: sequence row" grep -Eq '^    0     0    11  +(-?[0-9]\.[0-9]{3} +){6}-?[0-9]\.[0-9]{3}$' <<<"$out"
out=$("$bin" compare "$ig" "$occ" --steps)
check "--steps lists the 11 generated tokens" test "$(grep -c '^  step ' <<<"$out")" -eq 11
check "--steps: tokens escaped and counted" grep -q '^  step 3  ␣oggi      n=13   k=5 ' <<<"$out"

# a run compared with itself agrees fully; FILE:LIST selects sequences
out=$("$bin" compare "$occ" "$occ:0")
check "self comparison: every metric 1" grep -Eq '^ mean +11( +1\.000){7}$' <<<"$out"
"$bin" compare "$pair:0" "$pair:1" >"$tmp/pair.out" 2>"$tmp/pair.err"
check "two sequences with different tokens: exit 1" test $? -eq 1
check "  and said so" grep -q 'have no sequence with the same tokens' "$tmp/pair.err"
check "  and listed" grep -qx 'not matched (tokens differ): A 0; B 1' "$tmp/pair.out"
"$bin" compare "$ig" "$occ" --seq 1 >"$tmp/s1.out" 2>/dev/null
check "--seq selects A's sequences (1 has no match: exit 1)" test $? -eq 1

# several inputs: each with A, or every pair
"$bin" compare "$ig" "$occ" "$base" --json >"$tmp/three.json"
check "A B C: two comparisons, each with A" python3 -c "
import json,sys; d=json.load(open('$tmp/three.json'))['comparisons']
assert len(d) == 2 and d[0]['b']['input'].endswith('occlusion_coarse.json') and d[1]['b']['input'].endswith('base_sourceonly.json')
assert all(c['a']['input'].endswith('ig_granular.json') for c in d)"
"$bin" compare "$ig" "$occ" "$occ:0" --all-pairs --json >"$tmp/all.json"
check "--all-pairs: three comparisons" python3 -c "
import json; d=json.load(open('$tmp/all.json'))['comparisons']
assert len(d) == 3 and d[2]['a']['input'].endswith('coarse.json') and d[2]['mean']['pearson'] == 1"

# ---- CSV ----
"$bin" compare "$ig" "$occ" --csv >"$tmp/c.csv"
check "CSV: one row per generated token, values equal the JSON" python3 - "$tmp/c.csv" "$tmp/io.json" <<'PY'
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
d = json.load(open(sys.argv[2]))["comparisons"][0]["sequences"][0]["steps"]
assert len(rows) == 11
for r, s in zip(rows, d):
    assert r["a_sequence"] == "0" and r["b_sequence"] == "0" and int(r["step"]) == s["step"]
    assert r["token"] == s["token"] and int(r["n"]) == s["n"] and int(r["k"]) == s["k"]
    for m in ("feature_agreement", "rank_agreement", "sign_agreement", "signed_rank_agreement",
              "rank_correlation", "pairwise_rank_agreement", "pearson"):
        assert (r[m] == "") if s[m] is None else float(r[m]) == s[m], (m, r[m], s[m])
PY
"$bin" compare "$fx/inseq/encdec_pair_coarse.json:0" "$fx/inseq/encdec_occlusion_coarse.json" -k 1 --csv >"$tmp/k1.csv"
check "CSV: undefined metrics are empty fields" python3 - "$tmp/k1.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
assert len(rows) == 11 and all(r["k"] == "1" for r in rows)
PY

# ---- HTML ----
"$bin" compare "$ig" "$occ" -o "$tmp/p.html"; check "HTML written" test $? -eq 0
check "HTML: A, B and B - A side by side" test "$(grep -c '<div class="side">' "$tmp/p.html")" -eq 3
check "HTML: the difference is headed B − A" grep -q '<h3>B &minus; A</h3>' "$tmp/p.html"
check "HTML: a metrics row per generated token" \
  test "$(grep -c '^<tr><td>[0-9]*</td><th>' "$tmp/p.html")" -eq 11
check "HTML: unmatched sequences named" grep -q 'Not matched (tokens differ): sequences of A: 1; of B: none' "$tmp/p.html"
check "HTML: both heatmaps use the heatmap colors" grep -q 'background:rgba(178.0, 24.0, 43.0' "$tmp/p.html"
cp "$tmp/p.html" "$tmp/p.orig"
"$bin" compare "$occ" "$ig" -o "$tmp/p.html" 2>"$tmp/e"
check "HTML: an existing file is not replaced without --force" test $? -ne 0
check "  and stays as it was" cmp -s "$tmp/p.html" "$tmp/p.orig"
"$bin" compare "$occ" "$ig" -o "$tmp/p.html" --force; check "  --force replaces it" test $? -eq 0
check "  with the new page" grep -q 'A: [^<]*encdec_occlusion_coarse.json' "$tmp/p.html"
"$bin" compare "$ig" "$occ" --json -o "$tmp/o.json"
check "--json -o writes JSON to the file" cmp -s "$tmp/o.json" "$tmp/io.json"

# hostile text from a file never reaches the page or the terminal raw
hp=$here/data/hostile/html_payloads.json
"$bin" compare "$hp" "$hp" -o "$tmp/h.html" >/dev/null 2>&1
check "hostile tokens: the page is written" test -s "$tmp/h.html"
check "hostile tokens: no raw markup from the file" bash -c "! grep -qi '<script\|<img' '$tmp/h.html'"
check "hostile tokens: shown escaped" grep -q '&lt;img src=x onerror=alert(3)&gt;' "$tmp/h.html"
tc=$here/data/hostile/tokens_control.json
"$bin" compare "$tc" "$tc" --steps >"$tmp/t.out" 2>&1
check "control characters in tokens are escaped on the terminal" bash -c "! LC_ALL=C grep -q \$'[\\x01-\\x08\\x0b-\\x1f\\x7f]' '$tmp/t.out'"
"$bin" compare "$tc" "$tc" --csv >"$tmp/t.csv" 2>&1
check "  and in CSV" bash -c "! LC_ALL=C grep -q \$'[\\x01-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]' '$tmp/t.csv'"

# ---- usage and data errors ----
expect() { # code, description, args...
  local want=$1 d=$2; shift 2
  "$bin" compare "$@" >/dev/null 2>"$tmp/err"; local got=$?
  if [ "$got" -eq "$want" ] && grep -q '^attrscope: ' "$tmp/err"; then ok; else bad "$d (exit $got)"; cat "$tmp/err"; fi
}
expect 2 "one input" "$ig"
expect 2 "-k 0" "$ig" "$occ" -k 0
expect 2 "bad pipeline" "$ig" "$occ" -a 'frobnicate'
expect 2 "more -a than inputs" "$ig" "$occ" -a none -a none -a none
expect 2 "a side that is not 2D" "$ig" "$occ" -a none
expect 2 "--json with --csv" "$ig" "$occ" --json --csv
expect 2 "a sequence list past the end" "$ig:7" "$occ"
expect 1 "a missing file" "$ig" "$tmp/nope.json"
expect 2 "--seq with FILE:LIST" "$ig:0" "$occ" --seq 0
"$bin" compare "$ig" "$occ" -a none 2>"$tmp/err"
check "a 3D side: the message names the file and the cure" grep -q 'encdec_ig_granular.json: sequence 0: .*aggregate with -a' "$tmp/err"

echo "cli_compare: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
