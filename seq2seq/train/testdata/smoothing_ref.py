#!/usr/bin/env python3
"""PyTorch reference for textgen's label-smoothed loss (seq2seq/train/loop_test.go).

Usage: smoothing_ref.py IN.json OUT.json

IN.json: {"logits": [[[...V floats]...T]...B], "labels": [[...T ints]...B], "epsilon": ε}; label 0 is padding.
OUT.json: {"loss": F.cross_entropy(logits, labels, label_smoothing=ε, ignore_index=0) in float64,
           "torch_version": "..."}.
Exit status 3 means torch cannot be imported by this Python (the Go test then tries another one).
"""

import json
import sys

try:
    import torch
    import torch.nn.functional as F
except ImportError as e:
    print(f"{sys.executable}: cannot import torch: {e}", file=sys.stderr)
    sys.exit(3)

with open(sys.argv[1]) as f:
    inp = json.load(f)
logits = torch.tensor(inp["logits"], dtype=torch.float64)
labels = torch.tensor(inp["labels"], dtype=torch.long)
V = logits.shape[-1]
loss = F.cross_entropy(logits.reshape(-1, V), labels.reshape(-1), label_smoothing=inp["epsilon"], ignore_index=0)
with open(sys.argv[2], "w") as f:
    json.dump({"loss": loss.item(), "torch_version": torch.__version__}, f)
