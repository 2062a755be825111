"""Reports built once per test session with every section notebook, for the document, workbook,
privacy and accessibility tests.

``sample_report`` (in ``tests/conftest.py``, with ``built_once``: the section tests read its executed
notebooks too) is the shipped sample's 2025 report. ``small_council`` is the 2025 report of a council
of about thirty children cut out of the sample (every SSDA903 table of every year filtered to the same
children, the other input files as they are): small enough that the small-number rule must bite. Tests
using them carry ``@pytest.mark.xdist_group(...)`` so that ``--dist loadgroup`` sends them to one worker.
That grouping is silently lost with pytest 9 and pytest-xdist 3.8 (xdist renames ``item._nodeid``, which
pytest 9 no longer reads), so each report is also built once for all workers: the first worker to need it
builds it into the workers' shared temporary folder under a file lock, the others wait and reuse it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from cpkit.report.runner import SAMPLE_DIR, ReportRequest, build_report

from ..conftest import built_once  # noqa: F401 (the report tests import it from here)

SMALL_COUNCIL_CHILDREN = 30
SMALL_COUNCIL_NAME = "Small Test Council"


def make_small_council(source: Path, target: Path, n: int = SMALL_COUNCIL_CHILDREN) -> list[str]:
    """Copy the sample to ``target`` keeping only ``n`` children (in care in both 2024 and 2025) in every
    SSDA903 table of every year; return their CHILD ids."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("ssda903"))
    years = sorted(p for p in (source / "ssda903").iterdir() if p.is_dir())

    def ids(year: str) -> set[str]:
        return set(pd.read_csv(source / "ssda903" / year / "episodes.csv", dtype=str)["CHILD"])

    both = sorted(ids("2024") & ids("2025"), key=int)
    step = max(1, len(both) // n)
    children = both[::step][:n]
    for year in years:
        (target / "ssda903" / year.name).mkdir(parents=True)
        for file in year.iterdir():
            if file.suffix.lower() != ".csv":
                raise AssertionError(f"the small council copies CSV returns only, not {file}")
            table = pd.read_csv(file, dtype=str, keep_default_na=False)
            kept = table[table["CHILD"].isin(children)] if "CHILD" in table.columns else table
            kept.to_csv(target / "ssda903" / year.name / file.name, index=False)
    return children


# The analyst's own words for one section, kept beside the data as a council would keep them.
COMMENTARY = "Admissions rose in **August** after the sibling group placement review.\n"


@pytest.fixture(scope="session")
def small_council_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small council's data folder (no report built)."""

    def make(folder: Path) -> Path:
        make_small_council(SAMPLE_DIR, folder / "data")
        note = folder / "data" / "commentary" / "2025" / "01_children_in_care.md"
        note.parent.mkdir(parents=True)
        note.write_text(COMMENTARY, encoding="utf-8")
        return folder / "data"

    return built_once(tmp_path_factory, "small_council_data", make)


@pytest.fixture(scope="session")
def small_council(tmp_path_factory: pytest.TempPathFactory, small_council_data: Path) -> Path:
    """``reports/2025/`` of the small council, with all sections."""

    def build(folder: Path) -> Path:
        request = ReportRequest(
            year=2025,
            data_dir=small_council_data,
            out_dir=folder / "reports",
            la_name=SMALL_COUNCIL_NAME,
            progress=False,
            jobs=2,
        )
        return build_report(request)

    return built_once(tmp_path_factory, "small_council", build)


def report_pages(report: Path) -> list[Path]:
    """Every HTML page of a built report: the sections, the contents page and the single document."""
    return sorted(report.glob("*.html"))
