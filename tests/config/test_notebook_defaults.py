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
