"""Running a section notebook for real in a test, and reading what it showed."""

from __future__ import annotations

from pathlib import Path

import nbformat
import papermill as pm

from .conftest import ROOT

NOTEBOOKS = ROOT / "notebooks"


def run_section(name: str, out_dir: Path, **parameters: object) -> Path:
    """Execute ``notebooks/<name>.ipynb`` with papermill (kernel python3, from the notebooks folder)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / f"{name}.ipynb"
    pm.execute_notebook(
        str(NOTEBOOKS / f"{name}.ipynb"),
        str(out),
        parameters=parameters,
        kernel_name="python3",
        cwd=str(NOTEBOOKS),
        progress_bar=False,
        start_timeout=120,
    )
    return out


def shown(path: Path) -> str:
    """Everything the executed notebook displayed as HTML or Markdown, in order."""
    nb = nbformat.read(str(path), as_version=4)
    return "".join(
        o.get("data", {}).get("text/html", "") + o.get("data", {}).get("text/markdown", "")
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
    )


def in_sample_report(sample_report: Path, name: str) -> Path:
    """The executed ``<name>.ipynb`` of the sample's 2025 report (the ``sample_report`` fixture, built once for
    the whole test run): the section run on the sample for 2025, financial, as ``cpkit report`` runs it. Tests
    of that very run read it here instead of running the notebook again."""
    return sample_report.parent / "_analyst" / "2025" / f"{name}.ipynb"
