"""Prints the first batch of bench data for a config as JSON, for the Go test that compares it with bench.Data."""
import json
import sys

from common import CONFIGS, data

c = CONFIGS[sys.argv[1]]
src, tin, tout = data(c, 2, int(sys.argv[2]))[1]
print(json.dumps({"src": src, "tgt_in": tin, "tgt_out": tout}))
