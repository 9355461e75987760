#!/usr/bin/env python3
"""sacreBLEU reference for textgen's seq2seq/eval package (sacrebleu_test.go, golden_test.go).

Usage: sacrebleu_ref.py IN.json OUT.json

IN.json (written by the Go tests) holds
  tokenize: [line, ...]               tokenized with sacreBLEU's 13a and zh tokenizers, called directly
  bleu:     [{hyps, refs, sentence, opts}, ...]
  chrf:     [{hyps, refs, sentence, opts}, ...]
  unicode:  true to also dump the Python string facts the port relies on (see unicode_facts)
refs are streams as in sacreBLEU: refs[k][i] is the k-th reference of hyps[i]. With sentence true, hyps and
every stream hold one segment and sentence_score(hyps[0], [r[0] for r in refs]) is used instead of
corpus_score. opts are the keyword arguments of sacrebleu.BLEU / sacrebleu.CHRF (tokenize, lowercase,
smooth_method, smooth_value, max_ngram_order, effective_order / char_order, word_order, beta, lowercase,
whitespace, eps_smoothing).

OUT.json gets the same lists in the same order: tokenize {"13a": [...], "zh": [...]}; for BLEU score, counts,
totals, precisions, bp, ratio, sys_len, ref_len, str (str(score)) and signature; for chrF score, str and
signature; plus the versions of sacreBLEU, Python and Python's Unicode database.

Exit status 3 means this Python has no sacreBLEU 2.6.0 (the Go test then tries another Python).
Install: pip install sacrebleu==2.6.0 (the project's venv gets it from `go run ./cmd/textgen setup`).
"""

import json
import logging
import sys
import unicodedata

WANT = "2.6.0"

try:
    import sacrebleu
    from sacrebleu.metrics import BLEU, CHRF
    from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a
    from sacrebleu.tokenizers.tokenizer_zh import TokenizerZh
except ImportError as err:  # the caller tries the next Python
    print(f"sacrebleu_ref.py: {sys.executable} cannot import sacrebleu: {err}", file=sys.stderr)
    sys.exit(3)
if sacrebleu.__version__ != WANT:
    print(f"sacrebleu_ref.py: {sys.executable} has sacrebleu {sacrebleu.__version__}, need {WANT}",
          file=sys.stderr)
    sys.exit(3)

# sentence_score without effective order logs a recommendation on every call.
logging.getLogger("sacrebleu").setLevel(logging.ERROR)


def score(metric, case):
    if case.get("sentence"):
        return metric.sentence_score(case["hyps"][0], [r[0] for r in case["refs"]])
    return metric.corpus_score(case["hyps"], case["refs"])


def bleu(case):
    metric = BLEU(**case["opts"])
    s = score(metric, case)
    return {"score": s.score, "counts": s.counts, "totals": s.totals, "precisions": s.precisions,
            "bp": s.bp, "ratio": s.ratio, "sys_len": s.sys_len, "ref_len": s.ref_len,
            "str": str(s), "signature": str(metric.get_signature())}


def chrf(case):
    metric = CHRF(**case["opts"])
    s = score(metric, case)
    return {"score": s.score, "str": str(s), "signature": str(metric.get_signature())}


def runs(pred, codepoints):
    """The code points for which pred holds, as sorted [lo, hi] intervals."""
    out = []
    for c in codepoints:
        if pred(c):
            if out and out[-1][1] == c - 1:
                out[-1][1] = c
            else:
                out.append([c, c])
    return out


def unicode_facts():
    """What Python decides character by character: whitespace (str.split), lowercase mappings, the
    Final_Sigma context of str.lower(), which characters its Unicode database assigns, and the zh tokenizer's
    Chinese characters (BMP in full, one in 61 above it). Surrogates are left out: Go strings cannot hold
    them."""
    every = [c for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    assigned = [c for c in every if unicodedata.category(chr(c)) != "Cn"]
    is_zh = TokenizerZh._is_chinese_char.__wrapped__
    zh_points = [c for c in every if c < 0x10000 or c % 61 == 0]
    return {
        "space": [c for c in every if chr(c).isspace()],
        "assigned": runs(lambda c: True, assigned),
        # Casing facts for assigned code points only (the Go test compares no others).
        "lower": [[c, chr(c).lower()] for c in assigned if chr(c).lower() != chr(c)],
        # ς where Python sees a final sigma: after c; after "A" and c; before c (after "A").
        "sigma_after_c": runs(lambda c: (chr(c) + "Σ").lower()[-1] == "ς", assigned),
        "sigma_after_a_c": runs(lambda c: ("A" + chr(c) + "Σ").lower()[-1] == "ς", assigned),
        "sigma_before_c": runs(lambda c: ("AΣ" + chr(c)).lower()[1] == "ς", assigned),
        "zh_checked": runs(lambda c: True, zh_points),
        "zh": runs(lambda c: is_zh(chr(c)), zh_points),
    }


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        req = json.load(f)
    t13a, tzh = Tokenizer13a(), TokenizerZh()
    lines = req.get("tokenize") or []
    out = {
        "sacrebleu_version": sacrebleu.__version__,
        "python_version": sys.version.split()[0],
        "unidata_version": unicodedata.unidata_version,
        "tokenize": {"13a": [t13a(s) for s in lines], "zh": [tzh(s) for s in lines]},
        "bleu": [bleu(c) for c in req.get("bleu") or []],
        "chrf": [chrf(c) for c in req.get("chrf") or []],
    }
    if req.get("unicode"):
        out["unicode"] = unicode_facts()
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False)


if __name__ == "__main__":
    main()
