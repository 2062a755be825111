"""A region of one council: ``run_region`` on one one-child council (one data folder, no region.yaml) with one
small section notebook on a one-worker ``LocalCluster`` (seconds, not a real report's minutes). Its report
is written as in any region; there is no regional comparison (the region would be the council itself), and
the index page says why instead of linking one."""

from __future__ import annotations

import pytest

from cpkit.region.graph import PUBLISHED, REGIONAL_DIR, RegionRequest, run_region
from cpkit.report.sections import Section

from ..report.notebooks import write_council, write_notebook

pytestmark = pytest.mark.slow


def test_a_region_of_one_council_writes_its_report_and_an_index_saying_why_no_comparison(tmp_path):
    region = tmp_path / "region"
    write_council(region / "only")  # la_name: Sample Council
    section = Section(
        "01_test",
        "Test section",
        "Names the council.",
        path=write_notebook(
            tmp_path / "01_test.ipynb",
            'from cpkit.present import show_markdown\nshow_markdown(f"The council is {la_name}.")',
        ),
    )
    out = tmp_path / "out"
    result = run_region(
        RegionRequest(year=2025, data_dir=region, out_dir=out, workers=1, progress=False, registry=(section,))
    )
    [only] = result.councils
    assert only.status == PUBLISHED and not result.failed
    page = (out / "only" / "2025" / "01_test.html").read_text(encoding="utf-8")
    assert "The council is Sample Council." in page
    # no comparison is written, and that is not a failure of the regional step (the command exits 0)
    assert result.regional is None and not result.regional_failed
    assert not (out / REGIONAL_DIR).exists()
    assert result.regional_seconds == 0.0
    index = result.index.read_text(encoding="utf-8")
    assert 'href="only/2025/index.html"' in index
    assert "No regional comparison: the region is one council, Sample Council, so there is nothing" in index
    assert "its report compares it with England and its statistical neighbours" in index
