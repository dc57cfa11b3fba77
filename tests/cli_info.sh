#!/usr/bin/env bash
# attrscope info, --help, --version and error reporting, through the real binary.
# Usage: cli_info.sh ATTRSCOPE FIXTURES_DIR
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

out=$("$bin" info "$fx/inseq/encdec_ig_granular.json")
check "info shows the class" grep -q "sequence 1: GranularFeatureAttributionSequenceOutput" <<<"$out"
check "info shows shapes and dtypes" grep -q "source_attributions    (10, 11, 24) F32  \[Input Tokens, Generated Tokens, Embedding Dimension\]" <<<"$out"
check "info shows step scores" grep -q "step_scores            entropy (11,), probability (11,)" <<<"$out"
check "info shows the info object" grep -q 'model_name: "Helsinki-NLP/opus-mt-en-it"' <<<"$out"
check "info decodes sentencepiece tokens" grep -q "token text: sentencepiece" <<<"$out"

json=$("$bin" info --json "$fx/inseq/encdec_ig_granular_split_0.json" "$fx/inseq/encdec_ig_granular_split_1.json")
check "--json is valid JSON" python3 -c 'import json,sys; json.loads(sys.stdin.read())' <<<"$json"
check "--json merges split files" python3 -c '
import json,sys
d=json.loads(sys.stdin.read())
s=d["sequences"]
assert len(s)==2 and s[0]["source_attributions_shape"]==[10,11,24] and s[1]["target_attributions_shape"]==[10,10,24]
assert s[0]["source"][0]=="\u2581Hello" and s[1]["attr_pos_end"]==10 and s[0]["step_scores"]=={"entropy":11,"probability":11}
assert d["step_attributions"] is None and len(d["info"]["input_texts"])==2
assert s[0]["class"]=="GranularFeatureAttributionSequenceOutput" and s[0]["source_attributions_dtype"]=="F32"
' <<<"$json"
json=$("$bin" info --json "$fx/inseq/encdec_saliency_with_steps.json")
check "--json counts step outputs" python3 -c 'import json,sys; assert json.loads(sys.stdin.read())["step_attributions"]==4' <<<"$json"

# Pipes (process substitution, FIFOs) read as well as files, plain or gzip.
"$bin" info <(cat "$fx/inseq/encdec_ig_granular.json.gz") | grep -q "sequence 1: GranularFeatureAttributionSequenceOutput" && ok || bad "gzip from a pipe"
"$bin" info <(cat "$fx/inseq/v06_ig_granular.json") | grep -q "1 sequence" && ok || bad "plain from a pipe"

"$bin" --version | grep -q '^attrscope [0-9]' && ok || bad "--version"
"$bin" --help | grep -q 'attrscope info' && ok || bad "--help"

# Bad input: one clear line naming the file, exit 1.
err=$("$bin" info "$here/data/bad/tokens_mismatch.json" 2>&1 >/dev/null); rc=$?
[ $rc -eq 1 ] && ok || bad "bad file exits 1 (got $rc)"
[ "$err" = "attrscope: $here/data/bad/tokens_mismatch.json: sequence_attributions[1].source_attributions: shape (3, 2) does not match 4 source tokens x 2 generated tokens" ] && ok || bad "bad file message: $err"
err=$("$bin" info /nonexistent.json 2>&1 >/dev/null); rc=$?
[ $rc -eq 1 ] && [ "$err" = "attrscope: /nonexistent.json: cannot open: No such file or directory" ] && ok || bad "missing file: $rc $err"
"$bin" info >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] && ok || bad "info without files exits 2 (got $rc)"
"$bin" info --bogus x >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] && ok || bad "unknown option exits 2 (got $rc)"

# Control characters in the file never reach the output raw.
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
python3 - "$here/data/bad/ok_minimal.json" "$tmp/esc.json" <<'PY'
import json,sys
d=json.load(open(sys.argv[1]))
d["attributes"]["info"]["model_name"]="\x1b[2J\x1b]0;pwned\x07evil\u202e"
d["attributes"]["sequence_attributions"][0]["attributes"]["source"][0]["attributes"]["token"]="\x1b[31mred\r"
json.dump(d,open(sys.argv[2],"w"),indent=4,sort_keys=True)
PY
"$bin" info "$tmp/esc.json" >"$tmp/out.txt" 2>&1
if LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' "$tmp/out.txt"; then bad "raw control bytes in info output"; else ok; fi
check "escaped ESC shown" grep -q 'model_name: "\\x1b\[2J\\x1b\]0;pwned\\x07evil\\u202e"' "$tmp/out.txt"
"$bin" info --json "$tmp/esc.json" >"$tmp/out.json"
if LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' "$tmp/out.json"; then bad "raw control bytes in --json"; else ok; fi

# a directory is its regular .json / .json.gz files in name order, as in the
# explorer (the catalog lists them); other files and FIFOs are left out
mkdir -p "$tmp/run"
cp "$fx/inseq/encdec_ig_granular_split_1.json" "$fx/inseq/encdec_ig_granular_split_0.json" "$tmp/run/"
echo "not an attribution file" >"$tmp/run/notes.txt"
mkfifo "$tmp/run/pipe.json"
out=$(timeout 10 "$bin" info "$tmp/run")
check "info DIR lists the files in name order" grep -Pzq "split_0.json: 1 sequence\n.*split_1.json: 1 sequence" <<<"$out"
check "info DIR merges them as split files" grep -q "sequence 1: GranularFeatureAttributionSequenceOutput ($tmp/run/encdec_ig_granular_split_1.json)" <<<"$out"
check "info DIR leaves other files and FIFOs out" bash -c '! grep -q "notes.txt\|pipe.json" <<<"$1"' _ "$out"
mkdir -p "$tmp/empty"
err=$("$bin" info "$tmp/empty" 2>&1); rc=$?
check "info on an empty directory: exit 1 and why" test $rc -eq 1 -a "$err" = "attrscope: $tmp/empty: no .json or .json.gz files in this directory"

echo "cli_info: $pass passed, $fail failed"
[ $fail -eq 0 ]
