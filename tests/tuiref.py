"""Reference values for the terminal tests, straight from the fixtures.

  tuiref.py golden GOLDEN_JSON CASE PIPELINE SEQ FIELD [I [J]]
      a value of aggregations.json (None prints as NaN); FIELD is
      source_attributions, target_attributions, step_scores.NAME, or
      source/target (token text)
  tuiref.py raw FILE SEQ FIELD I J [K ...]
      an element of a v0.7 (safetensors base64) tensor of the file
  tuiref.py shape FILE SEQ FIELD
"""
import base64
import json
import math
import struct
import sys


def fmt(v):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "NaN"
    return repr(float(v)) if not isinstance(v, str) else v


def tensor(doc, seq, field):
    s = doc["attributes"]["sequence_attributions"][seq]["attributes"]
    blob = base64.b64decode(s[field])
    n = struct.unpack("<Q", blob[:8])[0]
    head = json.loads(blob[8:8 + n])["attribution"]
    assert head["dtype"] == "F32", head["dtype"]
    a, b = head["data_offsets"]
    data = blob[8 + n + a:8 + n + b]
    return head["shape"], data


def main(argv):
    if argv[1] == "golden":
        g = json.load(open(argv[2]))[argv[3]][argv[4]][int(argv[5])]
        field = argv[6]
        if field.startswith("step_scores."):
            v = g["step_scores"][field.split(".", 1)[1]][int(argv[7])]
        elif field in ("source", "target"):
            v = g[field][int(argv[7])]
        else:
            v = g[field]
            for ix in argv[7:]:
                v = v[int(ix)]
        print(fmt(v))
    elif argv[1] in ("raw", "shape"):
        doc = json.load(open(argv[2]))
        shape, data = tensor(doc, int(argv[3]), argv[4])
        if argv[1] == "shape":
            print(" ".join(map(str, shape)))
            return
        idx = [int(x) for x in argv[5:]]
        off = 0
        for d, i in enumerate(idx):
            off = off * shape[d] + i
        (v,) = struct.unpack("<f", data[off * 4:off * 4 + 4])
        print(fmt(v))


if __name__ == "__main__":
    main(sys.argv)
