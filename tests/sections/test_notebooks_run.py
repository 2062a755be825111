"""Each care section notebook runs top to bottom on the sample, for 2024 and 2025, and prints no child ids.

The 2025 runs are those of the sample's 2025 report (``sample_report``, built once for the whole test run),
so the notebooks are not run a second time on the same data; 2024 is run here, on the cache the report's
prepare step writes for 2024 (``sample_cache_2024``)."""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import SAMPLE_DIR

from ..notebook_runs import in_sample_report, run_section

NOTEBOOKS = ["01_children_in_care", "02_placements", "03_health", "05_care_leavers"]


@pytest.fixture(scope="module")
def child_ids() -> set[str]:
    ids: set[str] = set()
    for path in (SAMPLE_DIR / "ssda903").rglob("header.csv"):
        ids.update(line.split(",")[0] for line in path.read_text(encoding="utf-8").splitlines()[1:])
    return ids


@pytest.mark.parametrize("year", [2024, 2025])
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_on_the_sample(name, year, request, child_ids, tmp_path):
    if year == 2025:  # the sample's 2025 report ran this notebook on the sample already: read its run
        out = in_sample_report(request.getfixturevalue("sample_report"), name)
    else:
        cache = request.getfixturevalue("sample_cache_2024")  # as `cpkit report --year 2024` prepares it
        out = run_section(
            name, tmp_path, year=year, period="financial", data_dir=str(SAMPLE_DIR), cache_dir=str(cache)
        )
    nb = json.loads(out.read_text(encoding="utf-8"))
    outputs = [o for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    html = " ".join(
        "".join(o.get("data", {}).get("text/html", "")) + "".join(o.get("data", {}).get("text/markdown", ""))
        for o in outputs
    )
    assert (
        re.search(r"<table[\s>]", html) and "<figure" in html
    )  # a table (now with its data-block) and a chart
    assert str(year) in html
    html_text = re.sub(r'src="data:image/png;base64,[^"]+"', "", html)
    leaked = {tok for tok in re.findall(r"\b\d{6,}\b", html_text) if tok in child_ids}
    assert not leaked, f"child ids in the output: {sorted(leaked)[:5]}"
