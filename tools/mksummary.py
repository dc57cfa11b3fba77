#!/usr/bin/env python3
"""Writes the small files of tests/data/summary/ (tools/mksummary.py [DIR]).

Hand-picked numbers whose summary figures (entropies, source shares, token
masses, position bins) are worked out by hand in tests/test_summary.c.
Deterministic: running it again gives the same bytes.
"""
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mkhostile import dumps, output, safetensors_b64, seq  # noqa: E402

NAN = math.nan
COARSE = "CoarseFeatureAttributionSequenceOutput"


def t(rows):
    return safetensors_b64([v for r in rows for v in r], (len(rows), len(rows[0])))


def v(values):
    return safetensors_b64(values, (len(values),))


def encdec():
    s0 = seq(COARSE, ["A", "B"], ["x", "y"],
             t([[1, -1], [3, 1]]), t([[NAN, 2], [NAN, NAN]]),
             {"probability": v([0.5, 0.25])})
    s1 = seq(COARSE, ["A"], ["x", "w", "z"],
             t([[0, 2, 0]]), t([[NAN, 1, 0], [NAN, NAN, 0], [NAN, NAN, NAN]]),
             {"probability": v([1, NAN, 0.5])})
    return output({"model_name": "test", "input_texts": ["A B", "A"],
                   "generated_texts": ["x y", "x w z"]}, [s0, s1])


def deconly():
    s0 = seq(COARSE, ["P", "Q"], ["P", "Q", "g"], None, t([[1], [-3], [NAN]]),
             {"entropy": v([2.0])}, start=2)
    return output({"model_name": "test", "input_texts": ["P Q"], "generated_texts": ["P Q g"]},
                  [s0])


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "summary")
    os.makedirs(d, exist_ok=True)
    for name, obj in (("a_encdec.json", encdec()), ("b_deconly.json", deconly())):
        with open(os.path.join(d, name), "w") as f:
            f.write(dumps(obj) + "\n")


if __name__ == "__main__":
    main()
