"""A notebook run by hand takes the council's name and code from its cpkit.yaml, never the sample's."""

from __future__ import annotations

import papermill as pm
import pytest

from cpkit.report.context import open_section

from ..conftest import ROOT, SAMPLE_DIR

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[n.stem for n in NOTEBOOKS])
def test_council_parameters_default_to_blank(notebook):
    declared = pm.inspect_notebook(str(notebook))
    for name in ("la_name", "la_code"):
        assert declared[name]["default"] in ('""', "''"), (notebook.name, name, declared[name]["default"])


def test_blank_parameters_take_the_council_settings(tmp_path):
    council = tmp_path / "council"
    council.mkdir()
    text = (SAMPLE_DIR / "cpkit.yaml").read_text(encoding="utf-8")
    text = text.replace("la_name: Sample Council", "la_name: Anytown Council")
    (council / "cpkit.yaml").write_text(text, encoding="utf-8")
    ctx = open_section("01_children_in_care", year=2025, period="financial", data_dir=str(council))
    assert ctx.config.la_name == "Anytown Council" and ctx.config.population_0_17 == 64000


def test_a_notebook_runs_with_papermill_from_the_repository_root(tmp_path):
    """The README's papermill example, as a newcomer types it: from the repository's root, no --cwd, no
    data_dir: the blank default is the shipped sample (it was "../data/sample", relative to notebooks/)."""
    import subprocess
    import sys

    out = tmp_path / "out.ipynb"
    run = subprocess.run(
        [sys.executable, "-m", "papermill", "notebooks/06_action_plan.ipynb", str(out), "-p", "year", "2025"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert "This section covers 1 April 2024 to 31 March 2025" in out.read_text(encoding="utf-8")
