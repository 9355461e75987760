"""PyTorch peer of the textgen benchmark: the same seq2seq written the idiomatic PyTorch way.

nn.LSTM encoder (one fused cuDNN-style call over the sequence), nn.LSTMCell decoder loop with additive
(Bahdanau) attention queried by the previous decoder state, teacher forcing, one output projection over all
steps at once, cross-entropy with ignore_index=pad, Adam(fused=True), clip_grad_norm_(1.0).
--mode compile wraps the model in torch.compile (inductor, CPU) and compiles the decoder step for decoding.

Prints one BENCH_RESULT JSON line (see bench/result.go); --probe N prints BENCH_PROBE lines instead.
"""
import argparse
import math
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from common import BOS, CONFIGS, PAD, data, emit, log, threads, timed


class Seq2Seq(nn.Module):
    def __init__(self, c):
        super().__init__()
        V, E, H, A = c["vocab"], c["embed"], c["hidden"], c["attention"]
        self.src_emb = nn.Embedding(V, E)
        self.tgt_emb = nn.Embedding(V, E)
        self.encoder = nn.LSTM(E, H, batch_first=True)
        self.wk = nn.Linear(H, A, bias=False)
        self.wq = nn.Linear(H, A, bias=False)
        self.v = nn.Linear(A, 1, bias=False)
        self.cell = nn.LSTMCell(E + H, H)
        self.out = nn.Linear(2 * H, V)

    def encode(self, src):
        """src [B,S] → encoder outputs [B,S,H], keys [B,S,A], h, c [B,H]."""
        enc, (h, c) = self.encoder(self.src_emb(src))
        return enc, self.wk(enc), h[0], c[0]

    def attend(self, h, enc, keys):
        scores = self.v(torch.tanh(keys + self.wq(h).unsqueeze(1))).squeeze(-1)  # [B,S]
        w = torch.softmax(scores, dim=-1)
        return torch.bmm(w.unsqueeze(1), enc).squeeze(1)  # [B,H]

    def step(self, prev, h, c, enc, keys):
        """One decoder step: prev [B] → logits [B,V], new h, c."""
        ctx = self.attend(h, enc, keys)
        h, c = self.cell(torch.cat([self.tgt_emb(prev), ctx], -1), (h, c))
        return self.out(torch.cat([h, ctx], -1)), h, c

    def forward(self, src, tgt_in, tgt_out):
        """Teacher-forced mean cross-entropy over the real target tokens."""
        enc, keys, h, c = self.encode(src)
        emb = self.tgt_emb(tgt_in)  # [B,T,E]
        feats = []
        for t in range(tgt_in.shape[1]):
            ctx = self.attend(h, enc, keys)
            h, c = self.cell(torch.cat([emb[:, t], ctx], -1), (h, c))
            feats.append(torch.cat([h, ctx], -1))
        logits = self.out(torch.stack(feats, 1))  # one [B·T,2H]×[2H,V] product
        return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tgt_out.reshape(-1), ignore_index=PAD)


def greedy(step, model, src, steps):
    enc, keys, h, c = model.encode(src)
    prev = torch.full((src.shape[0],), BOS, dtype=torch.long)
    toks = []
    for _ in range(steps):  # fixed length, like textgen's compiled greedy graph
        logits, h, c = step(prev, h, c, enc, keys)
        prev = logits.argmax(-1)
        toks.append(prev)
    return torch.stack(toks, 1)


def beam(step, model, src, width, steps):
    """Beam search of one source: width hypotheses as a batch, top-k over width·V, reorder states by parent."""
    enc, keys, h, c = model.encode(src)
    enc, keys = enc.expand(width, -1, -1), keys.expand(width, -1, -1)
    h, c = h.expand(width, -1), c.expand(width, -1)
    scores = torch.full((width,), -math.inf)
    scores[0] = 0
    prev = torch.full((width,), BOS, dtype=torch.long)
    parents, tokens = [], []
    for _ in range(steps):
        logits, h, c = step(prev, h, c, enc, keys)
        logp = torch.log_softmax(logits, -1) + scores.unsqueeze(1)
        V = logp.shape[1]
        scores, idx = logp.reshape(-1).topk(width)
        parent, prev = idx // V, idx % V
        h, c = h[parent], c[parent]
        parents.append(parent)
        tokens.append(prev)
    best, out = 0, []
    for t in range(steps - 1, -1, -1):
        out.append(int(tokens[t][best]))
        best = int(parents[t][best])
    return out[::-1]


