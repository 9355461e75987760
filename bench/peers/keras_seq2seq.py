"""Keras 3 (TensorFlow backend) peer of the textgen benchmark: the same seq2seq written the idiomatic Keras way.

A subclassed keras.Model: layers.LSTM encoder (return_sequences, return_state), layers.LSTMCell decoder loop with
additive (Bahdanau) attention queried by the previous decoder state, teacher forcing, one Dense output over all
steps, SparseCategoricalCrossentropy(from_logits=True, ignore_class=pad), Adam(global_clipnorm=1.0).
Training is model.fit on fixed in-memory batches with jit_compile=True (XLA), Keras' documented fast path;
decoding is a tf.function(jit_compile=True) over the same layers.

Prints one BENCH_RESULT JSON line (see bench/result.go).
"""
import argparse
import os
import time

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402
from keras import layers, ops  # noqa: E402

from common import BOS, CONFIGS, PAD, data, emit, log, threads, timed  # noqa: E402


class Seq2Seq(keras.Model):
    def __init__(self, c):
        super().__init__()
        V, E, H, A = c["vocab"], c["embed"], c["hidden"], c["attention"]
        self.src_emb = layers.Embedding(V, E)
        self.tgt_emb = layers.Embedding(V, E)
        self.encoder = layers.LSTM(H, return_sequences=True, return_state=True)
        self.wk = layers.Dense(A, use_bias=False)
        self.wq = layers.Dense(A, use_bias=False)
        self.v = layers.Dense(1, use_bias=False)
        self.cell = layers.LSTMCell(H)
        self.out = layers.Dense(V)

    def encode(self, src):
        enc, h, c = self.encoder(self.src_emb(src))
        return enc, self.wk(enc), h, c

    def attend(self, h, enc, keys):
        scores = ops.squeeze(self.v(ops.tanh(keys + ops.expand_dims(self.wq(h), 1))), -1)
        return ops.einsum("bs,bsh->bh", ops.softmax(scores, -1), enc)

    def step(self, prev, h, c, enc, keys):
        ctx = self.attend(h, enc, keys)
        _, (h, c) = self.cell(ops.concatenate([self.tgt_emb(prev), ctx], -1), [h, c])
        return self.out(ops.concatenate([h, ctx], -1)), h, c

    def call(self, inputs):
        src, tgt_in = inputs
        enc, keys, h, c = self.encode(src)
        emb = self.tgt_emb(tgt_in)
        feats = []
        for t in range(tgt_in.shape[1]):
            ctx = self.attend(h, enc, keys)
            _, (h, c) = self.cell(ops.concatenate([emb[:, t], ctx], -1), [h, c])
            feats.append(ops.concatenate([h, ctx], -1))
        return self.out(ops.stack(feats, 1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", default="S")
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--decode-repeats", type=int, default=10)
    a = ap.parse_args()
    n = threads()
    tf.config.threading.set_intra_op_parallelism_threads(n)
    tf.config.threading.set_inter_op_parallelism_threads(n)
    keras.utils.set_random_seed(1)
    c = CONFIGS[a.config]
    B = c["batch"]
    raw = data(c, 4, 1)
    src, tin, tout = (np.concatenate([np.array(b[i], dtype=np.int32) for b in raw]) for i in range(3))

    def rows(k, steps):
        """steps batches starting at batch k (cycling over the 4 batches)."""
        idx = np.concatenate([np.arange(B) + ((k + j) % len(raw)) * B for j in range(steps)])
        return [src[idx], tin[idx]], tout[idx]

    model = Seq2Seq(c)
    model.compile(optimizer=keras.optimizers.Adam(1e-3, global_clipnorm=1.0),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=PAD),
                  jit_compile=True)
    res = dict(framework="keras-tf", config=c["name"], version=f"keras {keras.__version__}, tensorflow {tf.__version__}",
               threads=n, mode="model.fit on fixed batches, jit_compile=True; Adam(global_clipnorm=1.0)",
               clip=True, na={}, notes=[])

    def fit(k, steps):
        x, y = rows(k, steps)
        h = model.fit(x, y, batch_size=B, epochs=1, shuffle=False, verbose=0)
        return h.history["loss"][-1]

    t, loss = timed(lambda: fit(0, 1))
    res["first_step_s"], res["loss_first"] = t, float(loss)
    log(f"keras-tf {c['name']}: first step {t:.2f}s loss {loss:.4f}")
    if a.warmup:
        fit(1, a.warmup)
    res["steps_per_repeat"] = a.steps
    res["step_s"] = []
    for r in range(a.repeats):
        t, loss = timed(lambda: fit(r, a.steps))
        res["step_s"].append(t / a.steps)
        log(f"  repeat {r}: {res['step_s'][-1]:.3f}s/step loss {loss:.4f}")
    res["loss_last"] = float(loss)

    steps, K, V = c["decode"], c["beam"], c["vocab"]

    @tf.function(jit_compile=True)
    def greedy(s):
        enc, keys, h, cc = model.encode(s)
        prev = tf.fill([tf.shape(s)[0]], BOS)
        toks = []
        for _ in range(steps):
            logits, h, cc = model.step(prev, h, cc, enc, keys)
            prev = tf.argmax(logits, -1, output_type=tf.int32)
            toks.append(prev)
        return tf.stack(toks, 1)

    @tf.function(jit_compile=True)
    def beam(s):
        enc, keys, h, cc = model.encode(s)
        enc, keys, h, cc = (tf.repeat(x, K, 0) for x in (enc, keys, h, cc))
        scores = tf.constant([0.0] + [-np.inf] * (K - 1))
        prev = tf.fill([K], BOS)
        parents, toks = [], []
        for _ in range(steps):
            logits, h, cc = model.step(prev, h, cc, enc, keys)
            logp = tf.nn.log_softmax(logits) + scores[:, None]
            scores, idx = tf.math.top_k(tf.reshape(logp, [-1]), K)
            parent, prev = idx // V, idx % V
            h, cc = tf.gather(h, parent), tf.gather(cc, parent)
            parents.append(parent)
            toks.append(prev)
        return tf.stack(parents), tf.stack(toks)

    def beam_best(s):
        parents, toks = (x.numpy() for x in beam(s))
        best, out = 0, []
        for t in range(steps - 1, -1, -1):
            out.append(int(toks[t][best]))
            best = int(parents[t][best])
        return out[::-1]

    one, batch = src[:1], src[:B]
    res["greedy_first_s"], _ = timed(lambda: greedy(one).numpy())
    res["greedy_s"] = [timed(lambda: greedy(one).numpy())[0] for _ in range(a.decode_repeats)]
    beam_best(one)
    res["beam_s"] = [timed(lambda: beam_best(one))[0] for _ in range(a.decode_repeats)]
    greedy(batch).numpy()
    res["batch_decode_s"] = [timed(lambda: greedy(batch).numpy())[0] for _ in range(max(a.decode_repeats // 2, 2))]
    emit("BENCH_RESULT ", res)


if __name__ == "__main__":
    main()
