#!/usr/bin/env bash
# attrscope show: values against inseq's goldens, pages, colors, errors and
# token safety, through the real binary.
# Usage: cli_show.sh ATTRSCOPE FIXTURES_DIR
set -u
bin=$1 fx=$2
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { # description, command...
  local d=$1; shift
  if "$@"; then ok; else bad "$d"; fi
}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
unset NO_COLOR COLORTERM COLUMNS

# A reader of the plain output: tables by (sequence, Source/Target), with
# every page's values placed by the right edge of its column index.
cat >"$tmp/showparse.py" <<'PY'
import json, re, subprocess, sys, unicodedata

def cw(c):
    if unicodedata.combining(c) or unicodedata.category(c) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(c) in "WF" else 1

def width(s):
    return sum(cw(c) for c in s)

def expand(s):
    """s with a filler after each wide character: index = display column."""
    out = []
    for c in s:
        w = cw(c)
        if w == 0 and out:
            out[-1] += c
        else:
            out.append(c)
            out.extend([""] * (w - 1))
    return out

RULE = "\u2500"
CAPTION = "\u2192 : Generated tokens, \u2193 : Attributed tokens"

def parse(text):
    """{(seq, kind): {"rows": {i: {j: str|None}}, "labels": {i: label},
    "steps": {name: {j: str|None}}, "cols": [j...], "pages": [page...]}}
    where a page records its line widths."""
    tables = {}
    lines = text.split("\n")
    seq = None
    k = 0
    while k < len(lines):
        line = lines[k]
        m = re.match(r"Sequence (\d+) \(", line)
        if m:
            seq = int(m.group(1)); k += 1; continue
        m = re.match(r"\s*(Source|Target) Saliency Heatmap", line)
        if not m:
            k += 1; continue
        t = tables.setdefault((seq, m.group(1)), {"rows": {}, "labels": {}, "steps": {}, "cols": [], "pages": []})
        head, toks, rule = lines[k + 1], lines[k + 2], lines[k + 3]
        assert set(rule) == {RULE}, "no rule under the headers: %r" % rule
        edges = [(int(mm.group()), mm.end()) for mm in re.finditer(r"\d+", head)]
        t["cols"] += [j for j, _ in edges]
        page = {"widths": [width(head), width(toks), len(rule)], "rule": len(rule),
                "title": line, "edges": edges, "tokens": toks}
        t["pages"].append(page)
        k += 4
        steps = False
        while k < len(lines) and lines[k].strip() and lines[k].strip() != CAPTION:
            row = lines[k]
            if set(row) == {RULE}:
                steps = True; k += 1; continue
            page["widths"].append(width(row))
            ex = expand(row)
            cells = {}
            for j, e in edges:
                if e > len(ex) or ex[e - 1] == " ":
                    cells[j] = None
                else:
                    cells[j] = "".join(ex[:e]).split()[-1]
            if steps or not re.match(r"\s*\d+ ", row):
                steps = True
                t["steps"].setdefault(row.split()[0], {}).update(cells)
            else:
                i = int(row.split()[0])
                t["rows"].setdefault(i, {}).update(cells)
                lab = "".join(ex[:edges[0][1]]).rstrip() if edges else row.rstrip()
                if edges and cells[edges[0][0]] is not None:
                    lab = lab[: -len(cells[edges[0][0]])]
                t["labels"].setdefault(i, lab.strip().split(" ", 1)[1] if " " in lab.strip() else "")
            k += 1
    return tables

def near_boundary(g):
    f = abs(g) * 100 % 1
    return abs(f - 0.5) < 1e-3

def same(printed, g):
    if g is None:
        return printed is None
    if printed is None:
        return False
    if "e" in printed and abs(g) < 0.005:
        # what 2 places would show as 0.00: one significant digit ("4e-3")
        exp = int(printed.split("e")[1])
        return abs(float(printed) - g) <= 0.5001 * 10.0 ** exp
    return printed == "%.2f" % g or (near_boundary(g) and abs(float(printed) - g) <= 0.0051)

