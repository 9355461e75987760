#!/usr/bin/env python3
"""Execute the textgen notebooks headless with the GoNB kernel, and check them.

Usage (from anywhere; run `go run ./cmd/textgen setup` first):

    .textgen/venv/bin/python scripts/run_notebooks.py [--timeout 900] [--inplace] [notebooks/x.ipynb ...]

Without arguments every notebooks/*.ipynb runs, in name order. Each executed notebook is saved to
.textgen/executed/<name>.ipynb, also when it fails (open it to see where). --inplace also writes the outputs
back into the notebook itself, for committing (only when it passed; execution timings are stripped).
GoNB's own log goes to .textgen/executed/<name>.kernel.log.

A notebook fails when:
  - a cell produces an `error` output (compile error, panic, os.Exit, ...), unless the cell is tagged
    `raises-exception`; execution stops at that cell;
  - a cell's stderr contains "panic:" (same exception);
  - it shows fewer pictures than required: by default at least 1 output with image/png, image/svg+xml, or
    text/html containing <img or <svg; notebook metadata {"textgen": {"require_images": N}} sets N (0 allowed);
  - a cell runs longer than --timeout seconds (the cell is interrupted), or the kernel dies.

The kernel runs with JUPYTER_DATA_DIR=<repo>/.textgen/jupyter, <repo>/.textgen/bin first on PATH (gonb,
goimports) and GOMLX_NO_AUTO_INSTALL=1. Exit status: 0 all passed, 1 a notebook failed, 2 setup/usage error.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / ".textgen"
KERNEL_NAME = "gonb"
IMAGE_MIME = ("image/png", "image/svg+xml")


def configure_env() -> None:
    """Environment for the kernel: set before Jupyter looks for kernel specs or starts one."""
    os.environ["JUPYTER_DATA_DIR"] = str(TOOLS / "jupyter")
    os.environ["PATH"] = os.pathsep.join([str(TOOLS / "bin"), os.environ.get("PATH", "")])
    os.environ.setdefault("GOMLX_NO_AUTO_INSTALL", "1")


def tags(cell) -> list:
    return cell.get("metadata", {}).get("tags", [])


def is_image_output(out) -> bool:
    if out.get("output_type") not in ("display_data", "execute_result", "update_display_data"):
        return False
    data = out.get("data", {})
    if any(m in data for m in IMAGE_MIME):
        return True
    html = data.get("text/html", "")
    if isinstance(html, list):
        html = "".join(html)
    html = html.lower()
    return "<img" in html or "<svg" in html


def required_images(nb) -> int:
    """Images the notebook must show: metadata textgen.require_images, default 1."""
    value = nb.metadata.get("textgen", {}).get("require_images", 1)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"notebook metadata textgen.require_images must be an integer >= 0, got {value!r}")
    return value


def text_of(out) -> str:
    t = out.get("text", "")
    return "".join(t) if isinstance(t, list) else t


def check(nb, completed: bool = True, timed_out: frozenset = frozenset(), timeout: float = 0) -> list[str]:
    """Problems found in an executed notebook's outputs; images are counted only if all cells ran.
    Cells in timed_out ran into the time limit and were interrupted."""
    problems = []
    images = 0
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        allowed = "raises-exception" in tags(cell)
        for out in cell.get("outputs", []):
            images += is_image_output(out)
            if allowed:
                continue
            if out.get("output_type") == "error":
                msg = "\n".join(out.get("traceback", [])) or f"{out.get('ename')}: {out.get('evalue')}"
                why = f"ran longer than {timeout:g} s (--timeout) and was interrupted" if i in timed_out else "error output"
                problems.append(f"cell {i}: {why}:\n{indent(msg)}")
            elif out.get("output_type") == "stream" and out.get("name") == "stderr" and "panic:" in text_of(out):
                problems.append(f"cell {i}: panic on stderr:\n{indent(text_of(out))}")
    try:
        need = required_images(nb)
    except ValueError as e:
        return problems + [str(e)]
    if images < need and completed and not problems:
        problems.append(f"{images} image output(s), need at least {need} "
                        "(set metadata {\"textgen\": {\"require_images\": N}} to change)")
    return problems


def indent(s: str, limit: int = 40) -> str:
    lines = s.rstrip().splitlines()
    if len(lines) > limit:
        lines = lines[:limit] + [f"... ({len(lines) - limit} more lines)"]
    return "\n".join("    " + l for l in lines)


def tail(path: Path, lines: int = 20) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as e:
        return f"    ({e})"
    return indent("\n".join(text.splitlines()[-lines:]), lines)


def write_atomic(nb, path: Path) -> None:
    import nbformat

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix="." + path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            nbformat.write(nb, f)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def strip_timings(nb) -> None:
    for cell in nb.cells:
        cell.get("metadata", {}).pop("execution", None)


def run_one(path: Path, args) -> tuple[bool, float, list[str]]:
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        nb = nbformat.read(path, as_version=4)  # adds missing cell ids (nbformat 4.5), with a warning
    for w in caught:
        if type(w.message).__name__ == "MissingIDFieldWarning":
            print("    note: cells without an id (required by nbformat 4.5); ids were added to the executed copy",
                  flush=True)
            break
        print(f"    note: {w.message}", flush=True)
    client = NotebookClient(
        nb,
        kernel_name=KERNEL_NAME,
        timeout=args.timeout,
        startup_timeout=args.startup_timeout,
        interrupt_on_timeout=True,
        allow_errors=False,  # stop at the first error (cells tagged raises-exception may fail)
        record_timing=True,
        resources={"metadata": {"path": str(path.parent)}},  # the kernel runs in the notebook's directory
    )
    cell_start, cell_secs = {}, {}  # cell index -> when it started, seconds it ran

    def cell_started(cell, cell_index, **_):
        cell_start[cell_index] = time.monotonic()

    def cell_ended(cell, cell_index, **_):
        cell_secs[cell_index] = time.monotonic() - cell_start[cell_index]

    client.on_cell_execute = cell_started
    client.on_cell_executed = cell_ended
    problems = []
    start = time.monotonic()
    out_path = args.out_dir / path.name
    # GoNB logs verbosely to its stderr: keep that out of the test output, in a file next to the result.
    log_path = args.out_dir / (path.stem + ".kernel.log")
    args.out_dir.mkdir(parents=True, exist_ok=True)
    with open(log_path, "wb") as kernel_log:
        try:
            client.execute(stdout=kernel_log, stderr=kernel_log)
        except CellTimeoutError as e:
            problems.append(f"a cell ran longer than {args.timeout:g} s (--timeout):\n{indent(str(e), 10)}")
        except DeadKernelError as e:
            problems.append(f"the kernel died:\n{indent(str(e))}\nkernel log {log_path}:\n{tail(log_path)}")
        except CellExecutionError:
            pass  # the error output is in the notebook; check() reports it
        except KeyboardInterrupt:
            problems.append("interrupted")
            raise
        except Exception as e:  # kernel failed to start, bad notebook, ...
            problems.append(f"{type(e).__name__}: {indent(str(e))}\nkernel log {log_path}:\n{tail(log_path)}")
        finally:
            elapsed = time.monotonic() - start
            write_atomic(nb, out_path)
    # An interrupted cell ends with an error output; its run time tells a timeout apart from other errors.
    timed_out = frozenset(i for i, secs in cell_secs.items() if secs >= 0.98 * args.timeout)
    problems += check(nb, completed=not problems, timed_out=timed_out, timeout=args.timeout)
    if cell_secs:
        slowest = max(cell_secs, key=cell_secs.get)
        print(f"    slowest cell: {slowest} ({cell_secs[slowest]:.1f} s)", flush=True)
    ok = not problems
    if ok and args.inplace:
        strip_timings(nb)
        write_atomic(nb, path)
    return ok, elapsed, problems


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                epilog="See the module docstring for the checks.")
    p.add_argument("notebooks", nargs="*", type=Path, help="notebooks to run (default: notebooks/*.ipynb)")
    p.add_argument("--timeout", type=float, default=900, help="per-cell time limit in seconds (default 900)")
    p.add_argument("--startup-timeout", type=float, default=120, help="kernel start time limit in seconds")
    p.add_argument("--inplace", action="store_true",
                   help="write outputs back into the notebooks that pass (for committing)")
    p.add_argument("--out-dir", type=Path, default=TOOLS / "executed",
                   help="where executed copies go (default .textgen/executed)")
    args = p.parse_args()

    configure_env()
    try:
        from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
    except ImportError as e:
        print(f"run_notebooks: {e}: run it with .textgen/venv/bin/python after `go run ./cmd/textgen setup`",
              file=sys.stderr)
        return 2
    try:
        spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    except NoSuchKernel:
        print(f"run_notebooks: no {KERNEL_NAME!r} kernel spec in {os.environ['JUPYTER_DATA_DIR']}: "
              "run `go run ./cmd/textgen setup`", file=sys.stderr)
        return 2
    if TOOLS.resolve() not in Path(spec.resource_dir).resolve().parents:
        print(f"run_notebooks: the {KERNEL_NAME!r} kernel spec found is {spec.resource_dir}, not the project's "
              f"({TOOLS / 'jupyter'}): run `go run ./cmd/textgen setup`", file=sys.stderr)
        return 2
    if not Path(spec.argv[0]).exists():
        print(f"run_notebooks: kernel spec {spec.resource_dir} runs {spec.argv[0]}, which does not exist: "
              "run `go run ./cmd/textgen setup`", file=sys.stderr)
        return 2

    notebooks = [n.resolve() for n in args.notebooks] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    missing = [str(n) for n in notebooks if not n.is_file()]
    if missing:
        print(f"run_notebooks: no such notebook: {', '.join(missing)}", file=sys.stderr)
        return 2
    if not notebooks:
        print("run_notebooks: WARNING: no notebooks in notebooks/ -- nothing to run")
        return 0

    args.out_dir = args.out_dir.resolve()
    results = []
    total = time.monotonic()
    for n in notebooks:
        name = os.path.relpath(n, ROOT)
        print(f"==> {name}", flush=True)
        ok, elapsed, problems = run_one(n, args)
        results.append((name, ok, elapsed))
        status = "ok" if ok else "FAILED"
        print(f"    {status} ({elapsed:.1f} s) -> {os.path.relpath(args.out_dir / n.name, ROOT)}", flush=True)
        for prob in problems:
            print(indent(prob, 60), flush=True)
    print(f"\nnotebooks: {sum(ok for _, ok, _ in results)}/{len(results)} passed "
          f"in {time.monotonic() - total:.1f} s")
    for name, ok, elapsed in results:
        print(f"  {'ok    ' if ok else 'FAILED'} {elapsed:7.1f} s  {name}")
    return 0 if all(ok for _, ok, _ in results) else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("run_notebooks: interrupted", file=sys.stderr)
        sys.exit(130)
