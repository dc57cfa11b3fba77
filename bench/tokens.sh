#!/usr/bin/env bash
# Token-heavy files: one sequence with 10^6 source tokens (about 120 MB of
# JSON, tensors tiny) against a tensor-heavy file of the same size, through
# `attrscope info` and `attrscope export -o x.csv`.  Prints seconds and peak
# RSS of each.  Target: a token-heavy file costs at most 2x the time of the
# same-size tensor-heavy file, and its token metadata O(bytes of token text)
# (peak RSS at most about 2x the file).
# Usage: bench/tokens.sh [BUILD_DIR] [WORK_DIR] [TOKENS]
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
work=${2:-${TMPDIR:-/tmp}/attrscope-bench}
ntok=${3:-1000000}
mkdir -p "$work"
bin=$build/attrscope
tok=$work/tokens_$ntok.json
ten=$work/tensors_$ntok.json

if [ ! -s "$tok" ]; then
  python3 - "$tok" "$ntok" <<'PY'
import base64, json, struct, sys
path, n = sys.argv[1], int(sys.argv[2])
T = 2
def st(vals, shape):
    data = struct.pack("<%df" % len(vals), *vals)
    h = json.dumps({"attribution": {"dtype": "F32", "shape": list(shape),
                                    "data_offsets": [0, len(data)]}}, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    return base64.b64encode(struct.pack("<Q", len(h)) + h + data).decode()
def tok(t, i):
    return {"__instance_type__": ["inseq.utils.typing", "TokenWithId"], "attributes": {"id": i, "token": t}}
with open(path, "w") as f:
    # written piecewise, in inseq's layout (indent 4, sorted keys)
    f.write('{\n    "__instance_type__": [\n        "inseq.data.attribution",\n        "FeatureAttributionOutput"\n    ],\n')
    f.write('    "attributes": {\n        "info": {},\n        "sequence_attributions": [\n            {\n')
    f.write('                "__instance_type__": ["inseq.data.attribution", "CoarseFeatureAttributionSequenceOutput"],\n')
    f.write('                "attributes": {\n                    "attr_pos_end": %d,\n                    "attr_pos_start": 0,\n' % T)
    f.write('                    "sequence_scores": {},\n                    "source": [\n')
    for i in range(n):
        f.write("                        " + json.dumps(tok("\u2581w%d" % (i % 50000), i)) + (",\n" if i + 1 < n else "\n"))
    f.write('                    ],\n')
    f.write('                    "source_attributions": "%s",\n' % st([0.5] * (n * T), (n, T)))
    f.write('                    "step_scores": {},\n')
    f.write('                    "target": [%s],\n' % ", ".join(json.dumps(tok(t, 100 + i)) for i, t in enumerate(["\u2581x", "</s>"])))
    f.write('                    "target_attributions": null\n                }\n            }\n        ],\n')
    f.write('        "step_attributions": null\n    }\n}\n')
PY
fi
size=$(stat -c %s "$tok")
if [ ! -s "$ten" ]; then
  # the same size in tensor data: (S, T) source attributions with S ~ size / 12
  s=$((size / 800))   # gen writes about 12.5 bytes per value
  "$build/gen" "$ten" --encoder-decoder --src "$s" --tgt 64 --dim 1 --no-sync --force >/dev/null
fi
run() { # label, command...
  local label=$1 out
  shift
  /usr/bin/time -o "$work/time.txt" -f '%e %M' "$@" >/dev/null 2>&1 || true
  out=$(tail -1 "$work/time.txt")
  last_s=${out% *}
  last_mb=$(( ${out#* } / 1024 ))
  printf '%-34s %6.2f s  %7.0f MB peak RSS\n' "$label" "$last_s" "$last_mb"
}
printf '%s: %.0f MB (%d tokens); %s: %.0f MB\n' "$(basename "$tok")" "$(echo "$size / 1048576" | bc -l)" "$ntok" \
  "$(basename "$ten")" "$(echo "$(stat -c %s "$ten") / 1048576" | bc -l)"
run "info, token-heavy" "$bin" info "$tok"
tok_s=$last_s tok_mb=$last_mb
run "info, tensor-heavy" "$bin" info "$ten"
ten_s=$last_s
run "export csv, token-heavy" "$bin" export "$tok" -o "$work/tok.csv" --force
run "export csv, tensor-heavy" "$bin" export "$ten" -o "$work/ten.csv" --force
# The targets, on `info`: time at most 2x the tensor-heavy file's, peak RSS
# at most 2x the token-heavy file.
file_mb=$((size / 1048576))
verdict=$(echo "$tok_s <= 2 * $ten_s + 0.05 && $tok_mb <= 2 * $file_mb" | bc)
printf 'token-heavy info: %.2fx the time of the tensor-heavy file, peak RSS %.2fx its file: %s\n' \
  "$(echo "$tok_s / ($ten_s + 0.001)" | bc -l)" "$(echo "$tok_mb / $file_mb" | bc -l)" \
  "$([ "$verdict" = 1 ] && echo "target met" || echo "TARGET MISSED")"