def compare(tables, seq, gold, kind, errs):
    name = kind.lower() + "_attributions"
    m = gold[name]
    if m is None:
        if (seq, kind) in tables and tables[(seq, kind)]["rows"]:
            errs.append("%s: unexpected %s table" % (name, kind))
        return
    t = tables.get((seq, kind))
    if t is None:
        errs.append("%s: no %s table" % (name, kind)); return
    if sorted(t["rows"]) != list(range(len(m))):
        errs.append("%s: rows %s, expected %d" % (name, sorted(t["rows"]), len(m))); return
    for i, row in enumerate(m):
        if sorted(t["rows"][i]) != list(range(len(row))):
            errs.append("%s row %d: columns %s" % (name, i, sorted(t["rows"][i]))); return
        for j, g in enumerate(row):
            if not same(t["rows"][i][j], g):
                errs.append("%s[%d][%d]: printed %r, golden %r" % (name, i, j, t["rows"][i][j], g))

def check_seq(tables, seq, gold):
    errs = []
    compare(tables, seq, gold, "Source", errs)
    compare(tables, seq, gold, "Target", errs)
    if gold["step_scores"]:
        kind = "Target" if gold["target_attributions"] is not None or gold["source_attributions"] is None else "Source"
        st = tables.get((seq, kind), {}).get("steps", {})
        for name, vals in gold["step_scores"].items():
            got = st.get(name)
            if got is None:
                errs.append("step score %s missing under %s" % (name, kind)); continue
            for j, g in enumerate(vals):
                if not same(got.get(j), g):
                    errs.append("step %s[%d]: printed %r, golden %r" % (name, j, got.get(j), g))
    return errs

def run(binary, args, env=None):
    p = subprocess.run([binary, "show"] + args, capture_output=True, text=True, env=env)
    if p.returncode != 0:
        raise RuntimeError("exit %d: %s" % (p.returncode, p.stderr.strip()))
    return p.stdout
PY

# Every golden aggregation of inseq, shown: the printed values are the
# goldens rounded to 2 places, cell by cell (NaN cells empty), step scores too.
cat >"$tmp/goldens.py" <<'PY'
import json, os, sys
sys.path.insert(0, os.path.dirname(sys.argv[0]))
from showparse import *
binary, fx = sys.argv[1], sys.argv[2]
gold = json.load(open(fx + "/golden/aggregations.json"))
for case, pipes in gold.items():
    for key, seqs in pipes.items():
        if key.startswith("_"):
            continue
        args = ["--width", "0", "--color", "never"]
        pipe = key
        if " --weight " in key:
            pipe, w = key.split(" --weight ")
            args += ["--weight", w]
        if key.endswith(" (sequence 0)"):
            pipe = key[: -len(" (sequence 0)")]
            args += ["--seq", "0"]
        args += ["-a", pipe, fx + "/inseq/" + case + ".json"]
        name = "%s / %s" % (case, key)
        try:
            tables = parse(run(binary, args))
        except Exception as e:
            print("FAIL %s: %s" % (name, e)); continue
        errs = []
        for s, g in enumerate(seqs):
            errs += ["sequence %d: %s" % (s, e) for e in check_seq(tables, s, g)]
        print(("FAIL %s: %s" % (name, "; ".join(errs[:3]))) if errs else "ok %s" % name)
PY
while read -r st rest; do
  if [ "$st" = ok ]; then ok; else bad "golden $rest"; fi
done < <(python3 "$tmp/goldens.py" "$bin" "$fx" 2>&1 || echo "FAIL goldens.py crashed")

# Defaults without -a: coarse shows the data as is, granular gets vnorm; the
# row labels with --decode-tokens none are the raw tokens.
cat >"$tmp/defaults.py" <<'PY'
import json, os, sys
sys.path.insert(0, os.path.dirname(sys.argv[0]))
from showparse import *
binary, fx, case, pipe = sys.argv[1:5]
gold = json.load(open(fx + "/golden/aggregations.json"))[case][pipe]
tables = parse(run(binary, ["--decode-tokens", "none", fx + "/inseq/" + case + ".json"]))
errs = []
for s, g in enumerate(gold):
    errs += check_seq(tables, s, g)
    labels = tables[(s, "Source")]["labels"]
    for i, tok in enumerate(g["source"]):
        if labels[i] != tok:
            errs.append("row label %d: %r, expected %r" % (i, labels[i], tok))
