"""Gensim side of seq2seq/embed's word2vec tests and of bench/word2vec; gensim is the oracle only.

Usage:
  python word2vec_gensim.py neighbors VECTORS.txt QUERIES.json OUT.json
      QUERIES.json: [{"positive": [...], "negative": [...], "topn": k}, ...]; loads the word2vec
      text file with KeyedVectors.load_word2vec_format and writes, per query, most_similar's
      [[word, similarity], ...] (or {"error": ...}) to OUT.json.
  python word2vec_gensim.py train CORPUS.txt PARAMS.json OUT.json
      CORPUS.txt: one sentence per line, tokens separated by single spaces. PARAMS.json: gensim
      Word2Vec keyword arguments plus "seeds": [...] and "prefix": path prefix. Trains one model per
      seed (vocabulary built once per model, as Word2Vec(sentences=...) does), saves the vectors
      to PREFIX<seed>.txt (word2vec text) and writes timings to OUT.json.
"""

import json
import logging
import sys
import time

import gensim
from gensim.models import KeyedVectors, Word2Vec

logging.disable(logging.WARNING)


def neighbors(vec_file, queries_file, out_file):
    kv = KeyedVectors.load_word2vec_format(vec_file, binary=False)
    with open(queries_file, encoding="utf-8") as f:
        queries = json.load(f)
    out = []
    for q in queries:
        try:
            res = kv.most_similar(positive=q.get("positive") or [], negative=q.get("negative") or [], topn=q["topn"])
            out.append({"result": [[w, float(s)] for w, s in res]})
        except KeyError as e:
            out.append({"error": str(e)})
    with open(out_file, "w", encoding="utf-8") as f:
        json.dump({"gensim": gensim.__version__, "results": out}, f, ensure_ascii=False)


def train(corpus_file, params_file, out_file):
    with open(corpus_file, encoding="utf-8") as f:
        sentences = [line.rstrip("\n").split(" ") for line in f if line.strip()]
    with open(params_file, encoding="utf-8") as f:
        params = json.load(f)
    seeds, prefix = params.pop("seeds"), params.pop("prefix")
    words = sum(len(s) for s in sentences)
    runs = []
    for seed in seeds:
        model = Word2Vec(seed=seed, **params)
        model.build_vocab(sentences)
        start = time.perf_counter()
        model.train(sentences, total_examples=len(sentences), epochs=model.epochs)
        seconds = time.perf_counter() - start
        model.wv.save_word2vec_format(f"{prefix}{seed}.txt", binary=False)
        runs.append({"seed": seed, "seconds": seconds, "words_per_sec": words * model.epochs / seconds,
                     "vocab": len(model.wv)})
    with open(out_file, "w", encoding="utf-8") as f:
        json.dump({"gensim": gensim.__version__, "corpus_words": words, "runs": runs}, f)


if __name__ == "__main__":
    mode, *args = sys.argv[1:]
    {"neighbors": neighbors, "train": train}[mode](*args)
