#!/usr/bin/env bash
# attrscope info and export on the hostile files (tests/data/hostile, see its
# README): nothing a file holds reaches the output raw, HTML stays inert,
# extreme numbers come out as documented, malformed structure gives one
# clear line, gzip bombs stop at --max-memory.
# Usage: cli_hostile.sh ATTRSCOPE FIXTURES_DIR
set -u
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
h=$here/data/hostile
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# No C0 control but newline (and CR in CSV line ends), no DEL, no C1, no
# bidi control: the file names them.
no_raw_controls() { # file, description, [allow CR]
  local cr='\x0d'
  [ "${3:-}" = cr ] && cr=''
  if LC_ALL=C grep -qaP "[\x00-\x09\x0b\x0c${cr}\x0e-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xa8-\xae]|\xe2\x81[\xa6-\xa9]|\xc0\x80" "$1"; then
    bad "$2: raw control character"
    LC_ALL=C grep -naP "[\x00-\x09\x0b\x0c${cr}\x0e-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xa8-\xae]|\xe2\x81[\xa6-\xa9]" "$1" | head -3 | cat -v | cut -c1-200
  else
    ok
  fi
}

# ---- tokens with control characters --------------------------------------

"$bin" info "$h/tokens_control.json" >"$tmp/info.txt" 2>"$tmp/err"; rc=$?
[ $rc -eq 0 ] && [ ! -s "$tmp/err" ] && ok || bad "info tokens_control exits $rc: $(cat "$tmp/err")"
no_raw_controls "$tmp/info.txt" "info"
for want in '\x1b[2J' '\x1b]0;title\x07' 'bell\x07' 'nul\0byte' 'cr\rover' 'tab\there' \
            'new\nline' '\u202eevil' '\u2066iso\u2069' 'del\x7f' 'c1\u009bcsi' 'abcdefghijabcdefghijabc…' \
            'model_name: "\x1b]0;title\x07model\u202e"' 'key\x1b[5mblink: "value\ttab"' \
            '\x1b[31mred\x1b[0m'; do
  grep -qF -- "$want" "$tmp/info.txt" && ok || bad "info does not show $want"
done
# Emoji and CJK are shown as they are.
grep -qF '😀' "$tmp/info.txt" && grep -qF '你好' "$tmp/info.txt" && ok || bad "info emoji / CJK"

"$bin" info --json "$h/tokens_control.json" >"$tmp/info.json" || bad "info --json"
# (JSON keeps C1 and bidi characters escaped as \uXXXX: it is plain ASCII.)
LC_ALL=C grep -qaP '[\x00-\x09\x0b-\x1f]' "$tmp/info.json" && bad "info --json: raw C0 control" || ok
LC_ALL=C grep -qaP '[\x80-\xff]' "$tmp/info.json" && bad "info --json is not ASCII" || ok
python3 - "$tmp/info.json" <<'PY' && ok || bad "info --json content"
import json, sys
d = json.load(open(sys.argv[1]))
src = d["sequences"][0]["source"]
assert "\x1b[2J" in src and "\x1b]0;title\x07" in src and "\u202eevil" in src, src[:5]
assert "abcdefghij" * 1000 in src
assert d["info"]["model_name"] == "\x1b]0;title\x07model\u202e"
assert d["info"]["key\x1b[5mblink"] == "value\ttab"
PY
# A token holding NUL is listed (as U+0000); DEL is escaped.
n=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["sequences"][0]["source"]))' "$tmp/info.json")
[ "$n" = 19 ] && ok || bad "info --json lists $n of 19 tokens"
python3 -c 'import json,sys; assert any("\x00" in t for t in json.load(open(sys.argv[1]))["sequences"][0]["source"])' "$tmp/info.json" && ok || bad "info --json: NUL token as U+0000"
LC_ALL=C grep -qaP '\x7f' "$tmp/info.json" && bad "info --json keeps DEL raw" || ok

# export: JSON strings escape what JSON escapes; with --decode-tokens the
# token text is escaped for display (as info shows it).
"$bin" export "$h/tokens_control.json" -o "$tmp/tc.json" || bad "export json"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/tc.json" && ok || bad "export json parses"
LC_ALL=C grep -qaP '[\x00-\x09\x0b-\x1f]' "$tmp/tc.json" && bad "export json: raw C0 control" || ok
for fmt in json csv; do
  "$bin" export "$h/tokens_control.json" --decode-tokens auto -o "$tmp/dec.$fmt" || bad "export $fmt --decode-tokens"
  no_raw_controls "$tmp/dec.$fmt" "export --decode-tokens auto $fmt" cr
