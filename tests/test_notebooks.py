"""Every section notebook is committed clean and declares the parameters the runner passes."""

from __future__ import annotations

import nbformat
import papermill as pm
import pytest

from cpkit.report.sections import discover

from .conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
RUNNER_PARAMETERS = {"year", "period", "data_dir", "la_name", "la_code", "config_file", "cache_dir"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_without_outputs(path):
    nb = nbformat.read(str(path), as_version=4)
    for i, cell in enumerate(nb.cells, start=1):
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name} cell {i} has outputs"
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3", "kernelspec must be python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_has_one_documented_parameters_cell(path):
    nb = nbformat.read(str(path), as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, f"{path.name}: exactly one cell must be tagged 'parameters'"
    params = pm.inspect_notebook(str(path))
    assert RUNNER_PARAMETERS <= set(params), f"{path.name} lacks {RUNNER_PARAMETERS - set(params)}"
    for name, spec in params.items():
        assert spec["inferred_type_name"] != "None", f"{path.name}: parameter {name} needs a type annotation"
        assert spec["help"], f"{path.name}: parameter {name} needs a comment saying what it is"


def test_every_notebook_is_a_section_with_a_title_and_summary():
    sections = discover()
    assert [s.notebook for s in sections] == NOTEBOOKS
    assert all(s.title and s.summary for s in sections)


def test_the_retired_run_last_mark_is_refused_with_what_to_set(tmp_path):
    """Sections once ran in two waves, a notebook marked ``cpkit.last`` after the rest; none reads another,
    so the mark is gone, and a notebook still carrying it is told what replaced it rather than silently
    moving in the report."""
    from cpkit.errors import InputError
    from cpkit.report.sections import section_from_notebook

    path = tmp_path / "09_summary.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.metadata["cpkit"] = {"title": "Summary", "summary": "Sums up.", "last": True}
    nbformat.write(nb, str(path))
    with pytest.raises(InputError, match=r"cpkit.last is no longer read.*cpkit.first: true"):
        section_from_notebook(path)
