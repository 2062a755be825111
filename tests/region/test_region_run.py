"""``cpkit region`` on a hand-built three-council hub, one real run on a two-worker ``LocalCluster`` shared by
every test here (a real report run costs tens of seconds of both cores: one region run of three councils
and two single ``cpkit report`` runs, each with one section, are the whole cost).

The hub (written below from the shipped sample's returns as raw input; no expected value comes from the
sample): one stacked file per table with ``LA`` and ``YEAR`` columns, as the regional LIIA pipeline writes
them, for the years 2023 to 2025 of three councils:

- North Borough: the sample's children with an odd CHILD id; its rows' LA is its name ("North Borough");
- South Borough: the children with an even CHILD id; its rows' LA is its ONS code (E06000982);
- Broken Borough: the odd children again, LA its DfE code ("983"), but no Episodes rows for 2025, so its
  2025 report cannot be built (``cpkit.report.prepare``: the Episodes table of the report year is missing).

The checks: each good council's published numbers (every cell of its workbook, the Analysis Function
tables of the report's figures) equal those of its own ``cpkit report`` run on the same hub file with a
``cpkit.yaml`` written here by hand (so a council given another council's rows, or the hub's rows of the
wrong year, or other settings, shows); North and South differ (they are different children), so the
comparison cannot pass by both being empty; Broken fails alone with its reason, the command exits 1 and
prints the list; and a worker process SIGKILLed as it starts a section (``CPKIT_TEST_KILL_WORKER``) has its
task run again elsewhere, so both reports still appear.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from cpkit.resources import SAMPLE_DIR

pytestmark = pytest.mark.slow

YEARS = (2023, 2024, 2025)
SECTION = "01_children_in_care"
SETTINGS = {  # the region's defaults, and what each council's own cpkit.yaml says for the single runs
    "region": "Yorkshire and The Humber",
    "la_district_codes": ["E08000019", "E08000039"],
}
COUNCILS = {
    "north-borough": {
        "la_name": "North Borough",
        "la_code": "E06000981",
        "la_old_code": "981",
        "population_0_17": 30000,
    },
    "south-borough": {
        "la_name": "South Borough",
        "la_code": "E06000982",
        "la_old_code": "982",
        "population_0_17": 20000,
    },
    "broken-borough": {
        "la_name": "Broken Borough",
        "la_code": "E06000983",
        "la_old_code": "983",
        "population_0_17": 25000,
    },
}
REGION_YAML = """\
title: Test region
introduction: Three councils of a hand-built hub.
defaults:
  region: Yorkshire and The Humber
  la_district_codes: [E08000019, E08000039]
councils:
  - la_name: North Borough
    la_code: E06000981
    la_old_code: "981"
    population_0_17: 30000
  - la_name: South Borough
    la_code: E06000982
    la_old_code: "982"
    population_0_17: 20000
  - la_name: Broken Borough
    la_code: E06000983
    la_old_code: "983"
    population_0_17: 25000
"""


def _write_hub(hub: Path) -> None:
    """The three councils' returns stacked into one file per table (see the module docstring)."""
    (hub / "ssda903").mkdir(parents=True)
    (hub / "benchmarks").symlink_to(SAMPLE_DIR / "benchmarks")
    (hub / "region.yaml").write_text(REGION_YAML, encoding="utf-8")
    tables = sorted({p.name for y in YEARS for p in (SAMPLE_DIR / "ssda903" / str(y)).glob("*.csv")})
    for name in tables:
        parts = []
        for year in YEARS:
            path = SAMPLE_DIR / "ssda903" / str(year) / name
            if not path.exists():
                continue
            rows = pd.read_csv(path, dtype=str, keep_default_na=False)
            odd = rows["CHILD"].astype(int) % 2 == 1
            for la, keep in (("North Borough", odd), ("E06000982", ~odd), ("983", odd)):
                if la == "983" and name == "episodes.csv" and year == 2025:
                    continue  # Broken Borough sent no episodes for 2025
                part = rows[keep].copy()
                part.insert(0, "YEAR", str(year))
                part.insert(0, "LA", la)
                parts.append(part)
        pd.concat(parts).to_csv(hub / "ssda903" / name, index=False)


