#!/usr/bin/env python3
"""Writes the hostile-content test files into tests/data/hostile/.

    tools/mkhostile.py [DIR]              the committed files (default tests/data/hostile)
    tools/mkhostile.py --bomb-text FILE   a ~1 MB gzip file that inflates to 1 GiB of
                                          white space between JSON values
    tools/mkhostile.py --bomb-list FILE   the same inside an __ndarray__ number list
    tools/mkhostile.py --marks FILE       a token "a" + 2^19 combining marks

Everything is deterministic: running it again gives the same bytes (gzip
headers carry no time stamp).  Files are written the way inseq writes them
(json indent=4, sort_keys, ensure_ascii, bare NaN/Infinity), with v0.7
safetensors tensors unless a case needs another encoding.  What each file
must do is checked by tests/test_hostile.c and tests/cli_hostile.sh; the
list is in tests/data/hostile/README.
"""
import base64
import gzip
import io
import json
import math
import os
import struct
import sys
import zlib

# ---- building blocks ------------------------------------------------------


def safetensors_b64(values, shape, header_override=None, length_override=None):
    """Base64 of a safetensors blob holding one F32 tensor named attribution."""
    data = struct.pack("<%df" % len(values), *values)
    header = header_override or {
        "attribution": {"dtype": "F32", "shape": list(shape), "data_offsets": [0, len(data)]}
    }
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    n = len(h) if length_override is None else length_override
    return base64.b64encode(struct.pack("<Q", n) + h + data).decode()


def tensor(fill, shape):
    """A row-major tensor of the given shape, fill(index tuple) -> float."""
    vals = []

    def rec(idx, d):
        if d == len(shape):
            vals.append(fill(tuple(idx)))
            return
        for i in range(shape[d]):
            rec(idx + [i], d + 1)

    rec([], 0)
    return safetensors_b64(vals, shape)


def tok(text, i):
    return {
        "__instance_type__": ["inseq.utils.typing", "TokenWithId"],
        "attributes": {"id": i, "token": text},
    }


def seq(cls, source, target, src_attr, tgt_attr, step_scores, start=0):
    return {
        "__instance_type__": ["inseq.data.attribution", cls],
        "attributes": {
            "attr_pos_end": len(target),
            "attr_pos_start": start,
            "sequence_scores": {},
            "source": [tok(t, i) for i, t in enumerate(source)] if source is not None else None,
            "source_attributions": src_attr,
            "step_scores": step_scores,
            "target": [tok(t, 100 + i) for i, t in enumerate(target)],
            "target_attributions": tgt_attr,
        },
    }


def output(info, seqs):
    return {
        "__instance_type__": ["inseq.data.attribution", "FeatureAttributionOutput"],
        "attributes": {"info": info, "sequence_attributions": seqs, "step_attributions": None},
    }


def dumps(obj):
    return json.dumps(obj, indent=4, sort_keys=True, ensure_ascii=True, allow_nan=True)


def gz(data, level=9):
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=level, mtime=0, filename="") as f:
        f.write(data)
    return buf.getvalue()


def coarse(source, target, info, step_scores=None, fill=None):
    """An encoder-decoder coarse (2D) sequence: (S, T) and (T, T)."""
    S, T = len(source), len(target)
    fill = fill or (lambda i, j: ((i * 7 + j * 3) % 10) / 10.0 - 0.3)
    src = tensor(lambda ix: fill(ix[0], ix[1]), (S, T))
    tgt = tensor(lambda ix: float("nan") if ix[0] >= ix[1] else fill(ix[0] + S, ix[1]), (T, T))
    scores = step_scores or {"probability": tensor(lambda ix: 0.25 + 0.5 * (ix[0] % 2), (T,))}
    return output(info, [seq("CoarseFeatureAttributionSequenceOutput", source, target, src, tgt,
                             scores)])


# ---- the files ---------------------------------------------------------------

LONG_TOKEN = "".join("abcdefghij"[i % 10] for i in range(10000))

CONTROL_SOURCE = [
    "\u2581plain",
    "\x1b[2J",                      # clear screen
    "\x1b]0;title\x07",             # OSC: set the terminal title
    "bell\x07",
    "nul\x00byte",                  # stored as \u0000
    "cr\rover",
    "tab\there",
    "new\nline",
    "\u202eevil",                   # right-to-left override
    "a\u200db",                     # zero-width joiner
    "e\u0301",                      # e + combining acute
    "\u0301",                       # a lone combining mark
    "\u2066iso\u2069",              # bidi isolates
    "del\x7f",
    "c1\u009bcsi",                  # C1 control (CSI)
    LONG_TOKEN,
    "\U0001F469\u200d\U0001F4BB",   # woman technologist (ZWJ sequence)
    "\U0001F600",
    "\u4f60\u597d",                 # CJK
]
CONTROL_TARGET = ["\u2581Ciao", "\x1b[31mred\x1b[0m", "\u202e", "\U0001F600", "</s>"]


