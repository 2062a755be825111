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
