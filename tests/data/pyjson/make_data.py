"""Regenerates the expected outputs of the Python-compatible JSON writer.

floats.txt: one double per line, "<IEEE-754 bits as 16 hex digits> <repr(float)>".
cases/*.in.json: inputs; cases/*.out.json: json.dumps(json.loads(input), indent=4,
sort_keys=True, ensure_ascii=True, allow_nan=True) of each.
Run from this directory with any Python 3.
"""
import json
import math
import random
import struct


def bits(x):
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def floats():
    rnd = random.Random(20240607)
    vals = [0.1, 0.2, 0.3, 1 / 3, 2 / 3, 1.2345, 100.0, 1e16, 1e15, 1e17, 123456789012345.0,
            1234567890123456.0, 12345678901234567.0, 9999999999999998.0, 1e-4, 1e-5, 0.00012345,
            0.000099999, 5e-324, 2.2250738585072014e-308, 2.225073858507201e-308,
            1.7976931348623157e308, 1e22, 1e23, 9007199254740993.0, 0.5, 1.5, 2.5, 1e-7,
            4.35, 0.015625, 3.14159265358979]
    vals += [math.ldexp(1.0, k) for k in range(-1074, 1024)]
    vals += [math.ldexp(1.0, k) * 3 for k in range(-1074, 1022)]
    vals += [10.0 ** k for k in range(-323, 309)]
    vals += [float(f"1e{k}") for k in range(-323, 309)]
    while len(vals) < 8000:
        x = struct.unpack("<d", struct.pack("<Q", rnd.getrandbits(64)))[0]
        if math.isfinite(x):
            vals.append(x)
    for _ in range(1500):
        vals.append(rnd.uniform(-10, 10))
        vals.append(struct.unpack("<f", struct.pack("<f", rnd.gauss(0, 1)))[0])
        vals.append(rnd.randint(-10**6, 10**6) / 10 ** rnd.randint(0, 8))
    vals += [-v for v in vals[:200]]
    with open("floats.txt", "w") as f:
        for v in vals:
            f.write(f"{bits(v):016x} {repr(v)}\n")


if __name__ == "__main__":
    floats()
    import glob
    for path in sorted(glob.glob("cases/*.in.json")):
        with open(path) as f:
            obj = json.load(f)
        with open(path.replace(".in.json", ".out.json"), "w") as f:
            json.dump(obj, f, indent=4, sort_keys=True, ensure_ascii=True, allow_nan=True)