assert not errs, errs[:5]
PY
check "default aggregation of encdec_ig_granular matches the golden" python3 "$tmp/defaults.py" "$bin" "$fx" encdec_ig_granular default
check "coarse file shown as is (golden none)" python3 "$tmp/defaults.py" "$bin" "$fx" encdec_occlusion_coarse none

out=$("$bin" show "$fx/inseq/encdec_ig_granular.json" -a 'vnorm | subwords' 2>&1); rc=$?
[ $rc -eq 0 ] && grep -q "Source Saliency Heatmap" <<<"$out" && grep -q "␣modelli\." <<<"$out" && ok || bad "-a 'vnorm | subwords' ($rc): $out"

out=$("$bin" show "$fx/inseq/encdec_occlusion_coarse.json")
check "sequence header names the file" grep -q "^Sequence 0 ($fx/inseq/encdec_occlusion_coarse.json)$" <<<"$out"
check "caption as inseq's" grep -q "→ : Generated tokens, ↓ : Attributed tokens" <<<"$out"
check "legend: symmetric range from the largest |value| of the sequence" python3 - "$fx" "$out" <<'PY'
import json, re, sys
g = json.load(open(sys.argv[1] + "/golden/aggregations.json"))["encdec_occlusion_coarse"]["none"][0]
vals = [v for m in (g["source_attributions"], g["target_attributions"]) for r in m for v in r if v is not None]
mx = max(abs(v) for v in vals)
m = re.search(r"^range: (\S+) to (\S+) \(abs\)$", sys.argv[2], re.M)
assert m and float(m.group(2)) == float("%.4g" % mx) and float(m.group(1)) == -float(m.group(2)), m
PY
"$bin" show "$fx/inseq/encdec_occlusion_coarse.json" --max 2 | grep -q "^range: -2 to 2 (abs, max set)$" && ok || bad "--max alone: symmetric range"
"$bin" show "$fx/inseq/encdec_occlusion_coarse.json" --min -1 --max 2.5 | grep -q "^range: -1 to 2.5 (set)$" && ok || bad "--min and --max"
"$bin" show "$fx/inseq/encdec_occlusion_coarse.json" --min 3 --max 1 >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] && ok || bad "--min above --max exits 2 (got $rc)"
"$bin" show --help | grep -q -- "--color MODE" && "$bin" show --help | grep -q -- "--width N" &&
  "$bin" show --help | grep -q -- "--seq LIST" && ok || bad "--help lists the options"

# Pages: at COLUMNS=60 each table is split, every column appears exactly once,
# no line is wider than 60, and the values are still the goldens.
out=$(COLUMNS=60 "$bin" show "$fx/inseq/encdec_ig_granular.json")
cat >"$tmp/pages.py" <<'PY'
import json, os, sys
sys.path.insert(0, os.path.dirname(sys.argv[0]))
from showparse import *
fx, text, limit = sys.argv[1], sys.stdin.read(), int(sys.argv[2])
gold = json.load(open(fx + "/golden/aggregations.json"))["encdec_ig_granular"]["default"]
tables = parse(text)
assert len(tables) == 4, sorted(tables)
for (s, kind), t in tables.items():
    ncols = gold[s]["attr_pos_end"] - gold[s]["attr_pos_start"]
    assert len(t["pages"]) >= 2, (s, kind, len(t["pages"]))
    assert sorted(t["cols"]) == list(range(ncols)) and len(t["cols"]) == ncols, (s, kind, t["cols"])
    for p in t["pages"]:
        assert all(w == p["rule"] for w in p["widths"]), (s, kind, p["widths"])
        assert p["rule"] <= limit, p["rule"]
for line in text.split("\n"):
    assert line.startswith("Sequence ") or width(line) <= limit, line
for s, g in enumerate(gold):
    errs = check_seq(tables, s, g)
    assert not errs, errs[:3]