def probe(n, repeats):
    x = torch.sin(torch.arange(n * n, dtype=torch.float32)).reshape(n, n)
    xn = x.numpy()
    for name, fn in [(f"torch {torch.__version__} mm", lambda: torch.mm(x, x)),
                     (f"numpy {np.__version__} matmul", lambda: xn @ xn)]:
        fn()
        g = [2 * n ** 3 / timed(fn)[0] / 1e9 for _ in range(repeats)]
        emit("BENCH_PROBE ", dict(name=name, n=n, gflops=g))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", default="S")
    ap.add_argument("--mode", default="eager", choices=["eager", "compile"])
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--decode-repeats", type=int, default=10)
    ap.add_argument("--probe", type=int, default=0)
    a = ap.parse_args()
    torch.set_num_threads(threads())
    if a.probe:
        probe(a.probe, a.repeats)
        return
    torch.manual_seed(1)
    c = CONFIGS[a.config]
    batches = [tuple(torch.tensor(x, dtype=torch.long) for x in b) for b in data(c, 4, 1)]
    model = Seq2Seq(c)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, fused=True)
    fw = "pytorch-eager" if a.mode == "eager" else "pytorch-compile"
    res = dict(framework=fw, config=c["name"], version=f"torch {torch.__version__}", threads=torch.get_num_threads(),
               mode="eager, Adam(fused=True), clip_grad_norm_" if a.mode == "eager" else
               "torch.compile(model) (inductor), Adam(fused=True), clip_grad_norm_",
               clip=True, na={}, notes=[])
    loss_fn = torch.compile(model) if a.mode == "compile" else model
    k = [0]

    def step():
        src, tin, tout = batches[k[0] % len(batches)]
        k[0] += 1
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(src, tin, tout)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        return loss

    t, loss = timed(step)
    res["loss_first"] = loss.item()
    res["first_step_s"] = t
    log(f"{fw} {c['name']}: first step {t:.2f}s loss {res['loss_first']:.4f}")
    for _ in range(a.warmup):
        step()
    res["steps_per_repeat"] = a.steps
    res["step_s"] = []
    for r in range(a.repeats):
        t0 = time.perf_counter()
        for _ in range(a.steps):
            loss = step()
        last = loss.item()  # syncs (a no-op on CPU, where eager ops run synchronously)
        res["step_s"].append((time.perf_counter() - t0) / a.steps)
        log(f"  repeat {r}: {res['step_s'][-1]:.3f}s/step loss {last:.4f}")
    res["loss_last"] = last

    model.eval()
    step_fn = model.step
    if a.mode == "compile":
        step_fn = torch.compile(model.step)
    src = batches[0][0]
    with torch.inference_mode():
        res["greedy_first_s"], _ = timed(lambda: greedy(step_fn, model, src[:1], c["decode"]))
        res["greedy_s"] = [timed(lambda: greedy(step_fn, model, src[:1], c["decode"]))[0] for _ in range(a.decode_repeats)]
        beam(step_fn, model, src[:1], c["beam"], c["decode"])
        res["beam_s"] = [timed(lambda: beam(step_fn, model, src[:1], c["beam"], c["decode"]))[0]
                         for _ in range(a.decode_repeats)]
        greedy(step_fn, model, src, c["decode"])
        res["batch_decode_s"] = [timed(lambda: greedy(step_fn, model, src, c["decode"]))[0]
                                 for _ in range(max(a.decode_repeats // 2, 2))]
    emit("BENCH_RESULT ", res)


if __name__ == "__main__":
    main()
