"""Writes tests/data/compare/metrics.json: vectors and the agreement metrics
expected for them, computed here from the definitions (written into the file)
with plain Python, independently of model/compare.c.

  python3 tests/mkcompare.py tests/data/compare/metrics.json

tests/cli_compare.sh imports metrics() from here to check the command on real
files.
Values are dyadic (exact in float32).  null stands for NaN, in vectors and
in expected values."""
import json, math, sys
from fractions import Fraction
from itertools import combinations

DEFINITIONS = {
    "cells": "a position is used only when both a[i] and b[i] are finite (not null); n = positions used",
    "importance": "|value|; top-k = positions sorted by (-|value|, position), first k",
    "k": "k used = min(k asked, n)",
    "feature_agreement": "|topk(a) & topk(b)| / k",
    "rank_agreement": "#{r < k : topk(a)[r] == topk(b)[r]} / k",
    "sign_agreement": "#{t in topk(a) & topk(b) : sign(a_t) == sign(b_t)} / k, sign in {-1, 0, 1}",
    "signed_rank_agreement": "#{r < k : topk(a)[r] == topk(b)[r] and signs equal} / k",
    "rank_correlation": "Pearson r of the average ranks of |a| and |b| (scipy.stats.spearmanr); null when n < 2 or a side is constant",
    "pairwise_rank_agreement": "over pairs s < t: share with sign(|a_s|-|a_t|) == sign(|b_s|-|b_t|); null when n < 2",
    "pearson": "Pearson r of a and b (scipy.stats.pearsonr); null when n < 2 or a side is constant",
}

def sign(v):
    return (v > 0) - (v < 0)

def ranks(v):
    # average rank: (number smaller) + (number equal + 1) / 2, 1-based
    return [sum(1 for y in v if y < x) + (sum(1 for y in v if y == x) + 1) / 2 for x in v]

def pearson(x, y):
    n = len(x)
    if n < 2:
        return None
    mx, my = math.fsum(x) / n, math.fsum(y) / n
    sxx = math.fsum((u - mx) ** 2 for u in x)
    syy = math.fsum((v - my) ** 2 for v in y)
    if sxx == 0 or syy == 0:
        return None
    return math.fsum((u - mx) * (v - my) for u, v in zip(x, y)) / math.sqrt(sxx * syy)

def metrics(a, b, k):
    keep = [(x, y) for x, y in zip(a, b) if x is not None and y is not None]
    n = len(keep)
    if n == 0:
        return {"n": 0, "k": 0, **{m: None for m in DEFINITIONS if m not in ("cells", "importance", "k")}}
    a = [x for x, _ in keep]
    b = [y for _, y in keep]
    k = min(k, n)
    ta = sorted(range(n), key=lambda i: (-abs(a[i]), i))[:k]
    tb = sorted(range(n), key=lambda i: (-abs(b[i]), i))[:k]
    common = set(ta) & set(tb)
    out = {
        "n": n, "k": k,
        "feature_agreement": float(Fraction(len(common), k)),
        "rank_agreement": float(Fraction(sum(ta[r] == tb[r] for r in range(k)), k)),
        "sign_agreement": float(Fraction(sum(sign(a[t]) == sign(b[t]) for t in common), k)),
        "signed_rank_agreement": float(Fraction(
            sum(ta[r] == tb[r] and sign(a[ta[r]]) == sign(b[ta[r]]) for r in range(k)), k)),
    }
    aa, ab = [abs(x) for x in a], [abs(y) for y in b]
    out["rank_correlation"] = pearson(ranks(aa), ranks(ab)) if n >= 2 else None
    pairs = list(combinations(range(n), 2))
    out["pairwise_rank_agreement"] = (
        float(Fraction(sum(sign(aa[s] - aa[t]) == sign(ab[s] - ab[t]) for s, t in pairs), len(pairs)))
        if pairs else None)
    out["pearson"] = pearson(a, b)
    return out

CASES = [
    ("no ties", [0.5, -0.375, 0.125, 0.0625, -0.75, 0.25],
                [0.5, 0.4375, -0.125, 0.0, -0.875, 0.1875], 3),
    ("ties in |value|, broken by position", [1.0, -1.0, 0.5, 0.5, 0.0],
                [1.0, 0.5, 1.0, -0.5, 0.0], 2),
    ("NaN cells left out, k shrinks", [0.25, None, -0.125, 0.0625, None],
                [0.125, 0.5, -0.25, None, None], 5),
    ("fewer tokens than k", [0.5, 0.25, -0.125], [0.25, 0.5, 0.125], 5),
    ("a constant side", [0.25, 0.25, 0.25, 0.25], [0.125, 0.375, 0.25, 0.0], 2),
    ("one token", [0.5], [-0.25], 5),
    ("all NaN", [None, None], [0.5, None], 5),
    ("identical", [0.0625, -0.5, 0.25, 0.125], [0.0625, -0.5, 0.25, 0.125], 2),
    ("reversed order, k = 1", [0.0625, 0.125, 0.25, 0.5], [0.5, 0.25, 0.125, 0.0625], 1),
]

# A sequence: source (S, G) and target (T, G) maps per side (target NaN where
# a step cannot attend, i >= j); column j compares source rows then target
# rows; the mean is per metric over the columns where it is defined.
SEQ = {
    "name": "encoder-decoder, 3 source tokens, 3 generated",
    "k": 2,
    "a_source": [[0.5, -0.25, 0.125], [0.25, 0.5, -0.0625], [-0.125, 0.0625, 0.25]],
    "a_target": [[None, 0.375, 0.25], [None, None, -0.5], [None, None, None]],
    "b_source": [[0.25, 0.25, 0.0625], [0.5, -0.5, 0.125], [0.0, 0.125, 0.25]],
    "b_target": [[None, 0.125, -0.25], [None, None, 0.5], [None, None, None]],
}

def column(m, j):
    return [row[j] for row in m]

def seq_expected(sq):
    cols = []
    for j in range(3):
        va = column(sq["a_source"], j) + column(sq["a_target"], j)
        vb = column(sq["b_source"], j) + column(sq["b_target"], j)
        cols.append(metrics(va, vb, sq["k"]))
    mean = {}
    for m in cols[0]:
        if m in ("n", "k"):
            continue
        vals = [c[m] for c in cols if c[m] is not None]
        mean[m] = math.fsum(vals) / len(vals) if vals else None
    return {"columns": cols, "mean": mean}

SEQ["expected"] = seq_expected(SEQ)

if __name__ == "__main__":
    doc = {
        "about": "Agreement metrics of compare (Krishna et al. 2022) per vector pair, computed by tests/mkcompare.py",
        "definitions": DEFINITIONS,
        "sequence": SEQ,
        "cases": [{"name": n, "a": a, "b": b, "k": k, "expected": metrics(a, b, k)} for n, a, b, k in CASES],
    }
    # one case worked by hand, as a check of the script itself
    e = doc["cases"][0]["expected"]
    # |a| order: 4(0.75) 0(0.5) 1(0.375); |b| order: 4(0.875) 0(0.5) 1(0.4375)
    assert e["feature_agreement"] == 1 and e["rank_agreement"] == 1
    # signs: 4 (-,-) 0 (+,+) 1 (-,+): 2 of 3 agree
    assert e["sign_agreement"] == 2 / 3 and e["signed_rank_agreement"] == 2 / 3
    with open(sys.argv[1], "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
