#!/usr/bin/env bash
# The benchmark against PyTorch and Keras (issue 6), one command: bash scripts/bench.sh [runbench flags]
#
# 1. Installs the Python peers (bench/requirements.txt: torch, tensorflow-cpu, keras) into .textgen/bench-venv,
#    once (reinstalled when the requirements change); every install step has a timeout.
# 2. Installs the PJRT CPU plugin for the XLA backend if it is missing (`textgen setup`).
# 3. Builds bench/cmd/textgenbench and bench/cmd/runbench and runs the benchmark, each framework and config in
#    its own process, one after another, then writes docs/benchmarks.md and docs/benchmarks-train.png.
#
# Takes about 20–30 minutes on 2 cores; run it on a quiet machine (the report records the load average).
# Flags are passed to runbench, e.g. -quick (tiny step counts, checks the pipeline), -configs S,
# -only textgen-xla,pytorch-eager, -timeout 20m. Each run's log is in .textgen/bench/logs/.
# Needs: Go 1.26, gcc, python3 3.11–3.13 with venv, network access to PyPI on the first run (~6 GB).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export GOMLX_NO_AUTO_INSTALL=1 # never let GoMLX download a plugin from GitHub
VENV="$ROOT/.textgen/bench-venv"
REQ="$ROOT/bench/requirements.txt"
STAMP="$VENV/.requirements.sha256"
PYTHON="${PYTHON:-python3}"

want="$(sha256sum "$REQ" | cut -d' ' -f1)"
if [[ ! -x "$VENV/bin/python" || "$(cat "$STAMP" 2>/dev/null)" != "$want" ]]; then
	echo "==> bench venv: installing $REQ into $VENV (first run: ~6 GB from PyPI)"
	start=$SECONDS
	timeout 300 "$PYTHON" -m venv "$VENV"
	timeout 2400 "$VENV/bin/pip" install -q --progress-bar off --default-timeout 60 -r "$REQ"
	echo "$want" >"$STAMP"
	echo "    done in $((SECONDS - start)) s; $(du -sh "$VENV" | cut -f1) on disk"
fi
timeout 300 "$VENV/bin/python" -c "import torch, tensorflow, keras" ||
	{ echo "bench venv $VENV is broken: delete it and rerun" >&2; exit 1; }

if [[ ! -f "$ROOT/.textgen/pjrt/pjrt_c_api_cpu_plugin.so" ]]; then
	echo "==> PJRT CPU plugin missing: running textgen setup"
	timeout 3600 go run ./cmd/textgen setup -skip-corpora -timeout 15m
fi

echo "==> building the harness"
timeout 900 go build -o "$ROOT/.textgen/bench/" ./bench/cmd/textgenbench ./bench/cmd/runbench
echo "==> running (load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
# runbench limits each run (-timeout, default 15m); the outer limit only guards against a hang of runbench itself.
timeout 10800 "$ROOT/.textgen/bench/runbench" -python "$VENV/bin/python" -textgenbench "$ROOT/.textgen/bench/textgenbench" "$@"
