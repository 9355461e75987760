#!/usr/bin/env python3
"""PyTorch reference for textgen's recurrent cells and attention (seq2seq/model/torch_test.go).

Usage: torch_ref.py IN.json OUT.json

IN.json holds tensors as {"shape": [...], "data": [row-major values]} under
  lstm:      weight_ih [4H,I], weight_hh [4H,H], bias_ih [4H], bias_hh [4H], x [B,I], h [B,H], c [B,H]
  gru:       weight_ih [3H,I], weight_hh [3H,H], bias_ih [3H], bias_hh [3H], x [B,I], h [B,H]
  rnn:       weight_ih [H,I], weight_hh [H,H], bias_ih [H], bias_hh [H], x [B,I], h [B,H]
  lstm_reverse, gru_reverse, rnn_reverse: weight_ih, weight_hh, bias_ih, bias_hh of a backward direction
  sequence:  x [B,S,I], mask [B,S] (1 = real token, 0 = padding; real tokens first)
  attention: enc [B,S,H], mask [B,S] (1 = real token, 0 = padding), query [B,H]
  additive:  wk [H,A], wq [H,A], v [A]
  general:   w [H,H]
  concat:    w [2H,A] (query rows first), b [A], v [A]
in PyTorch's layouts (weight_ih is the transpose of textgen's Wx). Everything is computed in float64 with
torch.nn.LSTMCell, torch.nn.GRUCell, torch.nn.RNNCell (tanh) and attention written here from the papers' equations, independently of
the Go code: masked_fill(-inf) + softmax, where the Go code uses a masked softmax. OUT.json gets the results
in the same tensor format: lstm.h, lstm.c, gru.h, rnn.h and context [B,H], weights [B,S] for each attention;
and for each cell one bidirectional layer (torch.nn.LSTM/GRU/RNN, bidirectional=True, forward weights from the
cell's group, backward from its _reverse group) over the padded sequence packed with pack_padded_sequence:
bi_<cell>.outputs [B,S,2H] (zero at padding) and bi_<cell>.h_n [2,B,H] (forward, backward final state;
bi_lstm.c_n too).

Exit status 3 means torch cannot be imported by this Python (the Go test then tries another one).
Install (Debian 12, for /usr/bin/python3):
  apt-get install -y --no-install-recommends python3-torch
"""

import json
import sys

try:
    import torch
except ImportError as err:  # the caller tries the next Python
    print(f"torch_ref.py: {sys.executable} cannot import torch: {err}", file=sys.stderr)
    sys.exit(3)

DT = torch.float64


def tensor(d):
    return torch.tensor(d["data"], dtype=DT).reshape(d["shape"])


def out(t):
    t = t.detach()
    return {"shape": list(t.shape), "data": t.reshape(-1).tolist()}


def lstm_step(p):
    H, I = p["weight_ih"]["shape"][0] // 4, p["weight_ih"]["shape"][1]
    cell = torch.nn.LSTMCell(I, H, dtype=DT)
    with torch.no_grad():
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            getattr(cell, name).copy_(tensor(p[name]))
    h, c = cell(tensor(p["x"]), (tensor(p["h"]), tensor(p["c"])))
    return {"h": out(h), "c": out(c)}


def gru_step(p):
    H, I = p["weight_ih"]["shape"][0] // 3, p["weight_ih"]["shape"][1]
    cell = torch.nn.GRUCell(I, H, dtype=DT)
    with torch.no_grad():
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            getattr(cell, name).copy_(tensor(p[name]))
    h = cell(tensor(p["x"]), tensor(p["h"]))
    return {"h": out(h)}


def rnn_step(p):
    H, I = p["weight_ih"]["shape"]
    cell = torch.nn.RNNCell(I, H, nonlinearity="tanh", dtype=DT)
    with torch.no_grad():
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            getattr(cell, name).copy_(tensor(p[name]))
    h = cell(tensor(p["x"]), tensor(p["h"]))
    return {"h": out(h)}


def bidirectional(kind, fwd, bwd, seq):
    """One bidirectional layer over the padded sequence, packed so that each row's padding is skipped."""
    H, I = fwd["weight_hh"]["shape"][1], fwd["weight_ih"]["shape"][1]
    layer = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}[kind](
        I, H, batch_first=True, bidirectional=True, dtype=DT)
    with torch.no_grad():
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            getattr(layer, name + "_l0").copy_(tensor(fwd[name]))
            getattr(layer, name + "_l0_reverse").copy_(tensor(bwd[name]))
    x, mask = tensor(seq["x"]), tensor(seq["mask"])
    lengths = mask.sum(dim=1).to(torch.int64)
    packed = torch.nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
    outputs, state = layer(packed)
    outputs, _ = torch.nn.utils.rnn.pad_packed_sequence(outputs, batch_first=True, total_length=x.shape[1])
    res = {"outputs": out(outputs)}
    if kind == "lstm":
        res["h_n"], res["c_n"] = out(state[0]), out(state[1])
    else:
        res["h_n"] = out(state)
    return res


def attend(scores, mask, enc):
    """scores [B,S] -> softmax over real positions (padding exactly 0) and context [B,H]."""
    weights = torch.softmax(scores.masked_fill(~mask, float("-inf")), dim=-1)
    context = torch.bmm(weights.unsqueeze(1), enc).squeeze(1)
    return {"context": out(context), "weights": out(weights)}


def additive(a, p):
    """Bahdanau: score_s = v . tanh(Wk enc_s + Wq q)."""
    enc, q = a["enc"], a["query"]
    energy = torch.tanh(enc @ tensor(p["wk"]) + (q @ tensor(p["wq"])).unsqueeze(1))
    return attend(energy @ tensor(p["v"]), a["mask"], enc)


def dot(a):
    """Luong dot: score_s = q . enc_s."""
    return attend(torch.einsum("bh,bsh->bs", a["query"], a["enc"]), a["mask"], a["enc"])


def general(a, p):
    """Luong general: score_s = q^T Wa enc_s."""
    scores = torch.einsum("bq,qk,bsk->bs", a["query"], tensor(p["w"]), a["enc"])
    return attend(scores, a["mask"], a["enc"])


def concat(a, p):
    """Luong concat: score_s = v . tanh(Wc^T [q; enc_s] + b)."""
    enc, q = a["enc"], a["query"]
    S = enc.shape[1]
    qk = torch.cat([q.unsqueeze(1).expand(-1, S, -1), enc], dim=-1)  # [B,S,2H]
    energy = torch.tanh(qk @ tensor(p["w"]) + tensor(p["b"]))
    return attend(energy @ tensor(p["v"]), a["mask"], enc)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: torch_ref.py IN.json OUT.json")
    with open(sys.argv[1]) as f:
        inp = json.load(f)
    att = {
        "enc": tensor(inp["attention"]["enc"]),
        "query": tensor(inp["attention"]["query"]),
        "mask": tensor(inp["attention"]["mask"]) != 0,
    }
    res = {
        "torch_version": torch.__version__,
        "lstm": lstm_step(inp["lstm"]),
        "gru": gru_step(inp["gru"]),
        "rnn": rnn_step(inp["rnn"]),
        **{"bi_" + k: bidirectional(k, inp[k], inp[k + "_reverse"], inp["sequence"]) for k in ("lstm", "gru", "rnn")},
        "additive": additive(att, inp["additive"]),
        "dot": dot(att),
        "general": general(att, inp["general"]),
        "concat": concat(att, inp["concat"]),
    }
    with open(sys.argv[2], "w") as f:
        json.dump(res, f)


if __name__ == "__main__":
    main()