PY
check "pages at COLUMNS=60: every column once, lines fit, values right" python3 "$tmp/pages.py" "$fx" 60 <<<"$out"
out=$("$bin" show --width 45 "$fx/inseq/encdec_ig_granular.json")
check "--width 45 overrides COLUMNS" python3 "$tmp/pages.py" "$fx" 45 <<<"$out"
out=$("$bin" show --width 0 "$fx/inseq/encdec_ig_granular.json")
check "--width 0: one page per table" test "$(grep -c 'columns' <<<"$out")" -eq 0

# Colors.
f=$fx/inseq/encdec_occlusion_coarse.json
"$bin" show --color always "$f" >"$tmp/c256.txt"
check "--color always: 256-color backgrounds" grep -q $'\e\[48;5;[0-9]*;38;5;\(16\|231\)m' "$tmp/c256.txt"
COLORTERM=truecolor "$bin" show --color always "$f" >"$tmp/ctrue.txt"
check "COLORTERM=truecolor: 24-bit backgrounds" grep -q $'\e\[48;2;[0-9]*;[0-9]*;[0-9]*;38;2;' "$tmp/ctrue.txt"
COLORTERM=24bit "$bin" show --color 256 "$f" | grep -q $'\e\[48;2;' && bad "--color 256 stays 256" || ok
"$bin" show --color never "$f" >"$tmp/plain.txt"
if grep -q $'\e' "$tmp/plain.txt"; then bad "--color never writes escapes"; else ok; fi
check "colored output without escapes is the plain output (tables)" python3 - "$tmp/c256.txt" "$tmp/plain.txt" <<'PY'
import re, sys
c = re.sub(r"\x1b\[[0-9;]*m", "", open(sys.argv[1]).read()).split("\n")
p = open(sys.argv[2]).read().split("\n")
assert len(c) == len(p)
diff = [(a, b) for a, b in zip(c, p) if a != b and not a.startswith("range:")]
assert not diff, diff[:2]
PY
# One vocabulary: 8 and mono too; 256 uses the ramp the explorer uses.
"$bin" show --color 8 "$f" >"$tmp/c8.txt"
check "--color 8: basic blue and red only" grep -q $'\e\[1;37;41m' "$tmp/c8.txt"
grep -qE $'\e\[(38|48);[25];' "$tmp/c8.txt" && bad "--color 8 writes 256/24-bit escapes" || ok
"$bin" show --color mono "$f" | grep -q $'\e\[4[0-9]' && bad "--color mono colors" || ok
check "--color 256: only entries of the ramp" python3 - "$tmp/c256.txt" <<'PY'
import re, sys
ramp = {231, 153, 111, 68, 25, 20, 18, 224, 217, 210, 167, 160, 124}
seen = {int(x) for x in re.findall(r"\x1b\[48;5;(\d+);", open(sys.argv[1]).read())}
assert seen and seen <= ramp, seen - ramp
PY
# Range modes.
"$bin" show --range-mode inseq "$f" | grep -q "^range: -7.388 to 7.388 (inseq)$" && ok || bad "--range-mode inseq"
"$bin" show --one-sided "$f" | grep -q "^range: 0 to 7.388 (one-sided)$" && ok || bad "--one-sided"
"$bin" show --clip-percentile 90 "$f" | grep -qE "^range: -[0-9.]+ to [0-9.]+ \(p90\)$" && ok || bad "--clip-percentile 90"
"$bin" show --clip-percentile 0 "$f" >/dev/null 2>&1; [ $? -eq 2 ] && ok || bad "--clip-percentile 0 exits 2"
"$bin" show --range-mode wide "$f" >/dev/null 2>&1; [ $? -eq 2 ] && ok || bad "bad --range-mode exits 2"
neg=$("$bin" show -a 'min normalize=false' --seq 0 "$fx/inseq/deconly_saliency_granular.json")
grep -qE "^range: -[0-9.]+ to [0-9.]+ \(abs\)$" <<<"$neg" && ! grep -q "^range: 0 to 0" <<<"$neg" && ok || bad "all-negative data: a real range"
shared=$("$bin" show --shared-range "$fx/inseq/encdec_pair_coarse.json" | grep "^range:" | sort -u)
[ "$(wc -l <<<"$shared")" -eq 1 ] && grep -q "(abs, shared)" <<<"$shared" && ok || bad "--shared-range: one range: $shared"
[ "$("$bin" show --global-range "$fx/inseq/encdec_pair_coarse.json" | grep "^range:" | sort -u)" = "$shared" ] && ok || bad "--global-range is --shared-range"
# export's heatmap page takes the same range choices; inseq's stays the default
"$bin" export "$f" -o "$tmp/def.html" >/dev/null 2>&1
"$bin" export "$f" -o "$tmp/inseq.html" --range-mode inseq >/dev/null 2>&1
cmp -s "$tmp/def.html" "$tmp/inseq.html" && ok || bad "export --range-mode inseq is the default page"
"$bin" export "$f" -o "$tmp/one.html" --one-sided >/dev/null 2>&1
grep -q 'rgba(178.0, 24.0, 43.0, 1.0)">7.388' "$tmp/one.html" && ok || bad "export --one-sided"
dec=$fx/inseq/deconly_saliency_granular.json
"$bin" export "$dec" -a 'min normalize=false' --seq 0 -o "$tmp/neg_inseq.html" >/dev/null 2>&1
"$bin" export "$dec" -a 'min normalize=false' --seq 0 -o "$tmp/neg_abs.html" --range-mode abs >/dev/null 2>&1
# inseq's range has zero width there: every cell the same blue; abs grades them
n_inseq=$(grep -o 'rgba(33.0, 102.0, 172.0, [0-9.]*)' "$tmp/neg_inseq.html" | sort -u | wc -l)
n_abs=$(grep -o 'rgba(33.0, 102.0, 172.0, [0-9.]*)' "$tmp/neg_abs.html" | sort -u | wc -l)
[ "$n_inseq" -eq 1 ] && [ "$n_abs" -gt 5 ] && ok || bad "export --range-mode abs grades all-negative data ($n_inseq, $n_abs shades)"
"$bin" export "$f" -o - -f json --one-sided >/dev/null 2>&1; [ $? -eq 2 ] && ok || bad "export --one-sided to JSON exits 2"
# auto: colors only on a terminal, never with NO_COLOR.
if command -v script >/dev/null; then
  script -qec "$bin show --color auto $f" /dev/null >"$tmp/tty.txt" 2>&1 </dev/null
  check "auto colors a terminal" grep -q $'\e\[48;5;' "$tmp/tty.txt"
  NO_COLOR=1 script -qec "$bin show $f" /dev/null >"$tmp/tty2.txt" 2>&1 </dev/null
  if grep -q $'\e\[48' "$tmp/tty2.txt"; then bad "NO_COLOR respected"; else ok; fi
  COLUMNS= script -qec "stty cols 50; $bin show $f" /dev/null >"$tmp/tty3.txt" 2>&1 </dev/null
  check "terminal width from the tty" python3 - "$tmp/tty3.txt" <<'PY'
