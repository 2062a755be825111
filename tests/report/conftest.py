"""Reports built once per test session with every section notebook, for the document, workbook,
privacy and accessibility tests.

``sample_report`` is the shipped sample's 2025 report. ``small_council`` is the 2025 report of a council
of about thirty children cut out of the sample (every SSDA903 table of every year filtered to the same
children, the other input files as they are): small enough that the small-number rule must bite. Tests
using them carry ``@pytest.mark.xdist_group(...)`` so each report is built by one worker only under
``--dist loadgroup``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from cpkit.report.runner import SAMPLE_DIR, ReportRequest, build_report

SMALL_COUNCIL_CHILDREN = 30
SMALL_COUNCIL_NAME = "Small Test Council"


@pytest.fixture(scope="session")
def sample_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``reports/2025/`` built from ``data/sample`` with all sections."""
    out = tmp_path_factory.mktemp("sample") / "reports"
    return build_report(ReportRequest(year=2025, out_dir=out, progress=False, jobs=2))


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


@pytest.fixture(scope="session")
def small_council_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small council's data folder (no report built)."""
    data = tmp_path_factory.mktemp("small") / "data"
    make_small_council(SAMPLE_DIR, data)
    return data


@pytest.fixture(scope="session")
def small_council(small_council_data: Path) -> Path:
    """``reports/2025/`` of the small council, with all sections."""
    out = small_council_data.parent / "reports"
    return build_report(
        ReportRequest(
            year=2025,
            data_dir=small_council_data,
            out_dir=out,
            la_name=SMALL_COUNCIL_NAME,
            progress=False,
            jobs=2,
        )
    )


def report_pages(report: Path) -> list[Path]:
    """Every HTML page of a built report: the sections, the contents page and the single document."""
    return sorted(report.glob("*.html"))
