#!/usr/bin/env bash
# attrscope save through the real binary: byte-identical re-saves, merging,
# aggregation, precisions, split, and write safety.
# Usage: cli_save.sh ATTRSCOPE FIXTURES_DIR
set -u
bin=$1 fx=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# Re-saving an unchanged v0.7 float32 file gives inseq's bytes back.
for f in encdec_ig_granular deconly_saliency_granular deconly_attention_multidim \
         encdec_occlusion_coarse encdec_base_sourceonly encdec_pair_coarse encdec_saliency_with_steps; do
  "$bin" save --no-sync "$fx/inseq/$f.json" -o "$tmp/$f.json" && cmp -s "$tmp/$f.json" "$fx/inseq/$f.json" \
    && ok || bad "re-save of $f is not byte-identical"
done
# float16 and split re-saves too; parts merge back into the whole file.
"$bin" save "$fx/inseq/encdec_ig_granular.json" --precision float16 -o "$tmp/f16.json" && \
  cmp -s "$tmp/f16.json" "$fx/inseq/encdec_ig_granular_f16.json" && ok || bad "float16 re-save"
"$bin" save "$fx/inseq/encdec_ig_granular.json" --split -o "$tmp/sp.json" && \
  cmp -s "$tmp/sp_0.json" "$fx/inseq/encdec_ig_granular_split_0.json" && \
  cmp -s "$tmp/sp_1.json" "$fx/inseq/encdec_ig_granular_split_1.json" && ok || bad "split re-save"
"$bin" save "$fx/inseq/encdec_ig_granular_split_0.json" "$fx/inseq/encdec_ig_granular_split_1.json" -o "$tmp/merged.json" && \
  cmp -s "$tmp/merged.json" "$fx/inseq/encdec_ig_granular.json" && ok || bad "merged parts"
# gzip: a .gz name compresses; the content loads back equal.
"$bin" save "$fx/inseq/encdec_ig_granular.json" -o "$tmp/z.json.gz" && \
  [ "$(head -c2 "$tmp/z.json.gz" | od -An -tx1 | tr -d ' ')" = 1f8b ] && \
  gzip -dc "$tmp/z.json.gz" | cmp -s - "$fx/inseq/encdec_ig_granular.json" && ok || bad "gzip save"
# Aggregated results are saved as coarse sequences with the golden numbers.
"$bin" save "$fx/inseq/encdec_ig_granular.json" -a default --seq 1 -o "$tmp/agg.json" || bad "aggregated save"
"$bin" info --json "$tmp/agg.json" >"$tmp/agg.info"
python3 - "$tmp/agg.info" <<'PY' && ok || bad "aggregated class and info"
import json,sys
d=json.load(open(sys.argv[1]))
s=d["sequences"]
assert len(s)==1 and s[0]["class"]=="CoarseFeatureAttributionSequenceOutput", s
assert s[0]["source_attributions_shape"]==[9,10] and len(d["info"]["input_texts"])==1
assert d["info"]["input_texts"][0].startswith("The library")
PY
"$bin" export "$tmp/agg.json" -o "$tmp/agg_export.json" && python3 - "$tmp/agg_export.json" "$fx/golden/aggregations.json" <<'PY' && ok || bad "aggregated values"
import json,sys
got=json.load(open(sys.argv[1]))["sequences"][0]
want=json.load(open(sys.argv[2]))["encdec_ig_granular"]["default"][1]
for k in ("source_attributions","target_attributions"):
    for gr,wr in zip(got[k],want[k]):
        for g,w in zip(gr,wr):
            assert (g is None and w is None) or abs(g-w)<1e-5, (k,g,w)
PY
# Files that inseq would refuse to merge are refused, naming the field.
"$bin" save "$fx/inseq/encdec_ig_granular.json" "$fx/inseq/deconly_saliency_granular.json" -o "$tmp/mix.json" 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] && grep -q "info.attribution_method differs" "$tmp/err" && [ ! -e "$tmp/mix.json" ] && ok || bad "mismatched merge ($rc)"
# Never overwrite without --force.
echo keep >"$tmp/k.json"
"$bin" save "$fx/inseq/encdec_occlusion_coarse.json" -o "$tmp/k.json" 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && [ "$(cat "$tmp/k.json")" = keep ] && grep -q "already exists" "$tmp/err" && ok || bad "overwrite refused ($rc)"
"$bin" save "$fx/inseq/encdec_occlusion_coarse.json" -o "$tmp/k.json" --force && cmp -s "$tmp/k.json" "$fx/inseq/encdec_occlusion_coarse.json" && ok || bad "--force"
# A file size limit: a clear error, the original intact, no temporary file.
cp "$fx/inseq/encdec_occlusion_coarse.json" "$tmp/limit.json"
( ulimit -f 4; "$bin" save "$fx/inseq/encdec_ig_granular.json" -o "$tmp/limit.json" --force 2>"$tmp/err" ); rc=$?
[ $rc -ne 0 ] && grep -qi "too large" "$tmp/err" && cmp -s "$tmp/limit.json" "$fx/inseq/encdec_occlusion_coarse.json" && \
  [ -z "$(ls -A "$tmp" | grep '^\.attrscope')" ] && ok || bad "file size limit ($rc): $(cat "$tmp/err")"
# Usage errors.
"$bin" save "$fx/inseq/encdec_ig_granular.json" -o "$tmp/p.json" --precision float12 2>/dev/null; [ $? -eq 2 ] && ok || bad "bad precision"
"$bin" save "$fx/inseq/encdec_ig_granular.json" 2>/dev/null; [ $? -eq 2 ] && ok || bad "missing -o"

echo "cli_save: $pass passed, $fail failed"
[ $fail -eq 0 ]
