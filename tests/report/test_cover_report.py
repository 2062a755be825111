"""The committee cover report: officers' fields from board/cover_report.yaml, key issues from the headline
figures with their comparators, one rule for small numbers, and the Word and PDF files of a real run."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
from docx import Document

from cpkit.config import Config, Period
from cpkit.errors import AuthoredError, DisclosureLeak
from cpkit.figures.headline import COLUMNS, Headline
from cpkit.publish.block import MIME, Block
from cpkit.publish.figure import Figure, Status
from cpkit.report.authored import authored_problems
from cpkit.report.cover_report import (
    DOCX_NAME,
    PDF_NAME,
    key_issue,
    key_issues,
    key_issues_block,
    load_cover_report,
)
from cpkit.report.execute import SectionRun
from cpkit.report.runner import _cover_blocks, _Plan, settle_disclosure
from cpkit.report.sections import Section

PERIOD = Period.from_year(2025)


def _row(indicator: str, label: str, unit: str, value, num, den, prev=np.nan, pnum=np.nan, pden=np.nan, **kw):
    row = dict.fromkeys(COLUMNS, np.nan)
    row.update(
        source="SSDA903",
        indicator=indicator,
        label=label,
        unit=unit,
        decimals=0,
        value=value,
        numerator=num,
        denominator=den,
        previous_value=prev,
        previous_numerator=pnum,
        previous_denominator=pden,
        period_text="",
        previous_period_text="",
    )
    row.update(kw)
    return row


@pytest.fixture
def config() -> Config:
    return Config(la_name="Anytown Council", la_code="E06000999", population_0_17=10000)


def card(*rows: dict) -> Headline:
    return Headline(pd.DataFrame(list(rows), columns=COLUMNS), PERIOD, bench_year=2025)


def test_a_share_is_given_with_last_year_england_and_neighbours(config):
    # 30 of 40 (75%) this year, 24 of 40 (60%) last; England 68%, neighbours 71.4%: all shown.
    row = _row(
        "placed_foster_pct",
        "Children in foster placements (%)",
        "percent",
        75.0,
        30,
        40,
        60.0,
        24,
        40,
        england=68.0,
        neighbour_avg=71.4,
    )
    text = key_issue(pd.Series(row), card(row), config)
    assert text == (
        "Children in foster placements: 75% in 2024-25, against 60% in 2023-24. England: 68%; statistical "
        "neighbours' average: 71.4% (2024-25)."
    )


def test_a_missing_comparator_is_named_never_left_as_a_hole(config):
    row = _row(
        "placed_foster_pct", "Children in foster placements (%)", "percent", 75.0, 30, 40, neighbour_avg=71.4
    )
    text = key_issue(pd.Series(row), card(row), config)
    assert "England ," not in text and "England: " not in text
    assert text.endswith("Statistical neighbours' average: 71.4% (2024-25); no England figure is published.")
    assert "(no figure for 2023-24)" in text
    bare = _row("cla_rate_10k", "Rate per 10,000 children", "rate", 68.0, 439, 64000)
    assert key_issue(pd.Series(bare), card(bare), config).endswith(
        "The DfE publishes no England or statistical neighbour figure for it to compare with."
    )


def test_counts_compare_with_last_year_only_and_small_figures_are_not_published(config):
    count = _row(
        "cla_started",
        "Children who started to be looked after",
        "number",
        12,
        12,
        np.nan,
        3,
        3,
        np.nan,
        england=40000.0,
    )
    text = key_issue(pd.Series(count), card(count), config)
    # Last year's 3 is a small count: not printed, and no figure it could be worked out from either.
    assert text == (
        "Children who started to be looked after: 12 in 2024-25 (the 2023-24 figure is too small to publish)."
    )
    # 3 of 4 in a share: the complement (1) is small, so the share is hidden and no paragraph is written.
    small = _row(
        "placed_foster_pct", "Children in foster placements (%)", "percent", 75.0, 3, 4, england=68.0
    )
    assert key_issue(pd.Series(small), card(small), config) is None
    assert key_issues(card(count, small), config) == [text]


def test_fields_default_to_the_annual_report_cover_and_a_misspelt_key_is_refused(tmp_path):
    board = tmp_path / "board" / "2025"
    board.mkdir(parents=True)
    (board / "cover_report.yaml").write_text("director: Director of Children's Services\n", encoding="utf-8")
    cover = {"meeting": "Cabinet", "date": "14 July 2025", "author": "A Officer", "contact": "a@example.org"}
    report = load_cover_report(tmp_path, 2025, cover, PERIOD)
    assert report.text("committee") == "Cabinet" and report.text("authors") == "A Officer"
    assert report.text("title") == "Corporate Parenting annual report 2024-25"
    assert report.text("appendices") == ["Appendix 1: Corporate Parenting annual report 2024-25"]
    with_annex = load_cover_report(tmp_path, 2025, cover, PERIOD, annex=True)
    assert with_annex.text("appendices") == [
        "Appendix 1: Corporate Parenting annual report 2024-25",
        "Appendix 2: Corporate Parenting annual report 2024-25: technical annex",
    ]
    (board / "cover_report.yaml").write_text("recomendations:\n  - Note the report\n", encoding="utf-8")
    with pytest.raises(
        AuthoredError,
        match=r"cover_report.yaml: unknown key 'recomendations' \(did you mean "
        r"'recommendations'\?\)",
    ):
        load_cover_report(tmp_path, 2025, cover, PERIOD)
    # cpkit check and the report's first step see the same mistake
    assert any("recomendations" in p for p in authored_problems(tmp_path, 2025))


@pytest.mark.slow
@pytest.mark.xdist_group("sample_report")
def test_the_sample_report_has_its_cover_report_in_word_and_pdf(sample_report):
    doc = Document(str(sample_report / DOCX_NAME))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:3] == ["Report summary", "Recommendations", "List of appendices"]
    numbered = [h for h in headings if h[:1].isdigit()]
    assert numbered[:2] == ["1. Background", "2. Key issues"] and numbered[-1] == "13. Risks and mitigation"
    body = [p.text for p in doc.paragraphs]
    issues = body[
        body.index("2. Key issues") + 1 : body.index("3. Options considered and recommended proposal")
    ]
    assert issues[0] == "The Board's annual report sets out the year in full. The headline figures are these."
    assert any(p.startswith("Children looked after at the end of the period: ") for p in issues), issues
    assert all("England ," not in p and "()" not in p for p in issues)
    details = {row.cells[0].text: row.cells[1].text for row in doc.tables[0].rows}
    assert details["Committee"] == "Improving Lives Select Commission"
    assert details["Date of meeting"] == "14 July 2025"  # from cover.yaml
    assert (sample_report / PDF_NAME).stat().st_size > 10_000
    # its key issues were worked out before the report's audit, which read them (runner._cover_key_issues)
    analyst = sample_report.parent / "_analyst" / sample_report.name
    stages = json.loads((analyst / "timings.json").read_text(encoding="utf-8"))["stages"]
    names = [s["stage"] for s in stages if s["group"] == "sections"]
    assert names.index("cover report's figures") < names.index("disclosure audit")


# --- The key issues in the report's disclosure audit -----------------------------------------------------

CEASED = "cla_ceased@2024-25"  # the figures table's key for the year's exits (cpkit.figures.keys)


def _ceased_row(value: float) -> dict:
    # the year's exits this year and last (15), a count: its own document key
    return _row(
        "cla_ceased",
        "Children who ceased to be looked after",
        "number",
        value,
        value,
        np.nan,
        15,
        15,
        np.nan,
        numerator_key=CEASED,
        previous_numerator_key="cla_ceased@2023-24",
    )


def _section(tmp_path, cells: list) -> SectionRun:
    """A section notebook showing one table block of the year's exits by reason (``cells``: its figures),
    whose ledger says the exits are the sum of the reasons (the total itself printed nowhere)."""
    block = Block(
        id="exits/reasons",
        kind="table",
        caption="Children who ceased to be looked after by reason",
        columns=["Reason", "Children"],
        rows=cells,
        relations=[{CEASED: 1, "home": -1, "sgo": -1}],
    )
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("show_table(...)")
    cell.outputs = [
        nbformat.v4.new_output("display_data", data={"text/html": "<table/>", MIME: block.to_json()})
    ]
    nb.cells = [cell]
    path = tmp_path / "exits.ipynb"
    nbformat.write(nb, str(path))
    return SectionRun("exits", path, True, 0.1)


def _settle(tmp_path, run: SectionRun, issues: list) -> None:
    section = Section("exits", "exits", "exits", path=Path("exits.ipynb"))
    plan = _Plan([section], [], [section], Path("report"), False, [])

    def rerun(sections):  # the plan has nothing to rerun: no section recorded a ledger
        raise AssertionError(sections)

    analyst = tmp_path / "_analyst" / "2025"
    settle_disclosure(
        [run], plan, config_(), tmp_path / "cache", analyst, rerun, outside=_cover_blocks(issues)
    )


def config_() -> Config:
    return Config(la_name="Anytown Council", la_code="E06000999", population_0_17=10000)


def test_a_key_issue_carries_the_figures_it_prints_with_their_document_keys(config):
    # 12 exits this year, 15 last: both printed, each under the figures table's key
    issue = key_issue(pd.Series(_ceased_row(12)), card(_ceased_row(12)), config)
    assert str(issue) == "Children who ceased to be looked after: 12 in 2024-25, against 15 in 2023-24."
    assert [(f.key, f.value, f.status) for f in issue.figures] == [
        (CEASED, 12, Status.SHOWN),
        ("cla_ceased@2023-24", 15, Status.SHOWN),
    ]
    block = key_issues_block([issue])
    assert block.id == "cover_report/key-issues" and block.kind == "text"
    assert [f.key for f in block.figures()] == [CEASED, "cla_ceased@2023-24"]


def test_a_cover_report_figure_that_gives_back_a_small_count_refuses_the_report(tmp_path, config):
    # The exits section prints 9 returned home and special guardianship "<5", the exits being their sum
    # (its total printed nowhere): alone, special guardianship is any of 1 to 4. The cover report prints
    # the year's 12 exits: 12 - 9 = 3 special guardianship orders, worked out exactly.
    run = _section(
        tmp_path,
        [
            ["Returned home", Figure("9", 9, "count", key="home")],
            ["Special guardianship", Figure("<5", 3, "count", status=Status.SMALL, key="sgo")],
        ],
    )
    _settle(tmp_path / "alone", run, [])  # the section alone: safe, the report goes on
    issues = key_issues(card(_ceased_row(12)), config)
    with pytest.raises(DisclosureLeak) as refused:
        _settle(tmp_path / "with", run, issues)
    assert "exits/sgo can be worked out exactly (exits/reasons)" in str(refused.value)


def test_a_cover_report_figure_the_report_hides_elsewhere_refuses_the_report(tmp_path, config):
    # The exits section hides the year's exits ([c], to protect a reason); the cover report would print
    # them as 14: one figure shown in one place and hidden in another.
    run = _section(
        tmp_path,
        [
            ["Returned home", Figure("10", 10, "count", key="home")],
            ["Special guardianship", Figure("<5", 4, "count", status=Status.SMALL, key="sgo")],
            ["All", Figure("[c]", 14, "count", status=Status.SECONDARY, key=CEASED)],
        ],
    )
    with pytest.raises(DisclosureLeak) as refused:
        _settle(tmp_path, run, key_issues(card(_ceased_row(14)), config))
    assert CEASED in str(refused.value) and "cover_report/key-issues" in str(refused.value)
