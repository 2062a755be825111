"""Time what running a section costs besides its own cells: the kept kernel's machinery (target: at most
0.1 s a section on a quiet machine), a new kernel's start and the warm-up a section worker does while the
data is prepared (``cpkit.report.execute``).

- **machinery**: a notebook of one cell (``x = 1``) run again and again in one kept kernel, as a section
  worker runs its sections: the reset between sections, nbclient's client and papermill. December 2026 it
  was 0.8 s a section, all of it waiting (0.2 s of silence awaited twice on the output channel, and an
  ``execute_interactive`` for the reset), where the sections' own work is 0.3 to 4 s;
- **new kernel**: starting a kernel until it answers;
- **warm-up**: a new kernel started and the kit imported in it (``Kernels.warm``), which each section
  worker does beside the prepare step, so the first section on a worker does not wait for it.

    .venv/bin/python benchmarks/bench_kernel.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import nbformat

import cpkit.report  # noqa: F401 - before nbformat's schema checks are built (cpkit.report's __init__)
from cpkit.report.execute import Kernels, run_section

TARGET = 0.1  # seconds of machinery a section in a kept kernel, on a quiet machine

PARAMETERS = 'year: int = 2025  # reporting year\nperiod: str = "financial"  # financial or calendar'


def one_cell_notebook(path: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    params = nbformat.v4.new_code_cell(PARAMETERS)
    params.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# A section"), params, nbformat.v4.new_code_cell("x = 1")]
    nbformat.write(nb, str(path))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="sections run in the kept kernel (default 10)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        notebook = one_cell_notebook(folder / "section.ipynb")
        with Kernels() as kernels:
            began = time.perf_counter()
            kernels.ready(folder)
            start = time.perf_counter() - began
            seconds = []
            for _ in range(args.runs):
                began = time.perf_counter()
                run = run_section("section", notebook, folder / "out.ipynb", {}, folder, 60, kernels)
                seconds.append(time.perf_counter() - began)
                if not run.ok:
                    raise SystemExit(f"the one-cell section failed: {run.error}")
        with Kernels() as kernels:
            began = time.perf_counter()
            warmed = kernels.warm(folder)
            warm = time.perf_counter() - began
    median = statistics.median(seconds)
    print(f"new kernel until it answers: {start:.2f} s")
    print(f"new kernel warmed with the kit imported: {warm:.2f} s ({'ok' if warmed else 'FAILED'})")
    print(
        f"machinery of a section in a kept kernel, {args.runs} runs: median {median:.3f} s, "
        f"slowest {max(seconds):.3f} s (target <= {TARGET} s)"
    )


if __name__ == "__main__":
    main()