def _single_folder(hub: Path, slug: str, folder: Path) -> Path:
    """A council's own data folder for ``cpkit report``: the hub's files and its cpkit.yaml, by hand."""
    folder.mkdir(parents=True)
    (folder / "ssda903").symlink_to(hub / "ssda903")
    (folder / "benchmarks").symlink_to(SAMPLE_DIR / "benchmarks")
    lines = [
        f"{k}: {v!r}" if isinstance(v, str) else f"{k}: {v}"
        for k, v in {**SETTINGS, **COUNCILS[slug]}.items()
    ]
    (folder / "cpkit.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _cpkit(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cpkit", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=1500,
    )


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    root = tmp_path_factory.mktemp("region")
    hub = root / "hub"
    _write_hub(hub)
    marker = root / "killed-worker.pid"
    region = _cpkit(
        "region", "--year", "2025", "--data", str(hub), "--out", str(root / "out"),
        "--sections", SECTION, "--workers", "2",
        env={"CPKIT_TEST_KILL_WORKER": f"{SECTION}:{marker}"},
    )  # fmt: skip
    singles = {}
    for slug in ("north-borough", "south-borough"):
        data = _single_folder(hub, slug, root / "single" / slug)
        singles[slug] = _cpkit(
            "report", "--year", "2025", "--data", str(data), "--out", str(root / "single-out" / slug),
            "--sections", SECTION, "--jobs", "1", "--quiet",
        )  # fmt: skip
    return {"root": root, "region": region, "singles": singles, "marker": marker}


