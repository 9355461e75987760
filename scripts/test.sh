#!/usr/bin/env bash
# The project's test command (README): bash scripts/test.sh
#
# From a fresh clone it installs the project-local tools into .textgen/ (idempotent), then checks formatting
# and vet, runs the Go tests on the pure-Go backend and on XLA (PJRT CPU plugin), and executes the notebooks.
# Needs: Go 1.26, python3 >= 3.11 with venv/pip, gcc, and network access to PyPI and the Go module proxy on
# the first run. Environment:
#   TEXTGEN_SKIP_XLA=1   skip installing the PJRT plugin and the XLA test pass (loudly); CI must not set it.
# Arguments are passed to `textgen setup` (e.g. -timeout 20m).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export GOMLX_NO_AUTO_INSTALL=1 # never let GoMLX download a plugin from GitHub (no timeout there)
PLUGIN="$ROOT/.textgen/pjrt/pjrt_c_api_cpu_plugin.so"

now() { # microseconds since the epoch (bash >= 5; whole seconds otherwise)
	if [[ -n "${EPOCHREALTIME:-}" ]]; then echo "${EPOCHREALTIME/[.,]/}"; else echo "$(date +%s)000000"; fi
}
secs() { # secs START: seconds since START, one decimal
	local us=$(($(now) - $1))
	printf '%d.%d' $((us / 1000000)) $((us % 1000000 / 100000))
}
T0=$(now)
PHASES=()
CURRENT=""
PHASE_START=""

phase() { # phase NAME: starts timing a phase (ending the previous one)
	end_phase
	CURRENT="$1"
	PHASE_START=$(now)
	printf '\n######## %s\n' "$CURRENT"
}
end_phase() {
	if [[ -n "$CURRENT" ]]; then
		PHASES+=("$(printf '%8ss  %s' "$(secs "$PHASE_START")" "$CURRENT")")
		CURRENT=""
	fi
}
summary() {
	local rc=$?
	if [[ "${TEXTGEN_SKIP_XLA:-}" == "1" ]]; then
		printf '\n!!!!!!!! TEXTGEN_SKIP_XLA=1: the XLA backend was NOT tested !!!!!!!!\n'
	fi
	local failed="$CURRENT"
	end_phase
	printf '\n######## timings\n'
	for p in ${PHASES[@]+"${PHASES[@]}"}; do printf '%s\n' "$p"; done
	printf '%8ss  total\n' "$(secs "$T0")"
	if [[ $rc -ne 0 ]]; then
		printf 'FAILED (exit %d) in phase: %s\n' "$rc" "${failed:-?}"
	else
		printf 'PASSED\n'
	fi
}
trap summary EXIT

SETUP_ARGS=("$@")
if [[ "${TEXTGEN_SKIP_XLA:-}" == "1" ]]; then
	SETUP_ARGS+=(-skip-xla)
fi

phase "setup (go run ./cmd/textgen setup)"
go run ./cmd/textgen setup ${SETUP_ARGS[@]+"${SETUP_ARGS[@]}"}

phase "PyTorch for the numeric cross-checks (Debian python3-torch)"
# seq2seq/model checks its LSTM/GRU/attention steps against PyTorch. PyPI's torch pulls gigabytes of CUDA wheels;
# Debian's python3-torch (1.13, for /usr/bin/python3; ~150 MB download, ~1 min) is enough for correctness checks.
if /usr/bin/python3 -c 'import torch' 2>/dev/null; then
	echo "ok (already installed)"
elif [[ "${TEXTGEN_SKIP_TORCH:-}" == "1" ]]; then
	printf '!!!!!!!! TEXTGEN_SKIP_TORCH=1: PyTorch cross-checks will be skipped !!!!!!!!\n' >&2
else
	SUDO=()
	if [[ $(id -u) -ne 0 ]]; then SUDO=(sudo -n); fi
	timeout 300 "${SUDO[@]}" apt-get update -q
	DEBIAN_FRONTEND=noninteractive timeout 900 "${SUDO[@]}" apt-get install -y -q --no-install-recommends python3-torch
	/usr/bin/python3 -c 'import torch; print("torch", torch.__version__)'
fi

phase "gofmt + go vet"
unformatted=$(find . -name '*.go' -not -path './.textgen/*' -not -path './.git/*' -not -path '*/testdata/*' \
	-exec gofmt -l {} +)
if [[ -n "$unformatted" ]]; then
	printf 'gofmt: these files need formatting (gofmt -w):\n%s\n' "$unformatted" >&2
	exit 1
fi
go vet ./...

phase "go test, pure-Go backend (GOMLX_BACKEND=go)"
GOMLX_BACKEND=go go test -count=1 -timeout 20m ./...

if [[ "${TEXTGEN_SKIP_XLA:-}" == "1" ]]; then
	end_phase
	printf '\n!!!!!!!! TEXTGEN_SKIP_XLA=1: the XLA backend is NOT tested !!!!!!!!\n' >&2
else
	phase "go test, XLA backend (GOMLX_BACKEND=xla:$PLUGIN)"
	if [[ ! -f "$PLUGIN" ]]; then
		printf 'no PJRT plugin at %s after setup: the XLA backend must be tested (TEXTGEN_SKIP_XLA=1 skips it)\n' \
			"$PLUGIN" >&2
		exit 1
	fi
	GOMLX_BACKEND="xla:$PLUGIN" go test -count=1 -timeout 20m ./...
fi

phase "notebooks (scripts/run_notebooks.py)"
.textgen/venv/bin/python scripts/run_notebooks.py

end_phase
