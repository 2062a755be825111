"""What officers read: the year compared with the last, and the analyst's own commentary where it belongs."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from cpkit.report.document import DOCUMENT_NAME

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("sample_report")]


def _text(path) -> str:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").get_text(" ")


def test_the_2025_report_compares_with_2024(sample_report):
    # Each care section's sentences set this year against the last (2023-24 or 31 March 2024).
    for page in ("01_children_in_care", "02_placements", "03_health", "05_care_leavers", "07_scorecard"):
        text = _text(sample_report / f"{page}.html")
        assert "2023-24" in text or "31 March 2024" in text, page
    summary = _text(sample_report / "09_executive_summary.html")
    assert "2023-24" in summary and "2024-25" in summary


def test_analyst_commentary_appears_in_a_marked_box_in_its_section(small_council):
    page = BeautifulSoup(
        (small_council / "01_children_in_care.html").read_text(encoding="utf-8"), "html.parser"
    )
    box = page.find("aside", class_="cp-commentary")
    assert box is not None and "Commentary from the analyst" in box.get_text()
    assert "sibling group placement review" in box.get_text() and box.find("strong").get_text() == "August"
    for other in ("02_placements", "03_health"):
        assert "sibling group" not in (small_council / f"{other}.html").read_text(encoding="utf-8")
    assert "sibling group placement review" in (small_council / DOCUMENT_NAME).read_text(encoding="utf-8")


def test_the_sample_reports_sentences_are_audited_with_its_tables(sample_report):
    """Issue 22: every section's generated sentences travel as text blocks beside their Markdown, their
    counts keyed like the tables' (the headline's start and end are the children in care on 31 March of
    each year, ``cla@<day>``, the same figure as every table's Total), and the report's audit of all its
    blocks, sentences included, finds nothing. The page prints each sentence once."""
    from cpkit.publish.ledger import audit_blocks
    from cpkit.publish.read import blocks_of
    from cpkit.report.runner import ANALYST_DIR

    analyst = sample_report.parent / ANALYST_DIR / sample_report.name
    blocks = [b for nb in sorted(analyst.glob("*.ipynb")) for b in blocks_of(nb)]
    words = [b for b in blocks if b.kind == "text"]
    sections = {b.section for b in words}
    assert {"01_children_in_care", "02_placements", "03_health", "05_care_leavers", "07_trends"} <= sections
    # the trend sentences' counts are the trends table's, under the same keys (children in care on the
    # first and last 31 March the returns cover)
    trend_keys = {f.key for b in words if b.section == "07_trends" for f in b.figures() if f.key}
    assert "cla@2025-03-31" in trend_keys
    # the data quality section's totals are its tables' rows added up, under their ledgers' keys
    dq_keys = {f.key for b in words if b.section == "08_data_quality" for f in b.figures() if f.key}
    assert any(k.startswith("dq-") for k in dq_keys), dq_keys
    headline = next(b for b in words if b.section == "01_children_in_care")
    assert {"cla@2024-03-31", "cla@2025-03-31"} <= {f.key for f in headline.figures()}
    tables = {f.key for b in blocks if b.kind == "table" for f in b.figures() if f.key}
    assert {"cla@2024-03-31", "cla@2025-03-31"} <= tables  # the same figures as the tables print
    found = audit_blocks(blocks, 5)
    assert found.ok, found.problems()
    page = _text(sample_report / "01_children_in_care.html")
    first = headline.rows[0][0]
    assert page.count(first) == 1, first