def tokens_control():
    info = {
        "attribution_method": "saliency\x1b[2J",
        "generated_texts": ["Ciao \x1b]0;pwned\x07 \U0001F600"],
        "input_texts": ["plain \x1b[2J text\r\n\u202eevil \x00 nul"],
        "model_name": "\x1b]0;title\x07model\u202e",
        "key\x1b[5mblink": "value\ttab",
    }
    return dumps(coarse(CONTROL_SOURCE, CONTROL_TARGET, info))


HTML_SOURCE = [
    "<script>alert(1)</script>",
    "\"onmouseover=alert(2) x=\"",
    "</script><!--",
    "'><img src=x onerror=alert(3)>",
    "&lt;&amp;",
    "\u2028sep",
    "javascript:alert(4)",
]
HTML_TARGET = ["<b>bold</b>", "\"onmouseover=alert(5) x=\"", "</script><!--<script>alert(6)</script>"]


def html_payloads():
    info = {
        "attribution_method": "\"onmouseover=alert(7) x=\"",
        "generated_texts": ["</script><!--<script>alert(8)</script>"],
        "input_texts": ["<script>alert(9)</script>"],
        "model_name": "</script><!--<script>alert(10)</script>",
        "<img src=x onerror=alert(11)>": "key",
    }
    T = len(HTML_TARGET)
    scores = {
        "probability": tensor(lambda ix: 0.5, (T,)),
        "<img src=x onerror=alert(12)>": tensor(lambda ix: 0.75, (T,)),
    }
    return dumps(coarse(HTML_SOURCE, HTML_TARGET, info, scores))


def numbers():
    """Five granular sequences (3 source, 2 target tokens, 4 embedding
    dimensions): all NaN, all zeros, +-Infinity, denormals, huge values."""
    S, T, E = 3, 2, 4
    src_tok = ["\u2581a", "\u2581b", "</s>"]
    tgt_tok = ["\u2581x", "</s>"]
    nan, inf = float("nan"), float("inf")
    cases = [
        ("all NaN", lambda i, j, e: nan),
        ("all zeros", lambda i, j, e: 0.0),
        # column 0: an infinite entry in two rows; column 1: finite
        ("infinities", lambda i, j, e: (inf if i == 0 else -inf) if (j == 0 and e == 0 and i < 2)
         else float(i + e + 1)),
        ("denormals", lambda i, j, e: 1e-40),
        # row 2 overflows float32 in the vector norm
        ("huge", lambda i, j, e: 3.0e38 if i == 2 else 1e38),
    ]
    seqs = []
    for name, f in cases:
        src = tensor(lambda ix: f(ix[0], ix[1], ix[2]), (S, T, E))
        tgt = tensor(lambda ix: nan if ix[0] >= ix[1] else f(ix[0], ix[1], ix[2]), (T, T, E))
        if name == "all NaN":
            prob = tensor(lambda ix: nan, (T,))
        elif name == "infinities":
            prob = tensor(lambda ix: inf if ix[0] == 0 else -inf, (T,))
        else:
            prob = tensor(lambda ix: f(0, ix[0], 0), (T,))
        seqs.append(seq("GranularFeatureAttributionSequenceOutput", src_tok, tgt_tok, src, tgt,
                        {"probability": prob}))
    info = {"cases": [c[0] for c in cases], "nan": nan, "inf": inf, "ninf": -inf,
            "tiny": 1e-320, "huge": 1e308}
    return dumps(output(info, seqs))


def minimal(info=None):
    return coarse(["\u2581a", "\u2581b"], ["\u2581x", "</s>"], info or {"model_name": "m"})


def deep_nesting():
    # 100,000 nested lists inside info: a clear error, no stack overflow.
    text = dumps(minimal())
    inner = "[" * 100000 + "]" * 100000
    text = text.replace('"model_name": "m"', '"model_name": "m", "deep": ' + inner, 1)
    return gz(text.encode())


def st_huge_header():
    d = minimal()
    a = d["attributes"]["sequence_attributions"][0]["attributes"]
    a["source_attributions"] = safetensors_b64([0.0] * 4, (2, 2), length_override=(1 << 64) - 16)
    return dumps(d)


def st_huge_offsets():
    d = minimal()
    a = d["attributes"]["sequence_attributions"][0]["attributes"]
    hdr = {"attribution": {"dtype": "F32", "shape": [1 << 31, 1 << 31],
                           "data_offsets": [0, (1 << 63) - 1]}}
    a["source_attributions"] = safetensors_b64([0.0] * 4, (2, 2), header_override=hdr)
    return dumps(d)


def ndarray(data, shape, dtype="float32"):
    return {"Corder": True, "__ndarray__": data, "dtype": dtype, "shape": shape}


def b64_huge_shape():
    # A v0.6 tensor whose shape claims 2 GiB, holding 16 bytes.
    d = minimal()
    a = d["attributes"]["sequence_attributions"][0]["attributes"]
    raw = struct.pack("<4f", 1, 2, 3, 4)
    a["source_attributions"] = ndarray("b64:" + base64.b64encode(raw).decode(), [1 << 29, 1])
    return dumps(d)