done
grep -qF '\\x1b[2J' "$tmp/dec.json" && grep -qF '\x1b]0;title\x07' "$tmp/dec.csv" && ok || bad "decoded tokens escaped"
# Without --decode-tokens too: CSV fields escape control bytes, JSON escapes
# DEL and keeps NUL as U+0000.
"$bin" export "$h/tokens_control.json" -o "$tmp/tc.csv" || bad "export csv"
LC_ALL=C grep -qaP '[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]' "$tmp/tc.csv" && bad "export csv keeps raw control bytes" || ok
LC_ALL=C grep -qaP '\x7f' "$tmp/tc.json" && bad "export json keeps DEL raw" || ok
python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["sequences"][0]["source"]; assert any("\x00" in t["token"] for t in s) and not any("\ufffd" in t["token"] for t in s)' "$tmp/tc.json" && ok || bad "export json: NUL token as U+0000"

# ---- HTML payloads ------------------------------------------------------

# Elements, attributes and script contents of a page, via Python's parser.
cat >"$tmp/inert.py" <<'PY'
import sys
from html.parser import HTMLParser

class P(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.attrs, self.scripts, self.text, self.in_script = [], [], [], [], False
        self.script_types = set()
    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [a for a, _ in attrs]
        self.in_script = tag == "script"
        if tag == "script":
            self.scripts.append("")
            self.script_types.add(dict(attrs).get("type", "text/javascript"))
    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False
    def handle_data(self, data):
        if self.in_script:
            self.scripts[-1] += data
        else:
            self.text.append(data)
    def handle_comment(self, data):
        self.tags.append("!--")

def parse(path):
    p = P()
    p.feed(open(path, encoding="utf-8").read())
    return p

page, clean = parse(sys.argv[1]), parse(sys.argv[2])
# The hostile page has only the elements of a clean page of the same view
# (and bold step scores).
assert set(page.tags) <= set(clean.tags) | {"b"}, set(page.tags) - set(clean.tags)
assert not [a for a in page.attrs if a.startswith("on")], "event handler attribute"
assert page.script_types == clean.script_types, (page.script_types, clean.script_types)
for s in page.scripts:
    low = s.lower()
    assert "</script" not in low and "<!--" not in low, s[:80]
# Payloads given as text must be visible as text (tables and token views).
text = "".join(page.text)
for want in sys.argv[3:]:
    assert want in text or any(want in s for s in page.scripts), "payload not shown: " + want
PY
for view in heatmap tokens granular; do
  extra=()
  [ $view = granular ] && extra=(-a none)
  "$bin" export "$h/html_payloads.json" --view $view "${extra[@]}" -o "$tmp/xss_$view.html" || bad "export $view"
  "$bin" export "$here/data/bad/ok_minimal.json" --view $view "${extra[@]}" -o "$tmp/clean_$view.html" || bad "export clean $view"
  python3 "$tmp/inert.py" "$tmp/xss_$view.html" "$tmp/clean_$view.html" && ok || bad "HTML $view not inert"
done
python3 "$tmp/inert.py" "$tmp/xss_heatmap.html" "$tmp/clean_heatmap.html" \
  '<script>alert(1)</script>' '"onmouseover=alert(2) x="' '</script><!--' \
  '<img src=x onerror=alert(12)>' && ok || bad "heatmap shows the payloads as text"
# info values never reach a page; `info` prints them escaped, as text.
grep -q 'alert(10)' "$tmp"/xss_*.html && bad "info value in a page" || ok
"$bin" info "$h/html_payloads.json" | grep -qF 'model_name: "</script><!--<script>alert(10)</script>"' && ok || bad "info shows the payload"
for view in heatmap tokens granular; do
  extra=()
  [ $view = granular ] && extra=(-a none)
  "$bin" export "$h/tokens_control.json" --view $view "${extra[@]}" -o "$tmp/ctl_$view.html" || bad "export control $view"
  # Markup white space (tab, newline, CR) is allowed in HTML, nothing else.
  LC_ALL=C grep -qaP '[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\xc2[\x80-\x9f]|\xc0\x80' "$tmp/ctl_$view.html" \
    && bad "raw control in the $view page" || ok
  python3 "$tmp/inert.py" "$tmp/ctl_$view.html" "$tmp/clean_$view.html" && ok || bad "control $view page markup"
done

# ---- numbers ---------------------------------------------------------------

"$bin" export "$h/numbers.json" -o "$tmp/num.json" && "$bin" export "$h/numbers.json" -o "$tmp/num.csv" \
  && "$bin" export "$h/numbers.json" -o "$tmp/num.scores.json" && "$bin" export "$h/numbers.json" -o "$tmp/num.html" \
  || bad "exports of numbers.json"
python3 - "$tmp/num.json" "$tmp/num.csv" "$tmp/num.scores.json" <<'PY' && ok || bad "numbers exported as documented"
import csv, json, math, sys
d = json.load(open(sys.argv[1]))["sequences"]
N = None
def close(a, b):
    if a is None or b is None:
        return a is b
    return abs(a - b) <= 1e-6 * abs(b) + 1e-37
def same(got, want):
    assert all(close(x, y) for gr, wr in zip(got, want) for x, y in zip(gr, wr)), (got, want)
same(d[0]["source_attributions"], [[N, N], [N, N], [N, N]])       # all NaN
same(d[1]["source_attributions"], [[0, 0], [0, 0], [0, 0]])       # all zeros
same(d[1]["target_attributions"], [[N, 0], [N, N]])
src = d[2]["source_attributions"]                                 # infinities
assert src[0][0] is None and src[1][0] is None and src[2][0] == 0, src
assert d[2]["step_scores"]["probability"] == [None, None]         # +-inf as null in JSON
den = 2 * 9.99994610111476e-41 / 1e-12                            # denormals
same(d[3]["source_attributions"], [[den, den]] * 3)
same(d[4]["source_attributions"], [[0, 0], [0, 0], [N, N]])       # huge
rows = list(csv.reader(open(sys.argv[2], newline="")))
vals = {(r[0], r[1], r[2], r[4]): r[6] for r in rows[1:]}
assert vals[("0", "source", "0", "0")] == "NaN"
assert vals[("2", "step:probability", "", "0")] == "Infinity"
assert vals[("2", "step:probability", "", "1")] == "-Infinity"
assert vals[("4", "source", "2", "0")] == "NaN" and vals[("4", "source", "0", "0")] == "0"
sc = json.load(open(sys.argv[3]))                                 # bare NaN / Infinity
assert math.isnan(sc[0]["source_attributions"]["0:\u2581x"]["0:\u2581a"])
assert sc[2]["step_scores"]["0:\u2581x"]["probability"] == math.inf
PY
grep -q '<td style="background:rgba(0.0, 0.0, 0.0, 0.0)"></td>' "$tmp/num.html" && ok || bad "NaN cells empty in the heatmap"

# ---- structure ----------------------------------------------------------

expect_error() { # file, message after "PATH: "
  local err rc
  err=$("$bin" info "$h/$1" 2>&1 >/dev/null); rc=$?
  [ $rc -eq 1 ] && [ "$err" = "attrscope: $h/$1: $2" ] && ok || bad "$1: exit $rc: $err"
}
expect_error deep_nesting.json.gz "line 8: nesting deeper than 10000 levels"
expect_error st_huge_header.json "sequence_attributions[0].source_attributions: safetensors header claims 18446744073709551600 bytes but only 88 follow"
expect_error st_huge_offsets.json "sequence_attributions[0].source_attributions: safetensors data_offsets [0, 9223372036854775807] lie outside the 16 data bytes"
expect_error b64_huge_shape.json "sequence_attributions[0].source_attributions: __ndarray__ holds 16 bytes; shape and dtype float32 need 2147483648"
expect_error b64gz_huge_shape.json "sequence_attributions[0].source_attributions: b64.gz data of 96 bytes cannot hold the 2147483648 bytes that shape and dtype float32 need"
expect_error duplicate_keys.json "line 20, column 42: not valid JSON: duplicate object key near '\"source\"'"
out=$("$bin" info "$h/trailing_garbage.json.gz") && grep -qF "trailing_garbage.json.gz: 25 bytes after the end of the gzip stream were ignored" <<<"$out" \
  && ok || bad "trailing garbage: loads with a note"
out=$("$bin" info "$h/two_members.json.gz") && grep -q "1 sequence" <<<"$out" && ! grep -q "notes:" <<<"$out" \
  && ok || bad "two gzip members load"

# ---- what Python's json reads: lone surrogates, NUL in object keys ------------

out=$("$bin" info "$h/python_only.json" 2>&1); rc=$?
[ $rc -eq 0 ] && ok || bad "python_only.json: exit $rc: $out"
for want in 'source                 2: �lone x�' 'step_scores            pro\0b (2,), probability (2,)' \
            'k\0ey: "v�"' 'pair: "😀"'; do
  grep -qF -- "$want" <<<"$out" && ok || bad "python_only info does not show $want"
done
"$bin" save "$h/python_only.json" -o "$tmp/py.json" && "$bin" info --json "$h/python_only.json" >"$tmp/py_info.json" \
  || bad "python_only save / info --json"
python3 - "$tmp/py.json" "$tmp/py_info.json" <<'PY' && ok || bad "python_only saved and listed as Python reads it"
import json, sys
a = json.load(open(sys.argv[1]))["attributes"]
s = a["sequence_attributions"][0]["attributes"]
assert [t["attributes"]["token"] for t in s["source"]] == ["\ufffdlone", "x\ufffd"]
assert list(s["step_scores"]) == ["pro\x00b", "probability"], list(s["step_scores"])
assert a["info"]["k\x00ey"] == "v\ufffd" and a["info"]["pair"] == "\U0001F600"
i = json.load(open(sys.argv[2]))
assert i["sequences"][0]["step_scores"] == {"pro\x00b": 2, "probability": 2}
assert i["info"]["k\x00ey"] == "v\ufffd"
PY

# ---- a one-column token of 1 MB: "a" + 2^19 combining marks ----------------

python3 "$here/../tools/mkhostile.py" --marks "$tmp/marks.json" || bad "making marks.json"
for c in "show" "show -a none" "show --decode-tokens none" "info"; do
  # shellcheck disable=SC2086
  "$bin" $c "$tmp/marks.json" >"$tmp/marks.out" 2>&1 || bad "$c marks.json fails"
  size=$(wc -c <"$tmp/marks.out")
  [ "$size" -lt 4096 ] && ok || bad "$c marks.json prints $size bytes"
done
# the label keeps the base and at most 30 marks, then the ellipsis
python3 - "$tmp/marks.out" <<'PY' && ok || bad "marks label bounded by cells and bytes"
import sys
t = open(sys.argv[1], encoding="utf-8").read()
line = next(l for l in t.splitlines() if "\u0301" in l)
lab = line.split(": ", 1)[1].split()[0] if "source" in line else line
n = line.count("\u0301")
assert 1 <= n <= 30, n
assert "a" + "\u0301" * n + "\u2026" in line, line[:80]
PY
rm -f "$tmp/marks.json"

# ---- CSV formula injection ----------------------------------------------

# Fields starting with = + - @ TAB CR get a leading ' (OWASP); --csv-raw
# keeps the text; numbers are never touched.
"$bin" export "$h/csv_formula.json" -o "$tmp/f.csv" && "$bin" export "$h/csv_formula.json" --csv-raw -o "$tmp/fraw.csv" \
  || bad "export csv_formula"
python3 - "$tmp/f.csv" "$tmp/fraw.csv" <<'PY' && ok || bad "CSV formulas neutralised, --csv-raw keeps them"
import csv, sys
safe = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
raw = list(csv.reader(open(sys.argv[2], newline="", encoding="utf-8")))
toks = {r[3] for r in safe[1:] if r[1] == "source"}
assert toks == {"'=HYPERLINK(\"http://example.com/\",\"click\")", "'+1+2", "'-3", "'@SUM(A1:A2)",
                "\\tTAB", "\\rCR", "'-", "plain", "a=b"}, toks
assert {r[5] for r in safe[1:]} == {"'=1+1", "\u2581ok"}
# no field a spreadsheet would run as a formula
for r in safe[1:]:
    for x in (r[1], r[3], r[5]):
        assert not x or x[0] not in "=+-@\t\r", r
assert any(r[6].startswith("-") for r in safe[1:])            # negative numbers stay numbers
rawtoks = {r[3] for r in raw[1:] if r[1] == "source"}
assert "=HYPERLINK(\"http://example.com/\",\"click\")" in rawtoks and "-3" in rawtoks and "-" in rawtoks
PY

# ---- gzip bombs: 1 MB inflating to 1 GiB of white space ---------------------

for kind in text list; do
  python3 "$here/../tools/mkhostile.py" --bomb-$kind "$tmp/bomb.json.gz" || { bad "making the $kind bomb"; continue; }
  start=$(date +%s)
  timeout 120 "$bin" export --max-memory 64M "$tmp/bomb.json.gz" -o "$tmp/bomb.json" 2>"$tmp/err"; rc=$?
  secs=$(($(date +%s) - start))
  [ $rc -eq 1 ] && grep -qE "^attrscope: $tmp/bomb.json.gz: line [0-9]+: [0-9]+ MB of white space in a row goes over the memory limit of 64 MB \(raise it with --max-memory\)$" "$tmp/err" \
    && [ ! -e "$tmp/bomb.json" ] && ok || bad "$kind bomb: exit $rc: $(cat "$tmp/err")"
  # It stops at the limit instead of inflating the whole GiB (which takes
  # several times longer).
  [ $secs -le 30 ] && ok || bad "$kind bomb took ${secs}s"
  rm -f "$tmp/bomb.json.gz"
done

echo "cli_hostile: $pass passed, $fail failed"
[ $fail -eq 0 ]
