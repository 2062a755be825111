"""Executing one section notebook with papermill, in a worker process, reporting success or the failure.

Kept apart from the runner so a worker imports only what execution needs. A failure is returned, not
raised, so the runner can report every failed section at once with its cell and exception.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

KERNEL_NAME = "python3"  # resolves to the ipykernel of the environment cpkit runs in
START_TIMEOUT = 120  # seconds; kernel starts are slow on a loaded 2-core machine


@dataclass
class SectionRun:
    """The outcome of running one section notebook."""

    name: str
    output: Path
    ok: bool
    seconds: float
    cell: int | None = None  # 1-based position of the failing cell in the source notebook
    cell_source: str | None = None  # the failing cell's first line, to find it at a glance
    error: str | None = None  # "ExceptionName: message"


def run_section(
    name: str, notebook: Path, output: Path, parameters: dict[str, Any], cwd: Path, timeout: int | None
) -> SectionRun:
    """Run ``notebook`` into ``output``; one retry when the kernel fails to start (ZMQ port races)."""
    import papermill as pm
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    began = time.monotonic()
    for attempt in (1, 2):
        try:
            pm.execute_notebook(
                str(notebook),
                str(output),
                parameters=parameters,
                kernel_name=KERNEL_NAME,
                cwd=str(cwd),
                progress_bar=False,
                start_timeout=START_TIMEOUT,
                execution_timeout=timeout,
            )
            return SectionRun(name, output, True, time.monotonic() - began)
        except PapermillExecutionError as exc:
            return SectionRun(
                name,
                output,
                False,
                time.monotonic() - began,
                *_failed_cell(output),
                error=f"{exc.ename}: {exc.evalue}",
            )
        except (CellTimeoutError, DeadKernelError) as exc:
            return SectionRun(
                name,
                output,
                False,
                time.monotonic() - began,
                *_failed_cell(output),
                error=f"{type(exc).__name__}: {exc}".splitlines()[0],
            )
        except RuntimeError as exc:  # kernel did not start (e.g. "Kernel died before replying")
            if attempt == 2:
                return SectionRun(
                    name, output, False, time.monotonic() - began, error=f"kernel failed to start: {exc}"
                )
    raise AssertionError("unreachable")


def _failed_cell(output: Path) -> tuple[int | None, str | None]:
    """The cell papermill marked as failed, numbered as in the source notebook (not counting the
    injected-parameters and error-banner cells papermill adds), with its first line."""
    import nbformat

    try:
        nb = nbformat.read(str(output), as_version=4)
    except (OSError, ValueError):
        return None, None
    position = 0
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if "injected-parameters" in tags or "papermill-error-cell-tag" in tags:
            continue
        position += 1
        if cell.metadata.get("papermill", {}).get("status") == "failed":
            first = next((line for line in cell.source.splitlines() if line.strip()), "")
            return position, first[:100]
    return None, None