def b64gz_huge_shape():
    # The same with b64.gz: a few hundred compressed bytes claiming 2 GiB.
    d = minimal()
    a = d["attributes"]["sequence_attributions"][0]["attributes"]
    raw = gz(b"\0" * 65536)
    a["source_attributions"] = ndarray("b64.gz:" + base64.b64encode(raw).decode(), [1 << 29, 1])
    return dumps(d)


def duplicate_keys():
    text = dumps(minimal())
    # A second "source" key in the sequence attributes.
    return text.replace('"source": [', '"source": [], "source": [', 1)


def trailing_garbage():
    return gz(dumps(minimal()).encode()) + b"garbage after the stream\n"


def two_members():
    text = dumps(minimal()).encode()
    half = len(text) // 2
    return gz(text[:half]) + gz(text[half:])


def names_control():
    # Control characters in every other string a file holds: the class and
    # module names of a sequence, step and sequence score names.
    d = minimal({"model_name": "m", "\x1b]52;c;cHduZWQ=\x07": "\x9b2J"})
    s = d["attributes"]["sequence_attributions"][0]
    s["__instance_type__"] = ["inseq\x1b]2;module\x07",
                              "Coarse\x1b]52;c;cHduZWQ=\x07\x1b[2J\u009b1m\u202eX"]
    a = s["attributes"]
    a["step_scores"]["\x1b]0;step\x07p\u009b"] = a["step_scores"]["probability"]
    a["sequence_scores"] = {"\x1b[2Jseq\u202e": tensor(lambda ix: 1.0, (2,))}
    return dumps(d)


FORMULA_SOURCE = ["=HYPERLINK(\"http://example.com/\",\"click\")", "+1+2", "-3", "@SUM(A1:A2)",
                  "\tTAB", "\rCR", "-", "plain", "a=b"]


def csv_formula():
    # Tokens a spreadsheet would run as formulas when read from a CSV.
    return dumps(coarse(FORMULA_SOURCE, ["=1+1", "\u2581ok"], {"model_name": "m"}))


def python_only():
    # What Python's json reads and jansson refuses: lone surrogates in
    # tokens and info, \u0000 in object keys (a step-score name, an info key).
    d = minimal({"model_name": "m", "k\x00ey": "v\udc00", "pair": "\U0001F600"})
    a = d["attributes"]["sequence_attributions"][0]["attributes"]
    a["source"][0]["attributes"]["token"] = "\ud800lone"
    a["source"][1]["attributes"]["token"] = "x\udfff"
    a["step_scores"]["pro\x00b"] = a["step_scores"]["probability"]
    return dumps(d)


FILES = {
    "names_control.json": names_control,
    "python_only.json": python_only,
    "csv_formula.json": csv_formula,
    "tokens_control.json": tokens_control,
    "html_payloads.json": html_payloads,
    "numbers.json": numbers,
    "deep_nesting.json.gz": deep_nesting,
    "st_huge_header.json": st_huge_header,
    "st_huge_offsets.json": st_huge_offsets,
    "b64_huge_shape.json": b64_huge_shape,
    "b64gz_huge_shape.json": b64gz_huge_shape,
    "duplicate_keys.json": duplicate_keys,
    "trailing_garbage.json.gz": trailing_garbage,
    "two_members.json.gz": two_members,
}

# ---- gzip bombs (generated when needed, not committed) ----------------------

BOMB_MEMBER = 64 << 20   # bytes of white space per gzip member
BOMB_MEMBERS = 16        # 1 GiB in all


def bomb(path, inside_list):
    # White space where a value of info is expected, or inside an
    # __ndarray__ number list (which keeps no text).  With enough memory the
    # file loads.
    if inside_list:
        head = '{"sequence_attributions": [], "info": {"x": {"__ndarray__": [1,'
        tail = '2], "dtype": "float32", "shape": [2]}}}\n'
    else:
        head = '{"sequence_attributions": [], "info": {"x": '
        tail = '0}}\n'
    member = zlib.compressobj(9, zlib.DEFLATED, 31)
    body = member.compress(b" " * BOMB_MEMBER) + member.flush()
    with open(path, "wb") as f:
        f.write(gz(head.encode()))
        for _ in range(BOMB_MEMBERS):
            f.write(body)
        f.write(gz(tail.encode()))


def marks(path):
    # A token "a" followed by 2^19 combining acute accents (1 MB of text that
    # takes one column), beside plain tokens.
    text = coarse(["a" + "\u0301" * (1 << 19), "\u2581b"], ["\u2581x", "</s>"], {"model_name": "m"})
    with open(path, "w") as f:
        f.write(dumps(text))


def main(argv):
    if len(argv) == 3 and argv[1] in ("--bomb-text", "--bomb-list"):
        bomb(argv[2], argv[1] == "--bomb-list")
        return 0
    if len(argv) == 3 and argv[1] == "--marks":
        marks(argv[2])
        return 0
    if len(argv) > 2 or (len(argv) == 2 and argv[1].startswith("-")):
        print(__doc__, file=sys.stderr)
        return 2
    out = argv[1] if len(argv) == 2 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "hostile")
    os.makedirs(out, exist_ok=True)
    for name, make in FILES.items():
        data = make()
        if isinstance(data, str):
            data = data.encode()
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