import re, sys
sys.path.insert(0, sys.argv[1].rsplit("/", 1)[0])
from showparse import width
t = re.sub(r"\x1b\[[0-9;]*m", "", open(sys.argv[1]).read()).replace("\r", "")
assert "columns 0-" in t
assert max(width(l) for l in t.split("\n") if not l.startswith("Sequence ")) <= 50
PY
fi
"$bin" show "$f" | grep -q $'\e' && bad "auto does not color a pipe" || ok

# Errors: bad usage exits 2, bad data 1, with one clear line.
err=$("$bin" show -a none "$fx/inseq/encdec_ig_granular.json" 2>&1 >/dev/null); rc=$?
[ $rc -eq 2 ] && grep -q "2-dimensional" <<<"$err" && grep -q "(10, 11, 24)" <<<"$err" && ok || bad "non-2D result: $rc $err"
err=$("$bin" show --seq 7 "$f" 2>&1 >/dev/null); rc=$?
[ $rc -eq 2 ] && grep -q "sequence 7 does not exist" <<<"$err" && ok || bad "bad --seq: $rc $err"
"$bin" show --seq x "$f" >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] && ok || bad "malformed --seq exits 2 (got $rc)"
err=$("$bin" show -a 'frobnicate' "$f" 2>&1 >/dev/null); rc=$?
[ $rc -eq 2 ] && grep -q "unknown step 'frobnicate'" <<<"$err" && ok || bad "unknown pipeline: $rc $err"
"$bin" show --weight nosuch "$f" >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] && ok || bad "unknown --weight exits 2 (got $rc)"
# did-you-mean: pipeline steps, step scores, commands
err=$("$bin" show -a 'vnrom' "$fx/inseq/encdec_ig_granular.json" 2>&1 >/dev/null); rc=$?
[ $rc -eq 2 ] && grep -qF "unknown step 'vnrom' (did you mean 'vnorm'?)" <<<"$err" && ok || bad "vnrom: $rc $err"
err=$("$bin" show --weight probabilty "$fx/inseq/encdec_ig_granular.json" 2>&1 >/dev/null); rc=$?
[ $rc -eq 2 ] && grep -qF "no step score 'probabilty'; did you mean 'probability'? (step scores: entropy, probability)" <<<"$err" && ok || bad "--weight probabilty: $rc $err"
[ "$(wc -l <<<"$err")" -eq 1 ] && ok || bad "--weight error is one line: $err"
err=$("$bin" infoo "$f" 2>&1 >/dev/null); rc=$?
[ $rc -eq 2 ] && grep -qF "'infoo' is not a command (did you mean 'info'?)" <<<"$err" && ok || bad "infoo: $rc $err"
err=$("$bin" frobnicate "$f" 2>&1 >/dev/null); rc=$?
[ $rc -eq 2 ] && grep -qF "'frobnicate' is not a command (info, show, export, save, compare, summary)" <<<"$err" && ok || bad "frobnicate: $rc $err"
# an unknown option: one line with a hint, not the whole usage
for cmd in show export save info; do
    err=$("$bin" $cmd "$f" --bogus -o "$tmp/x.json" 2>&1 >/dev/null); rc=$?
    [ $rc -eq 2 ] && [ "$err" = "attrscope: $cmd: unknown option '--bogus'; try 'attrscope $cmd --help'" ] && ok || bad "$cmd --bogus: $rc $err"
