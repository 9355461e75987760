"""Gensim side of seq2seq/embed's interop test (gensim_test.go); gensim is the test oracle only.

Usage: python gensim_io.py DIR

DIR/spec.json, written by the Go test, lists files the Go writer made there. This script
  1. writes vector files with gensim (KeyedVectors.save_word2vec_format: text, binary, no header)
     and files laid out by hand the way other tools write them (word2vec.c's binary with a newline
     after each vector, invalid UTF-8, long decimals near float32 rounding midpoints, CRLF), adding
     an entry for each to the spec;
  2. loads every entry of the spec with KeyedVectors.load_word2vec_format and writes what gensim
     read (words, dim, float32 bit patterns) or the error it raised to DIR/results.json.
Entries: {"file", "format": text|binary|glove, "limit": int (0: all), "unicode": strict|replace|ignore,
"go_error": sentinel name when our reader refuses on purpose what gensim accepts}.
"""

import json
import logging
import os
import struct
import sys
from decimal import Decimal

import gensim
import numpy as np
from gensim.models import KeyedVectors

logging.disable(logging.WARNING)  # gensim warns about duplicates; the Go side checks them

WORDS = ["the", "hello", "这是", "一个", "中文", "😀", "👩‍👩‍👧", "🇨🇳", "e\u0301", "<unk>", "，", "Ω", "a\tb", "x" * 120]
DIM = 7
# Signed zero, subnormals, extremes, and 7.038531e-26 (bits 363742205), whose shortest float32
# decimal, which gensim writes, reads back through float64 as a different float32.
TRICKY = np.array([0x00000000, 0x80000000, 0x00000001, 0x80000001, 0x007FFFFF, 0x7F7FFFFF, 0xFF7FFFFF, 363742205,
                   0x3DCCCCCD, 0x3EAAAAAB], dtype=np.uint32).view(np.float32)


def gensim_vectors():
    rng = np.random.default_rng(2026)
    vecs = rng.standard_normal((len(WORDS), DIM)).astype(np.float32)
    vecs[1] *= 1e-30
    vecs[2] *= 1e30
    flat = vecs.reshape(-1)
    flat[: len(TRICKY)] = TRICKY
    kv = KeyedVectors(DIM)
    kv.add_vectors(WORDS, vecs)
    return kv


def f32(x):
    return struct.pack("<f", x)


def binary_record(word, values, newline=False):
    return word + b" " + b"".join(f32(v) for v in values) + (b"\n" if newline else b"")


def midpoint_decimals(rng, n):
    """Decimal strings at, just above and just below midpoints between adjacent float32s: the
    inputs where rounding straight to float32 and rounding through float64 can differ."""
    out = []
    for _ in range(n):
        x = np.float32(rng.standard_normal() * 10.0 ** rng.integers(-30, 30))
        nxt = np.nextafter(x, np.float32(np.inf), dtype=np.float32)
        mid = Decimal(float(x)) + (Decimal(float(nxt)) - Decimal(float(x))) / 2  # exact
        tiny = abs(mid).scaleb(-25)
        for d in (mid, mid + tiny, mid - tiny):
            out.append(format(d, "f") if abs(d) > 1e-5 and abs(d) < 1e15 else format(d, "e"))
    return out


