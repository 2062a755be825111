"""The runner end to end with real papermill and nbconvert, on small notebooks built here."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from cpkit import cli
from cpkit.errors import ReportFailed
from cpkit.report import sections as sections_mod
from cpkit.report.runner import ReportRequest, build_report
from cpkit.report.sections import Section

from ..conftest import SAMPLE_DIR
from .notebooks import GOOD_BODY, write_notebook

pytestmark = pytest.mark.slow


def _request(tmp_path: Path, registry: tuple[Section, ...], **kw) -> ReportRequest:
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    (data / "note.txt").write_text("an input file", encoding="utf-8")
    # a council's settings and the smallest return the report year needs (one child, Header and Episodes)
    shutil.copy(SAMPLE_DIR / "cpkit.yaml", data / "cpkit.yaml")
    returns = data / "ssda903" / "2025"
    returns.mkdir(parents=True, exist_ok=True)
    (returns / "header.csv").write_text(
        "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n1001,M,01/01/2010,WBRI,A999000000001,,\n", encoding="utf-8"
    )
    (returns / "episodes.csv").write_text(
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
        "1001,01/04/2024,S,C2,N1,U1,PR1,,,,,,\n",
        encoding="utf-8",
    )
    return ReportRequest(
        year=2025,
        data_dir=data,
        out_dir=tmp_path / "reports",
        registry=registry,
        jobs=2,
        progress=False,
        **kw,
    )


@pytest.fixture
def good(tmp_path: Path) -> Section:
    return Section(
        "01_good",
        "Good section",
        "Shows a chart and a table.",
        path=write_notebook(tmp_path / "nb" / "01_good.ipynb", GOOD_BODY, title="Good section"),
    )


@pytest.fixture
def bad(tmp_path: Path) -> Section:
    body = "x = 1\nraise ValueError('boom in the test section')"
    return Section(
        "02_bad", "Bad section", "Fails.", path=write_notebook(tmp_path / "nb" / "02_bad.ipynb", body)
    )


def test_report_pages_meet_the_html_contract(tmp_path, good):
    out = build_report(_request(tmp_path, (good,), la_name="Test Council"))
    assert out == tmp_path / "reports" / "2025"
    page = (out / "01_good.html").read_text(encoding="utf-8")
    index = (out / "index.html").read_text(encoding="utf-8")
    for html in (page, index):
        assert '<html lang="en">' in html
        assert re.search(r"<title>[^<]+</title>", html)
        assert "<main" in html
        assert "<script" not in html.lower()
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), "no external URL may be loaded"
    # no code, no printed output, no warnings, no plain-text reprs, no parameter cell
    for marker in (
        "STDOUT-MARKER",
        "STDERR-MARKER",
        "WARNING-MARKER",
        "show_chart(",
        "import ",
        "cache_dir",
        "Traceback",
    ):
        assert marker not in page, marker
    assert "The year is 2025 and the council is Test Council." in page
    imgs = re.findall(r"<img [^>]*>", page)
    assert len(imgs) == 1 and 'alt="Bar chart: b is twice a in the test data"' in imgs[0]
    assert "data:image/png;base64," in imgs[0]
    assert "<caption>Test table</caption>" in page and '<th scope="col">Count</th>' in page
    assert 'href="01_good.html"' in index and "Shows a chart and a table." in index
    assert "note.txt" not in index  # present in the data folder but not read: not listed
    assert (tmp_path / "reports" / "_analyst" / "2025" / "01_good.ipynb").exists()
    assert not list((tmp_path / "reports").glob(".2025-building-*")), "staging folder must be cleaned up"
    # the run's own stage timings, for the analyst and benchmarks/bench_report.py (not in the shared report)
    assert not (out / "timings.json").exists()
    record = json.loads((tmp_path / "reports" / "_analyst" / "2025" / "timings.json").read_text("utf-8"))
    stages = {(s["group"], s["stage"]): s["seconds"] for s in record["stages"]}
    for stage in [
        ("prepare", "read the returns"),
        ("prepare", "DfE validator (waited for after the figures table)"),  # it ran beside them
        ("prepare", "figures table"),
        ("sections", "01_good"),
        ("sections", "kernel start-up (01_good)"),  # the one worker's new kernel, until it answered
        ("writers", "section pages"),
        ("writers", "Word: Board report"),
        ("writers", "workbook"),
    ]:
        assert stage in stages, stage
    assert stages[("sections", "kernel start-up (01_good)")] < stages[("sections", "01_good")]
    assert set(record["groups"]) == {"prepare", "sections", "writers"}
    # the stages follow one another (each figure rounded to 0.01 s, so their sum may pass the total by that)
    assert sum(record["groups"].values()) <= record["total"] + 0.01 * len(record["groups"])


def test_a_failing_section_leaves_the_previous_report_intact(tmp_path, good, bad):
    first = build_report(_request(tmp_path, (good,)))
    before = {p.name: p.read_bytes() for p in first.iterdir()}

    with pytest.raises(ReportFailed) as err:
        build_report(_request(tmp_path, (good, bad)))
    message = str(err.value)
    assert (
        "02_bad" in message
        and "cell 3 (x = 1)" in message
        and "ValueError: boom in the test section" in message
    )
    assert {p.name: p.read_bytes() for p in first.iterdir()} == before
    assert not (first / "02_bad.html").exists()
    kept = tmp_path / "reports" / "_analyst" / "2025" / "02_bad.ipynb"
    assert kept.exists() and "boom in the test section" in kept.read_text(encoding="utf-8")
    assert not list((tmp_path / "reports").glob(".2025-building-*"))


def test_failure_through_the_command_line_exits_non_zero(tmp_path, bad, monkeypatch, capsys):
    monkeypatch.setattr(sections_mod, "discover", lambda: (bad,))
    data = _request(tmp_path, ()).data_dir  # a council folder: settings and the year's return
    code = cli.main(
        [
            "report",
            "--year",
            "2025",
            "--data",
            str(data),
            "--out",
            str(tmp_path / "r"),
            "--quiet",
            "--jobs",
            "1",
        ]
    )
    assert code == 1
    err = capsys.readouterr().err
    assert "02_bad" in err and "boom in the test section" in err
    assert "FAILED (" not in err  # --quiet: no per-section progress lines, only the failure report
    assert not (tmp_path / "r" / "2025").exists()


def test_a_notebook_missing_a_parameter_is_an_error_not_a_warning(tmp_path):
    nb = write_notebook(tmp_path / "nb" / "03_old.ipynb", "x = 1", parameters="year: int = 2025  # year")
    with pytest.raises(ReportFailed, match=r"03_old.*not declared"):
        build_report(_request(tmp_path, (Section("03_old", "Old", "Old.", path=nb),)))


def test_unknown_section_name_lists_the_known_ones(tmp_path, good):
    with pytest.raises(ValueError, match="01_good"):
        build_report(_request(tmp_path, (good,), sections=["nope"]))
