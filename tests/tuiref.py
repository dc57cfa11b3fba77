"""Reference values for the terminal tests, straight from the fixtures.

  tuiref.py golden GOLDEN_JSON CASE PIPELINE SEQ FIELD [I [J]]
      a value of aggregations.json (None prints as NaN); FIELD is
      source_attributions, target_attributions, step_scores.NAME, or
      source/target (token text)
  tuiref.py raw FILE SEQ FIELD I J [K ...]
      an element of a v0.7 (safetensors base64) tensor of the file
  tuiref.py shape FILE SEQ FIELD
  tuiref.py cells < CAPTURE
      a `tmux capture-pane -e` screen as what is seen: per line, each cell's
      character with its foreground, background, bold, reverse..., blank cells in
      the default background at the end of a line left out (how a terminal
      got a cell - written, erased, moved - does not show)
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


def cells(text):
    out = []
    for line in text.split("\n"):
        fg, bg, bold = None, None, False
        attrs = set()   # underline, reverse and the like
        row = []
        i = 0
        while i < len(line):
            if line[i] == "\x1b" and line[i + 1:i + 2] == "[":
                j = i + 2
                while j < len(line) and not line[j].isalpha():
                    j += 1
                if line[j:j + 1] == "m":
                    codes = [int(c) if c else 0 for c in line[i + 2:j].split(";")]
                    k = 0
                    while k < len(codes):
                        c = codes[k]
                        if c == 0:
                            fg, bg, bold = None, None, False
                            attrs = set()
                        elif c == 1:
                            bold = True
                        elif c == 22:
                            bold = False
                            attrs.discard(2)
                        elif c in (2, 3, 4, 5, 7, 8, 9):
                            attrs.add(c)
                        elif c in (23, 24, 25, 27, 28, 29):
                            attrs.discard(c - 20)
                        elif 30 <= c <= 37 or 90 <= c <= 97:
                            fg = c
                        elif c == 39:
                            fg = None
                        elif 40 <= c <= 47 or 100 <= c <= 107:
                            bg = c
                        elif c == 49:
                            bg = None
                        elif c in (38, 48) and k + 1 < len(codes):
                            n = 3 if codes[k + 1] == 5 else 5
                            val = tuple(codes[k + 1:k + n])
                            if c == 38:
                                fg = val
                            else:
                                bg = val
                            k += n - 1
                        k += 1
                i = j + 1
                continue
            if line[i] == "\x1b":   # other escapes (charset selection)
                i += 3 if line[i + 1:i + 2] == "(" else 2
                continue
            blank = line[i] == " "
            row.append((line[i], None if blank else fg, bg, bold and not blank,
                        tuple(sorted(a for a in attrs if not blank or a in (4, 7, 9)))))
            i += 1
        while row and row[-1][0] == " " and row[-1][2] is None and not row[-1][4]:
            row.pop()
        out.append(repr(row))
    while out and out[-1] == "[]":
        out.pop()
    return "\n".join(out)


def main(argv):
    if argv[1] == "cells":
        print(cells(sys.stdin.read()))
        return
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