def write_files(d, spec):
    def add(name, fmt, limit=0, unicode="strict", go_error=""):
        spec.append({"file": name, "format": fmt, "limit": limit, "unicode": unicode, "go_error": go_error})

    kv = gensim_vectors()
    kv.save_word2vec_format(os.path.join(d, "gensim_text.txt"), binary=False)
    kv.save_word2vec_format(os.path.join(d, "gensim_binary.bin"), binary=True)
    kv.save_word2vec_format(os.path.join(d, "gensim_glove.txt"), binary=False, write_header=False)
    for name, fmt in [("gensim_text.txt", "text"), ("gensim_binary.bin", "binary"), ("gensim_glove.txt", "glove")]:
        add(name, fmt)
        add(name, fmt, limit=3)

    # word2vec.c's binary layout: a newline after each vector, words stripped of it by gensim.
    w2v = [f"{len(WORDS)} {DIM}\n".encode()]
    for w, v in zip(WORDS, kv.vectors):
        w2v.append(binary_record(w.encode(), v, newline=True))
    with open(os.path.join(d, "w2vc.bin"), "wb") as f:
        f.write(b"".join(w2v))
    add("w2vc.bin", "binary")

    # Invalid UTF-8: a character cut short, stray bytes, a stray byte before a newline (decoded,
    # then stripped: 'ignore' leaves "word"), a surrogate and an overlong encoding.
    bad = [b"ab\xe4\xb8", b"\xffz", b"c\xff", b"\xff\nword", b"\xed\xa0\x80x", b"\xc0\x80y", b"q\xf0\x9f\x98"]
    vals = [[float(i), -float(i)] for i in range(len(bad))]
    with open(os.path.join(d, "badutf8.bin"), "wb") as f:
        f.write(f"{len(bad)} 2\n".encode() + b"".join(binary_record(w, v, newline=True) for w, v in zip(bad, vals)))
    for u in ("strict", "replace", "ignore"):
        add("badutf8.bin", "binary", unicode=u, go_error="ErrUnicode" if u == "strict" else "")
    text_bad = [w for w in bad if b"\n" not in w]
    with open(os.path.join(d, "badutf8.txt"), "wb") as f:
        f.write(f"{len(text_bad)} 2\n".encode())
        for i, w in enumerate(text_bad):
            f.write(w + f" {i} -{i}\n".encode())
    for u in ("strict", "replace", "ignore"):
        add("badutf8.txt", "text", unicode=u, go_error="ErrUnicode" if u == "strict" else "")
    with open(os.path.join(d, "badnumber.txt"), "wb") as f:  # 'ignore' drops bytes inside numbers too
        f.write(b"w 1.\xff5 -2\xe4\xb8e1\n")
    add("badnumber.txt", "glove", unicode="ignore")
    with open(os.path.join(d, "emptyword.bin"), "wb") as f:  # 'ignore' leaves gensim an empty word
        f.write(b"2 1\n" + binary_record(b"a", [1.0]) + binary_record(b"\xff", [2.0]))
    add("emptyword.bin", "binary", unicode="ignore", go_error="ErrWord")

    # Decimals: random long ones, midpoint cases, odd but valid forms; CRLF and trailing blanks.
    rng = np.random.default_rng(7)
    nums = midpoint_decimals(rng, 300)
    nums += [f"{v:.20g}" for v in rng.standard_normal(300) * 10.0 ** rng.integers(-40, 39, 300)]
    nums += ["+.5", "5.", "-0", "1E+3", "1e-50", "0.000000000000000000000000000000000000000000001", "3.4028234663852886e38"]
    nums += ["1" * 30, "-" + "9" * 12 + "." + "9" * 30]
    while len(nums) % 10:
        nums.append("0")
    with open(os.path.join(d, "decimals.txt"), "wb") as f:
        for i in range(0, len(nums), 10):
            f.write(f"w{i} {' '.join(nums[i:i + 10])} \t\r\n".encode())
    add("decimals.txt", "glove")

    # What gensim accepts and we refuse, on purpose.
    with open(os.path.join(d, "duplicate.txt"), "w", encoding="utf8") as f:
        f.write("2 2\n猫 1 2\n猫 3 4\n")
    add("duplicate.txt", "text", go_error="ErrDuplicate")
    with open(os.path.join(d, "nan.txt"), "w", encoding="utf8") as f:
        f.write("2 2\na nan 2\nb 3 inf\n")
    add("nan.txt", "text", go_error="ErrNonFinite")
    with open(os.path.join(d, "nan.bin"), "wb") as f:
        f.write(b"1 2\n" + binary_record(b"a", [1.0, float("nan")]))
    add("nan.bin", "binary", go_error="ErrNonFinite")
    with open(os.path.join(d, "overflow.txt"), "w", encoding="utf8") as f:  # float32 max + half an ulp
        f.write("a 3.4028235677973366e38\n")
    add("overflow.txt", "glove", go_error="ErrNonFinite")
    with open(os.path.join(d, "dim0.txt"), "w", encoding="utf8") as f:  # vectors of no values
        f.write("2 0\na\nb\n")
    add("dim0.txt", "text", go_error="ErrHeader")
    add("dim0.txt", "glove", go_error="ErrDimension")
    # Damaged files both refuse.
    with open(os.path.join(d, "truncated.bin"), "wb") as f:
        f.write(b"3 2\n" + binary_record(b"a", [1.0, 2.0]) + binary_record(b"b", [3.0, 4.0])[:-3])
    add("truncated.bin", "binary", go_error="ErrTruncated")
    with open(os.path.join(d, "short.txt"), "w", encoding="utf8") as f:
        f.write("3 2\na 1 2\nb 3 4\n")
    add("short.txt", "text", go_error="ErrTruncated")


def load(d, entry):
    kw = {"binary": entry["format"] == "binary", "no_header": entry["format"] == "glove",
          "unicode_errors": entry["unicode"], "limit": entry["limit"] or None}
    try:
        kv = KeyedVectors.load_word2vec_format(os.path.join(d, entry["file"]), **kw)
    except Exception as e:  # noqa: BLE001 - any failure is a result to compare
        return dict(entry, error=f"{type(e).__name__}: {e}")
    bits = np.ascontiguousarray(kv.vectors, dtype=np.float32).view(np.uint32).reshape(-1)
    return dict(entry, words=list(kv.index_to_key), dim=int(kv.vector_size), bits=[int(b) for b in bits])


def main():
    d = sys.argv[1]
    with open(os.path.join(d, "spec.json"), encoding="utf8") as f:
        spec = json.load(f)
    write_files(d, spec)
    results = {"gensim": gensim.__version__, "numpy": np.__version__, "results": [load(d, e) for e in spec]}
    with open(os.path.join(d, "results.json"), "w", encoding="utf8") as f:
        json.dump(results, f, ensure_ascii=False)


if __name__ == "__main__":
    main()