done
err=$("$bin" show "$f" --widht 30 2>&1 >/dev/null); rc=$?
[ $rc -eq 2 ] && [ "$err" = "attrscope: show: unknown option '--widht' (did you mean '--width'?); try 'attrscope show --help'" ] && ok || bad "--widht: $rc $err"
err=$("$bin" show "$f" -a 2>&1 >/dev/null); rc=$?
[ $rc -eq 2 ] && [ "$err" = "attrscope: show: option '-a' needs a value; try 'attrscope show --help'" ] && ok || bad "-a without a value: $rc $err"
err=$("$bin" "$f" --gobal-range 2>&1 >/dev/null); rc=$?
[ $rc -eq 2 ] && [ "$err" = "attrscope: unknown option '--gobal-range' (did you mean '--global-range'?); try 'attrscope --help'" ] && ok || bad "explorer --gobal-range: $rc $err"
# one vocabulary: --raw-tokens and --decode-tokens none are the same everywhere
a=$("$bin" show --raw-tokens "$f" 2>&1); b=$("$bin" show --decode-tokens none "$f" 2>&1)
[ "$a" = "$b" ] && grep -q "▁" <<<"$a" && ok || bad "show --raw-tokens"
err=$("$bin" "$f" --decode-tokens gpt2 2>&1 >/dev/null); rc=$?
[ $rc -eq 2 ] && grep -qF "the explorer takes auto or none" <<<"$err" && ok || bad "explorer --decode-tokens gpt2: $rc $err"
# a bare word that names a file is the file (the explorer then wants a terminal)
cp "$f" "$tmp/infoo"
err=$(cd "$tmp" && "$bin" infoo 2>&1 >/dev/null); rc=$?
[ $rc -eq 2 ] && grep -qF "standard output is not a terminal" <<<"$err" && ok || bad "existing file infoo: $rc $err"
# a name with a dot or a slash is a file even when missing: the explorer says so
err=$("$bin" missing.json 2>&1 >/dev/null); rc=$?
grep -qF "is not a command" <<<"$err" && bad "missing.json taken as a command: $err" || ok
"$bin" show --color sometimes "$f" >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] && ok || bad "bad --color exits 2 (got $rc)"
"$bin" show --width -3 "$f" >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] && ok || bad "bad --width exits 2 (got $rc)"
"$bin" show >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] && ok || bad "show without files exits 2 (got $rc)"
"$bin" show /nonexistent.json >/dev/null 2>&1; rc=$?
[ $rc -eq 1 ] && ok || bad "missing file exits 1 (got $rc)"

