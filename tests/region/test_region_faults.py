"""A council whose section fails is that council's failure alone: ``run_region`` on two one-child councils
(one data folder each, no region.yaml) with one small section notebook that raises for one of them, on a
one-worker ``LocalCluster`` (seconds, not a real report's minutes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cpkit.region.graph import FAILED, PUBLISHED, RegionRequest, run_region
from cpkit.report.sections import Section

from ..report.notebooks import write_council, write_notebook

pytestmark = pytest.mark.slow

BODY = """from cpkit.present import show_markdown
if la_name == "Failing Borough":
    raise ValueError("boom for " + la_name)
show_markdown(f"The council is {la_name}.")"""


def _council(data: Path, name: str, code: str) -> None:
    write_council(data)
    settings = (data / "cpkit.yaml").read_text(encoding="utf-8")
    settings = settings.replace("la_name: Sample Council", f"la_name: {name}")
    settings = settings.replace("la_code: E06000999", f"la_code: E06000{code}")
    (data / "cpkit.yaml").write_text(
        settings.replace('la_old_code: "999"', f'la_old_code: "{code}"'), "utf-8"
    )


def test_a_failed_section_fails_its_council_alone_with_the_cell_and_error(tmp_path):
    region = tmp_path / "region"
    _council(region / "good", "Good Borough", "981")
    _council(region / "failing", "Failing Borough", "982")
    section = Section(
        "01_test",
        "Test section",
        "Fails for one council.",
        path=write_notebook(tmp_path / "01_test.ipynb", BODY),
    )
    result = run_region(
        RegionRequest(
            year=2025,
            data_dir=region,
            out_dir=tmp_path / "out",
            workers=1,
            progress=False,
            registry=(section,),
        )
    )
    by_slug = {c.slug: c for c in result.councils}
    assert by_slug["good"].status == PUBLISHED
    assert (tmp_path / "out" / "good" / "2025" / "01_test.html").is_file()
    failing = by_slug["failing"]
    assert failing.status == FAILED and failing.report is None
    # the runner's own message: the section, the cell (3: heading, parameters, body) and the exception
    assert (
        "section 01_test, cell 3" in failing.reason
        and "ValueError: boom for Failing Borough" in failing.reason
    )
    assert not (tmp_path / "out" / "failing" / "2025").exists()
    assert (tmp_path / "out" / "failing" / "_analyst" / "2025" / "01_test.ipynb").is_file()  # for the analyst
    assert result.failed == [failing]
    # the regional step ran for the published council, and its time is given apart (for benchmarks/)
    assert 0 < result.regional_seconds < result.seconds, result.regional_note
    index = result.index.read_text(encoding="utf-8")
    assert "boom for Failing Borough" in index and 'href="good/2025/index.html"' in index