def _workbook(report: Path) -> dict[str, list[tuple]]:
    """Every sheet's cells, as read back (the numbers a council publishes)."""
    from openpyxl import load_workbook

    book = load_workbook(report / "annual-report-data.xlsx", read_only=True)
    return {
        sheet.title: [tuple(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets
    }


def test_each_council_publishes_what_its_own_cpkit_report_publishes(runs):
    root = runs["root"]
    for slug, single in runs["singles"].items():
        assert single.returncode == 0, single.stderr
        mine = _workbook(root / "out" / slug / "2025-partial")
        alone = _workbook(root / "single-out" / slug / "2025-partial")
        assert mine == alone, slug
    # different children: the comparison above cannot pass by every council getting the same rows
    assert _workbook(root / "out" / "north-borough" / "2025-partial") != _workbook(
        root / "out" / "south-borough" / "2025-partial"
    )


def test_a_council_with_broken_data_fails_alone_with_its_reason(runs):
    region, root = runs["region"], runs["root"]
    assert region.returncode == 1, region.stderr
    assert "1 council(s) failed" in region.stderr
    assert "- Broken Borough: the data cannot give a report for 2025" in region.stderr
    assert "Episodes" in region.stderr
    assert "North Borough" not in region.stderr.split("failed:")[-1]
    assert not (root / "out" / "broken-borough" / "2025-partial").exists()
    index = (root / "out" / "index.html").read_text(encoding="utf-8")
    assert "2 of 3 councils&#x27; reports published; 1 failed" in index or "2 of 3 councils' reports" in index
    assert 'href="north-borough/2025-partial/index.html"' in index
    assert 'href="south-borough/2025-partial/index.html"' in index
    assert "Broken Borough" in index and "Episodes" in index
    # nothing child-level left behind: the staging folders (their caches) and the hub's split are removed
    leftovers = [p for p in (root / "out").rglob("*") if "-building-" in p.name]
    assert leftovers == []


def test_a_worker_killed_during_a_section_has_its_task_run_again(runs):
    marker, root = runs["marker"], runs["root"]
    assert marker.exists(), "the test hook never killed a worker"
    pid = int(marker.read_text())
    assert pid != os.getpid()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # that worker is gone
    for slug in ("north-borough", "south-borough"):  # the killed task's council is one of these
        assert (root / "out" / slug / "2025-partial" / f"{SECTION}.html").is_file()


def test_the_regional_comparison_counts_the_regions_children_as_the_councils_sum(runs):
    """Table 1 of the regional workbook (children looked after at 31 March): the region's figure, worked from
    the pooled returns, is North's plus South's (every child is in exactly one of them: odd and even ids);
    Broken Borough, which failed, is not in it. The index page links the comparison."""
    from openpyxl import load_workbook

    root = runs["root"]
    regional = root / "out" / "regional" / "2025"
    book = load_workbook(regional / "regional-comparison-data.xlsx", read_only=True)
    rows = {r[0]: r[1] for r in book["Table 1"].iter_rows(values_only=True) if r and r[0]}
    north, south = rows["North Borough"], rows["South Borough"]
    assert isinstance(north, int) and isinstance(south, int) and north > 5 and south > 5
    assert rows["Test region (region)"] == north + south
    assert "Broken Borough" not in rows
    index = (root / "out" / "index.html").read_text(encoding="utf-8")
    assert 'href="regional/2025/regional-comparison.html"' in index


def test_the_regional_workbook_is_written_as_a_councils_is(runs):
    """The regional comparison's workbook comes from the council report's own writer
    (``cpkit.report.workbook.write_tables``): the same sheets first, the same cover layout, the same words
    for the small-number rule (both at the threshold of 5), the same instructions on each table; and every
    table sheet holds numbers as numbers, with only GSS shorthand in place of a figure (never "<5", the
    page's symbol, nor a figure written as text)."""
    from openpyxl import load_workbook

    from tests.report.test_workbook_standard import GSS, _table, reads_as_figure

    root = runs["root"]
    regional = load_workbook(root / "out" / "regional" / "2025" / "regional-comparison-data.xlsx")
    council = load_workbook(root / "out" / "north-borough" / "2025-partial" / "annual-report-data.xlsx")
    assert regional.sheetnames[:3] == council.sheetnames[:3] == ["Cover", "Contents", "Notes"]

    def cover(book) -> list[str]:
        return [str(r[0]) for r in book["Cover"].iter_rows(values_only=True) if r and r[0]]

    headings = ["Introductory information", "About these data", "Contact"]
    assert [line for line in cover(regional) if line in headings] == headings
    assert [line for line in cover(council) if line in headings] == headings

    def rule(book) -> list[str]:
        return [line for line in cover(book) if line.startswith(("Small-number rule: ", "[c]: "))]

    assert rule(regional)[0] == rule(council)[0]  # one rule, said in the same words
    for book in (regional, council):
        assert [c.value for c in book["Notes"][3] if c.value] == ["Note number", "Note text"]

    def instructions(ws) -> list[str]:
        return [str(r[0]) for r in ws.iter_rows(values_only=True) if r and str(r[0]).startswith("This work")]

    tables = regional.sheetnames[3:]
    assert tables and all(name.startswith("Table ") for name in tables)
    numbers, used = 0, set()
    for name in tables:
        ws = regional[name]
        assert instructions(ws) == instructions(council[council.sheetnames[3]])
        rows = _table(ws)
        head, body = [str(h) for h in rows[0]], rows[1:]
        for row in body:
            for heading, value in list(zip(head, row, strict=True))[1:]:  # after the row's label
                if isinstance(value, int | float) and not isinstance(value, bool):
                    numbers += 1
                    continue
                text = str(value).strip()
                assert not reads_as_figure(text), f"{name}, {heading}: a figure written as text {text!r}"
                if text.startswith("["):
                    assert text in GSS, f"{name}, {heading}: {text!r} is not GSS shorthand"
                    used.add(text)
    assert numbers > 0
    for shorthand in used:  # each one used is on the cover
        assert any(line.startswith(f"{shorthand}: ") for line in cover(regional)), shorthand
