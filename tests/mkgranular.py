"""Makes a decoder-only granular inseq v0.7 file of any size, for speed tests.

  mkgranular.py OUT [P G E]   target_attributions (P+G, G, E) float32,
                              default (400, 200, 1024): 491 MB of floats

Values are Gaussian, NaN where inseq puts NaN (row i >= P + column j);
a block of at most 4 MB of values is reused along the tensor so big files are quick
to make.  Do not commit the output."""
import base64, json, struct, random, sys, os
P, G, E = (int(x) for x in sys.argv[2:5]) if len(sys.argv) >= 5 else (400, 200, 1024)
T = P + G
out = sys.argv[1]
random.seed(1)
NB = min(1 << 20, 2 * G * E)
block = struct.pack('<%df' % NB, *[random.gauss(0, 1) for _ in range(NB)])
nan = struct.pack('<f', float('nan')) * (G * E)

def st_blob_chunks(shape, nbytes, body):
    hdr = json.dumps({"attribution": {"dtype": "F32", "shape": shape, "data_offsets": [0, nbytes]}},
                     separators=(',', ':')).encode()
    hdr += b' ' * ((8 - len(hdr) % 8) % 8)
    yield struct.pack('<Q', len(hdr)) + hdr
    yield from body

def b64_stream(chunks, f):
    rest = b''
    for c in chunks:
        c = rest + c
        k = len(c) - len(c) % 3
        f.write(base64.b64encode(c[:k]))
        rest = c[k:]
    f.write(base64.b64encode(rest))

def rows():
    for i in range(T):
        k = max(0, min(G, i - P + 1))
        need = (G - k) * E * 4
        off = (i * 7919 * 4) % (len(block) - need) if need else 0
        off -= off % 4
        yield nan[:k * E * 4] + block[off:off + need]

def small(vals):
    data = struct.pack('<%df' % len(vals), *vals)
    return b''.join(st_blob_chunks([len(vals)], len(data), [data]))

def tok(i):
    return {"__instance_type__": ["inseq.utils.typing", "TokenWithId"],
            "attributes": {"id": i, "token": "\u0120tok%d" % i}}

with open(out, 'wb') as f:
    seq_attrs = {
        "attr_pos_end": T, "attr_pos_start": P, "sequence_scores": {},
        "source": [tok(i) for i in range(P)],
        "source_attributions": None,
        "step_scores": {"entropy": base64.b64encode(small([random.random() * 3 for _ in range(G)])).decode(),
                        "probability": base64.b64encode(small([random.random() for _ in range(G)])).decode()},
        "target": [tok(i) for i in range(T)],
        "target_attributions": "@@BIG@@",
    }
    doc = {"__instance_type__": ["inseq.data.attribution", "FeatureAttributionOutput"],
           "attributes": {"info": {"attribution_method": "saliency", "model_name": "synthetic-big",
                                   "input_texts": ["big prompt"], "generated_texts": ["big output"]},
                          "sequence_attributions": [{"__instance_type__": ["inseq.data.attribution",
                                                     "GranularFeatureAttributionSequenceOutput"],
                                                     "attributes": seq_attrs}],
                          "step_attributions": None}}
    text = json.dumps(doc, indent=4, sort_keys=True)
    a, b = text.split('"@@BIG@@"')
    f.write(a.encode())
    f.write(b'"')
    b64_stream(st_blob_chunks([T, G, E], T * G * E * 4, rows()), f)
    f.write(b'"')
    f.write(b.encode())