# Token text from the file: control characters never reach the output raw,
# whatever the color mode; wide CJK and emoji tokens keep the columns aligned.
python3 - "$f" "$tmp/evil.json" "$tmp/cjk.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
a = d["attributes"]["sequence_attributions"][0]["attributes"]
evil = ["\x1b[31mred", "bell\x07", "\u202eevil", "\u2066iso", "\u200fmark", "cr\rx", "\x1b]0;title\x07",
        "tab\tx", "nul\u0000", "\x9bcsi"]
for i, t in enumerate(a["source"]): t["attributes"]["token"] = evil[i % len(evil)]
for i, t in enumerate(a["target"]): t["attributes"]["token"] = evil[(i + 3) % len(evil)]
a["step_scores"]["\x1b[2Jprob"] = a["step_scores"].pop("probability")
json.dump(d, open(sys.argv[2], "w"), indent=4, sort_keys=True)
d = json.load(open(sys.argv[1]))
a = d["attributes"]["sequence_attributions"][0]["attributes"]
cjk = ["\u4f60\u597d", "\u4e16\u754c", "\u2581\u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8",
       "\U0001F600", "e\u0301", "\uff21\uff22", "x", "\u2581caf\u00e9", "\ud55c\uad6d\uc5b4", "\u2581ok"]
for i, t in enumerate(a["source"]): t["attributes"]["token"] = cjk[i % len(cjk)]
for i, t in enumerate(a["target"]): t["attributes"]["token"] = cjk[(i + 3) % len(cjk)]
json.dump(d, open(sys.argv[3], "w"), indent=4, sort_keys=True)
PY
for mode in never always; do
  for dec in auto none; do
    "$bin" show --color $mode --decode-tokens $dec --width 70 "$tmp/evil.json" >"$tmp/evil_$mode.txt" 2>&1
    # Remove our own SGR sequences; nothing else may be a control character.
    sed $'s/\e\\[[0-9;]*m//g' "$tmp/evil_$mode.txt" >"$tmp/evil_stripped.txt"
    if LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' "$tmp/evil_stripped.txt" ||
       LC_ALL=C grep -q $'\xe2\x80\xae\|\xe2\x81\xa6\|\xe2\x80\x8f\|\xc2\x9b' "$tmp/evil_stripped.txt"; then
      bad "raw control characters in show output ($mode, $dec)"
    else ok; fi
  done
done
check "escaped token text shown" grep -q '\\x1b\[31mred' "$tmp/evil_never.txt"
check "escaped bidi control shown" grep -q '\\u202eevil' "$tmp/evil_never.txt"
check "escaped step score name shown" grep -q '^\\x1b\[2Jprob' "$tmp/evil_never.txt"

COLUMNS=60 "$bin" show --decode-tokens none "$tmp/cjk.json" >"$tmp/cjk.txt"
check "CJK and emoji tokens: columns aligned on every page, values right" python3 - "$fx" "$tmp/cjk.txt" <<'PY'
import json, os, sys
sys.path.insert(0, os.path.dirname(sys.argv[2]))
from showparse import *
text = open(sys.argv[2]).read()
tables = parse(text)
gold = json.load(open(sys.argv[1] + "/golden/aggregations.json"))["encdec_occlusion_coarse"]["none"][0]
assert not check_seq(tables, 0, gold), check_seq(tables, 0, gold)[:3]
wide = 0
for t in tables.values():
    assert len(t["pages"]) >= 2
    for p in t["pages"]:
        assert all(w == p["rule"] for w in p["widths"]), p["widths"]
        assert p["rule"] <= 60
    wide += sum(1 for l in t["labels"].values() if any(cw(c) == 2 for c in l))
assert wide >= 5, wide
assert "\u4f60\u597d" in text and "\U0001F600" in text and "\u2026" in text
PY

echo "cli_show: $pass passed, $fail failed"
[ $fail -eq 0 ]
