"""Shared by the Python peers: the bench configs, the synthetic data and the result line.

Mirrors bench/config.go and bench/data.go; bench/peers/check_data.py (run by the Go tests when the bench venv
exists) checks that the batches are the same bytes as Go's.
"""
import json
import os
import sys
import time

CONFIGS = {
    "S": dict(name="S", vocab=64, embed=64, hidden=128, attention=128, batch=64, source=24, target=24, decode=24, beam=5),
    "L": dict(name="L", vocab=8000, embed=256, hidden=512, attention=512, batch=64, source=32, target=32, decode=24, beam=5),
}

PAD, BOS, EOS = 0, 1, 2


def data(c, n, seed):
    """n batches of the reversal task as lists of int rows (see bench.Data): src, tgt_in, tgt_out."""
    state = seed & 0xFFFFFFFF
    B, S, T, V = c["batch"], c["source"], c["target"], c["vocab"]
    out = []
    for _ in range(n):
        src, tin, tout = [], [], []
        for _ in range(B):
            row = []
            for _ in range(S - 1):
                state = (state * 1664525 + 1013904223) & 0xFFFFFFFF
                row.append(4 + (state >> 8) % (V - 4))
            row.append(EOS)
            o = [row[S - 2 - t] for t in range(T - 1)] + [EOS]
            src.append(row)
            tout.append(o)
            tin.append([BOS] + o[: T - 1])
        out.append((src, tin, tout))
    return out


def emit(prefix, obj):
    sys.stdout.write(prefix + json.dumps(obj) + "\n")
    sys.stdout.flush()


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def threads():
    return int(os.environ.get("BENCH_THREADS", os.cpu_count() or 1))


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out
