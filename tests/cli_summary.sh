#!/usr/bin/env bash
# attrscope summary through the real binary: the terminal table, --json,
# --csv, the HTML page, sorting, failures and usage errors.  The figures of
# tests/data/summary are worked out by hand in tests/test_summary.c.
# Usage: cli_summary.sh ATTRSCOPE FIXTURES_DIR
set -u
bin=$1 fx=$2
here=$(cd "$(dirname "$0")" && pwd)
data=$here/data/summary
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { # description, command...
  local d=$1; shift
  if "$@"; then ok; else bad "$d"; fi
}
tmp=$(mktemp -d /tmp/attrscope-cli-summary-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C.UTF-8

# Terminal table: counts, block-character sparklines and bars, position mass,
# top tokens, the sorted sequence list.
out=$("$bin" summary "$data" --bins 5 --min-count 1 --sequences --sort entropy)
check "exit 0" test $? -eq 0
check "header" grep -qF "3 sequences in 2 files, 6 generation steps (pipeline: default)" <<<"$out"
check "entropy row" grep -qE "^  entropy \(nats, mean per step\) +3 +0 +0.6666 +0.5623 +0.801  ██  █$" <<<"$out"
check "source share row: the decoder-only sequence is missing" \
  grep -qE "^  source share \(mean per step\) +2 +1 +0.7083 " <<<"$out"
check "step score rows" grep -qE "^  probability \(step score\) +2 +1 +0.5625 +0.375 +0.75" <<<"$out"
check "per-step entropy histogram with bars" grep -qF "[  0.5623,   0.6578) ████████████████████████████████████████ 3" <<<"$out"
check "last bin closed, eighth blocks" grep -qF "[  0.9442,   1.0397] █████████████▍" <<<"$out"
check "position mass" grep -qE "^  source +54.2% +29.2 +0.0 +0.0 +0.0 +0.0 25.0" <<<"$out"
check "position mass target" grep -qE "^  target +45.8% +27.1 +0.0 +0.0 18.8" <<<"$out"
check "top token" grep -qE "^ +1  Q +target +0.7500 +1$" <<<"$out"
check "top token 4" grep -qE "^ +4  A +source +0.3889 +3$" <<<"$out"
seqs=$(sed -n '/^sequences by entropy/,$p' <<<"$out" | tail -n +3 | awk '{print $1 ":" $2}' | tr '\n' ' ')
check "sorted by entropy, 0-based sequence numbers" test "$seqs" = "b_deconly.json:0 a_encdec.json:1 a_encdec.json:0 "
out=$("$bin" summary "$data" --sequences --sort src_share --reverse)
seqs=$(sed -n '/^sequences by src_share (descending)/,$p' <<<"$out" | tail -n +3 | awk '{print $1 ":" $2}' | tr '\n' ' ')
check "descending, NaN last" test "$seqs" = "a_encdec.json:0 a_encdec.json:1 b_deconly.json:0 "
out=$("$bin" summary "$data")
check "min-count 2 by default" grep -qE "^ +1  B +source +0.5000 +2$" <<<"$out"
check "Q (1 cell) left out by default" bash -c '! grep -qE " Q +target" <<<"$1"' _ "$out"

# --csv: tidy, one row per sequence
csv=$("$bin" summary "$data/a_encdec.json" "$data/b_deconly.json" --csv)
check "csv header" test "$(head -1 <<<"$csv")" = "file,sequence,class,src_len,tgt_len,gen_len,entropy,src_share,score:probability,score:entropy"
check "csv row" grep -qxF "$data/a_encdec.json,0,coarse,2,2,2,0.801027958,0.75,0.375," <<<"$csv"
check "csv missing values empty" grep -qxF "$data/b_deconly.json,0,coarse,2,3,1,0.562335145,,,2" <<<"$csv"
check "csv parses" python3 -c '
import csv,sys
rows=list(csv.DictReader(sys.stdin))
assert len(rows)==3 and rows[1]["sequence"]=="1" and abs(float(rows[1]["entropy"])-0.6365141683)<1e-6
' <<<"$csv"

# --json: every figure, checked against the hand-worked numbers
json=$("$bin" summary "$data" --json --bins 2 --min-count 1)
check "json figures" python3 -c '
import json,sys,math
d=json.loads(sys.stdin.read())
H13=-(.25*math.log(.25)+.75*math.log(.75)); H112=1.5*math.log(2); H21=math.log(3)-2/3*math.log(2)
s=d["sequences"]
assert len(s)==3 and d["steps"]==6 and d["failed_files"]==0
assert s[0]["file"]==0 and s[0]["sequence"]==0 and s[2]["file"]==1 and s[2]["sequence"]==0
assert abs(s[0]["entropy_per_step"][0]-H13)<1e-6 and abs(s[0]["entropy_per_step"][1]-H112)<1e-6
assert s[1]["entropy_per_step"][0] is None and abs(s[1]["src_share_per_step"][1]-2/3)<1e-6
assert s[2]["src_share_per_step"] is None and s[2]["src_share"] is None
assert s[0]["step_scores"]=={"probability":0.375} and s[2]["step_scores"]=={"entropy":2.0}
pe=d["per_step"]["entropy"]; assert pe["n"]==4 and pe["missing"]==2 and pe["counts"]==[3,1]
pm=d["position_mass"]; assert abs(sum(pm["source"])+sum(pm["target"])-1)<1e-9
assert abs(pm["source"][0]-(0.25+0.25+2/3)/4)<1e-9 and abs(pm["target"][3]-0.1875)<1e-9
t=d["top_tokens"]; assert [x["token"] for x in t]==["Q","B","x","A","P"] and t[3]["count"]==3
assert d["columns"]["src_len"]["counts"]==[1,2]
' <<<"$json"

# HTML: SVG histograms, everything from the file escaped
"$bin" summary "$data" "$here/data/hostile/html_payloads.json" -o "$tmp/s.html"
check "html written" test -s "$tmp/s.html"
check "html has SVG histograms" grep -q "<svg class=\"hist\"" "$tmp/s.html"
check "html escapes tokens and names" bash -c '! grep -qiE "<script>alert|<img src=x|\"onmouseover" "$1"' _ "$tmp/s.html"
check "html shows the escaped token" grep -qF "&lt;script&gt;alert(1)&lt;/script&gt;" "$tmp/s.html"
"$bin" summary "$data" -o "$tmp/s.html" 2>"$tmp/err"
check "no overwrite without --force" test $? -eq 2 -o $? -eq 1
check "says it exists" grep -q "exists" "$tmp/err"
"$bin" summary "$data" -o "$tmp/s.html" --force
check "--force replaces" test $? -eq 0
"$bin" summary "$data" -o "$tmp/s.json" && check "-o .json is JSON" python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/s.json"

# Files that cannot be read are reported and left out; nothing readable -> 1
mkdir "$tmp/run" && cp "$data"/*.json "$tmp/run/" && head -c 300 "$data/a_encdec.json" >"$tmp/run/c_half.json"
out=$("$bin" summary "$tmp/run" 2>"$tmp/err")
check "partial run exits 0" test $? -eq 0
check "half-written file named on stderr" grep -q "c_half.json.*(left out)" "$tmp/err"
check "summary says what was left out" grep -q "left out: 1 files, 0 sequences; first: .*c_half.json" <<<"$out"
"$bin" summary "$tmp/run/c_half.json" >/dev/null 2>&1
check "nothing readable exits 1" test $? -eq 1
"$bin" summary "$fx/inseq/encdec_ig_granular.json" -a none >/dev/null 2>"$tmp/err"
check "3D after the pipeline: exit 1" test $? -eq 1
check "3D after the pipeline: says why" grep -q "sequence 0: .*2" "$tmp/err"
"$bin" summary "$data" -a 'bogus' >/dev/null 2>"$tmp/err"
check "bad pipeline: exit 2" test $? -eq 2
"$bin" summary "$data" --sort nope >/dev/null 2>"$tmp/err"
check "bad sort column: exit 2" test $? -eq 2
check "bad sort column named" grep -q "no column 'nope'" "$tmp/err"
"$bin" summary >/dev/null 2>&1
check "no file: exit 2" test $? -eq 2
"$bin" summary --help | grep -q "^usage: attrscope summary" && ok || bad "--help"

# A real fixture: granular IG through the default (vnorm) pipeline
out=$("$bin" summary "$fx/inseq/encdec_ig_granular.json" --json)
check "granular fixture" python3 -c '
import json,sys
d=json.loads(sys.stdin.read())
for s in d["sequences"]:
    assert all(0<=v<=1 for v in s["src_share_per_step"])
    assert s["gen_len"]==len(s["entropy_per_step"])
' <<<"$out"

echo "cli_summary: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
